#pragma once
// An RFC 4180 record reader over decoded text: fields separated by one
// delimiter, records by LF or CRLF, double-quoted fields may hold delimiters,
// line breaks and "" for a quote. Lenient where real files are sloppy: a quote
// inside an unquoted field is kept as a character, blank lines are skipped.
// Strict where data would be lost: text after a closing quote, or a quote that
// never closes, make the record malformed (the reader resumes on the next line).
// One instance per pass; not thread-safe.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rag {

class CsvReader {
public:
    struct Record {
        std::vector<std::string> fields;
        std::int64_t line = 0;  // 1-based line where the record starts
        std::string error;      // non-empty: the record is malformed, fields are partial
    };

    CsvReader(std::string_view text, char delimiter) : m_text(text), m_delimiter(delimiter) {}

    // The next record; false at the end of the text.
    bool next(Record &record);

    // The delimiter among ',', ';' and TAB that splits the first records into
    // the same, largest number of fields; `preferred` wins ties, ',' when
    // nothing splits.
    static char sniffDelimiter(std::string_view text, char preferred = ',');

private:
    bool readQuoted(std::string &field, Record &record);
    void skipRestOfLine();

    std::string_view m_text;
    char m_delimiter;
    std::size_t m_pos = 0;
    std::int64_t m_line = 1;
};

} // namespace rag
