#include "core/chunking/markdownoutline.h"

#include <utility>

namespace rag {

namespace {

constexpr std::size_t npos = std::string_view::npos;

bool isBlank(std::string_view line)
{
    return line.find_first_not_of(" \t\r") == npos;
}

std::string_view trimSpaces(std::string_view text)
{
    const std::size_t first = text.find_first_not_of(" \t\r");
    if (first == npos)
        return {};
    return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

// Leading spaces; a tab counts as four, which is always code indentation.
std::size_t indentOf(std::string_view line)
{
    std::size_t indent = 0;
    for (const char c : line) {
        if (c == ' ')
            ++indent;
        else if (c == '\t')
            return indent + 4;
        else
            break;
    }
    return indent;
}

std::size_t runOf(std::string_view text, std::size_t at, char c)
{
    std::size_t n = 0;
    while (at + n < text.size() && text[at + n] == c)
        ++n;
    return n;
}

// An opening code fence: up to three spaces, then three or more ` or ~.
bool fenceOpen(std::string_view line, char *fenceChar, std::size_t *fenceLength)
{
    const std::size_t indent = indentOf(line);
    if (indent > 3 || indent >= line.size())
        return false;
    const char c = line[indent];
    if (c != '`' && c != '~')
        return false;
    const std::size_t length = runOf(line, indent, c);
    if (length < 3)
        return false;
    if (c == '`' && line.find('`', indent + length) != npos)
        return false; // an info string may not contain backticks
    *fenceChar = c;
    *fenceLength = length;
    return true;
}

bool fenceClose(std::string_view line, char fenceChar, std::size_t fenceLength)
{
    const std::size_t indent = indentOf(line);
    if (indent > 3 || indent >= line.size())
        return false;
    const std::size_t length = runOf(line, indent, fenceChar);
    return length >= fenceLength && isBlank(line.substr(indent + length));
}

// "## Title ##" -> level 2, title "Title"; 0 when the line is no ATX heading.
int atxHeading(std::string_view line, std::string_view *title)
{
    const std::size_t indent = indentOf(line);
    if (indent > 3)
        return 0;
    const std::size_t level = runOf(line, indent, '#');
    if (level == 0 || level > 6)
        return 0;
    const std::size_t after = indent + level;
    if (after < line.size() && line[after] != ' ' && line[after] != '\t' && line[after] != '\r')
        return 0; // "#hashtag"
    std::string_view rest = trimSpaces(line.substr(after));
    const std::size_t closing = rest.find_last_not_of('#');
    if (closing == npos)
        rest = {};
    else if (closing + 1 < rest.size() && (rest[closing] == ' ' || rest[closing] == '\t'))
        rest = trimSpaces(rest.substr(0, closing + 1));
    *title = rest;
    return int(level);
}

// 1 for "===", 2 for "---" (at least two dashes, so "-" stays a list item).
int setextLevel(std::string_view line)
{
    if (indentOf(line) > 3)
        return 0;
    const std::string_view body = trimSpaces(line);
    if (body.empty())
        return 0;
    const char c = body[0];
    if ((c != '=' && c != '-') || body.find_first_not_of(c) != npos)
        return 0;
    if (c == '-' && body.size() < 2)
        return 0;
    return c == '=' ? 1 : 2;
}

// Lines that open a list item, quote or table row cannot become setext headings.
bool opensOtherBlock(std::string_view line)
{
    const std::string_view body = trimSpaces(line);
    if (body.empty())
        return false;
    const char c = body[0];
    if (c == '>' || c == '|')
        return true;
    if ((c == '-' || c == '*' || c == '+') && (body.size() == 1 || body[1] == ' ' || body[1] == '\t'))
        return true;
    std::size_t digits = 0;
    while (digits < body.size() && body[digits] >= '0' && body[digits] <= '9')
        ++digits;
    return digits > 0 && digits < body.size() && (body[digits] == '.' || body[digits] == ')');
}

// One pass over the lines; keeps the open section, the paragraph that a setext
// underline would turn into a heading, and the fence being skipped.
class OutlineBuilder {
public:
    OutlineBuilder(std::string_view text, std::size_t begin, std::size_t end)
        : m_text(text)
        , m_end(end)
    {
        m_sections.push_back({begin, end, {}, {begin}});
    }

    std::vector<MarkdownSection> build(std::size_t begin)
    {
        std::size_t lineStart = skipFrontMatter(begin);
        while (lineStart < m_end) {
            std::size_t lineEnd = m_text.find('\n', lineStart);
            if (lineEnd == npos || lineEnd > m_end)
                lineEnd = m_end;
            onLine(lineStart, m_text.substr(lineStart, lineEnd - lineStart));
            lineStart = lineEnd + 1;
        }
        m_sections.back().end = m_end;
        std::vector<MarkdownSection> sections;
        for (auto &section : m_sections) {
            if (section.end > section.begin)
                sections.push_back(std::move(section));
        }
        return sections;
    }

private:
    std::size_t skipFrontMatter(std::size_t begin)
    {
        std::size_t lineEnd = m_text.find('\n', begin);
        if (lineEnd == npos || lineEnd >= m_end || trimSpaces(m_text.substr(begin, lineEnd - begin)) != "---")
            return begin;
        for (std::size_t at = lineEnd + 1; at < m_end;) {
            std::size_t next = m_text.find('\n', at);
            if (next == npos || next > m_end)
                next = m_end;
            const std::string_view line = trimSpaces(m_text.substr(at, next - at));
            if (line == "---" || line == "...") {
                m_pendingBlock = true;
                return next + 1;
            }
            at = next + 1;
        }
        return begin; // unterminated: not front matter after all
    }

    void onLine(std::size_t lineStart, std::string_view line)
    {
        if (m_fenceChar) {
            if (fenceClose(line, m_fenceChar, m_fenceLength)) {
                m_fenceChar = 0;
                m_pendingBlock = true;
            }
            return;
        }
        if (isBlank(line)) {
            m_pendingBlock = true;
            m_paragraphStart = npos;
            return;
        }
        std::string_view title;
        if (const int level = atxHeading(line, &title)) {
            openSection(lineStart, level, std::string(title));
            return;
        }
        if (const int level = setextLevel(line); level && m_paragraphStart != npos && m_paragraphPlain) {
            openSection(m_paragraphStart, level, paragraphTitle(lineStart));
            return;
        }
        if (fenceOpen(line, &m_fenceChar, &m_fenceLength)) {
            startBlock(lineStart);
            m_paragraphStart = npos;
            return;
        }
        if (m_pendingBlock)
            startBlock(lineStart);
        if (m_paragraphStart == npos) {
            m_paragraphStart = lineStart;
            m_paragraphPlain = indentOf(line) < 4 && !opensOtherBlock(line);
        }
    }

    void startBlock(std::size_t at)
    {
        auto &starts = m_sections.back().blockStarts;
        if (at > starts.back())
            starts.push_back(at);
        m_pendingBlock = false;
    }

    std::string paragraphTitle(std::size_t underlineStart) const
    {
        std::string title;
        std::size_t at = m_paragraphStart;
        while (at < underlineStart) {
            std::size_t next = m_text.find('\n', at);
            if (next == npos || next > underlineStart)
                next = underlineStart;
            const std::string_view line = trimSpaces(m_text.substr(at, next - at));
            if (!line.empty())
                title += (title.empty() ? "" : " ") + std::string(line);
            at = next + 1;
        }
        return title;
    }

    void openSection(std::size_t start, int level, std::string title)
    {
        MarkdownSection &current = m_sections.back();
        current.end = start;
        while (!current.blockStarts.empty() && current.blockStarts.back() >= start)
            current.blockStarts.pop_back();
        while (!m_headings.empty() && m_headings.back().first >= level)
            m_headings.pop_back();
        m_headings.emplace_back(level, std::move(title));
        std::string path;
        for (const auto &heading : m_headings) {
            if (heading.second.empty())
                continue;
            if (!path.empty())
                path += " > ";
            path += heading.second;
        }
        m_sections.push_back({start, m_end, std::move(path), {start}});
        m_pendingBlock = true; // the heading is a block of its own
        m_paragraphStart = npos;
    }

    std::string_view m_text;
    std::size_t m_end;
    std::vector<MarkdownSection> m_sections;
    std::vector<std::pair<int, std::string>> m_headings; // (level, title) from the top
    std::size_t m_paragraphStart = npos;
    bool m_paragraphPlain = false;
    bool m_pendingBlock = false;
    char m_fenceChar = 0; // non-zero while inside a fenced code block
    std::size_t m_fenceLength = 0;
};

} // namespace

std::vector<MarkdownSection> MarkdownOutline::parse(std::string_view text, std::size_t begin, std::size_t end)
{
    if (begin >= end)
        return {};
    return OutlineBuilder(text, begin, end).build(begin);
}

} // namespace rag
