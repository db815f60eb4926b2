#pragma once
// Turns HTML into the text a reader sees, for retrieval: no markup, scripts,
// styles or <head> content; character references decoded; block elements end
// lines (paragraph-like ones leave a blank line, as Markdown would); inline white
// space collapsed except inside <pre>; table cells separated by TAB; headings
// written as "#"-prefixed Markdown lines so the structure-aware chunker keeps
// the heading path. A forgiving single-pass scanner, not a DOM: it never fails.
// One instance per document; not thread-safe (use one per thread).
#include <string>
#include <string_view>

namespace rag {

class HtmlTextExtractor {
public:
    struct Extracted {
        std::string title;  // <title>, else the first <h1>; white space collapsed
        std::string text;   // UTF-8, not yet normalised
        std::string lang;   // <html lang="...">, empty when absent
    };

    // `html` is already decoded to UTF-8.
    static Extracted extract(std::string_view html);

    // The charset the raw bytes declare in <meta charset>, <meta http-equiv
    // content="...; charset=..."> or an XML declaration's encoding, within the
    // first 4 KiB; empty when none.
    static std::string declaredCharset(std::string_view rawBytes);

private:
    explicit HtmlTextExtractor(std::string_view html) : m_html(html) {}

    struct Tag {
        std::string name;  // lower case
        bool closing = false;
        bool selfClosing = false;
        std::string_view attributes;
    };

    void run();
    std::size_t parseTag(std::size_t pos, Tag &tag) const;
    std::size_t skipMarkupDeclaration(std::size_t pos) const;
    std::size_t skipRawText(std::size_t pos, std::string_view name, std::string *captured) const;
    void handleTag(const Tag &tag);
    void handleStartTag(const Tag &tag);
    void handleEndTag(const Tag &tag);
    void appendText(std::string_view raw);
    void breakLine(int newlines);
    void trimTrailingSpaces();

    std::string_view m_html;
    Extracted m_result;
    std::string m_firstH1;
    std::size_t m_headingStart = std::string::npos;
    int m_headingLevel = 0;
    int m_preDepth = 0;
    int m_hiddenDepth = 0;      // inside <template> or <svg>: nothing visible
    int m_cellsInRow = 0;
    bool m_inCell = false;
    bool m_inHead = false;
    bool m_pendingSpace = false;
    bool m_titleSeen = false;
    bool m_skipPreNewline = false;
};

} // namespace rag
