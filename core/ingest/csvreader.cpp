#include "core/ingest/csvreader.h"

#include <algorithm>
#include <array>

namespace rag {

bool CsvReader::next(Record &record)
{
    record = Record{};
    const std::size_t n = m_text.size();
    // Blank lines carry no record.
    while (m_pos < n && (m_text[m_pos] == '\n' || m_text[m_pos] == '\r')) {
        if (m_text[m_pos] == '\r' && m_pos + 1 < n && m_text[m_pos + 1] == '\n')
            ++m_pos;
        ++m_pos;
        ++m_line;
    }
    if (m_pos >= n)
        return false;
    record.line = m_line;

    const char stops[] = {m_delimiter, '\n', '\r', '\0'};
    const std::string_view stopSet(stops, 3);
    std::string field;
    while (true) {
        if (m_pos < n && m_text[m_pos] == '"') {
            if (!readQuoted(field, record)) {
                record.fields.push_back(std::move(field));
                return true;
            }
            if (m_pos < n && m_text[m_pos] != m_delimiter && m_text[m_pos] != '\n' && m_text[m_pos] != '\r') {
                record.error = "unexpected text after a closing quote on line " + std::to_string(m_line);
                record.fields.push_back(std::move(field));
                skipRestOfLine();
                return true;
            }
        } else {
            const std::size_t end = std::min(m_text.find_first_of(stopSet, m_pos), n);
            field.append(m_text.substr(m_pos, end - m_pos));
            m_pos = end;
        }
        record.fields.push_back(std::move(field));
        field.clear();
        if (m_pos >= n)
            return true;
        if (m_text[m_pos] == m_delimiter) {
            ++m_pos;
            continue;
        }
        // End of the record: LF, CRLF or a lone CR.
        if (m_text[m_pos] == '\r' && m_pos + 1 < n && m_text[m_pos + 1] == '\n')
            ++m_pos;
        ++m_pos;
        ++m_line;
        return true;
    }
}

bool CsvReader::readQuoted(std::string &field, Record &record)
{
    const std::int64_t openedOn = m_line;
    ++m_pos;
    while (true) {
        const std::size_t quote = m_text.find('"', m_pos);
        const std::string_view segment = m_text.substr(m_pos, quote == std::string_view::npos ? std::string_view::npos : quote - m_pos);
        m_line += std::count(segment.begin(), segment.end(), '\n');
        field.append(segment);
        if (quote == std::string_view::npos) {
            m_pos = m_text.size();
            record.error = "the quoted field opened on line " + std::to_string(openedOn) + " is never closed";
            return false;
        }
        m_pos = quote + 1;
        if (m_pos < m_text.size() && m_text[m_pos] == '"') {
            field.push_back('"');
            ++m_pos;
            continue;
        }
        return true;
    }
}

void CsvReader::skipRestOfLine()
{
    const std::size_t nl = m_text.find('\n', m_pos);
    m_pos = nl == std::string_view::npos ? m_text.size() : nl + 1;
    if (nl != std::string_view::npos)
        ++m_line;
}

char CsvReader::sniffDelimiter(std::string_view text, char preferred)
{
    std::array<char, 4> candidates{preferred, ',', ';', '\t'};
    char best = ',';
    double bestConsistency = -1.0;
    std::size_t bestWidth = 1;
    for (const char delimiter : candidates) {
        CsvReader reader(text, delimiter);
        Record record;
        std::size_t width = 0, records = 0, consistent = 0;
        while (records < 20 && reader.next(record)) {
            if (!record.error.empty())
                continue;
            if (records == 0)
                width = record.fields.size();
            consistent += record.fields.size() == width;
            ++records;
        }
        if (width < 2)
            continue;
        const double consistency = double(consistent) / double(records);
        if (consistency > bestConsistency || (consistency == bestConsistency && width > bestWidth)) {
            best = delimiter;
            bestConsistency = consistency;
            bestWidth = width;
        }
    }
    return best;
}

} // namespace rag
