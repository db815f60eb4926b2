#include "core/ingest/htmltextextractor.h"

#include "core/ingest/htmlentities.h"

#include <algorithm>
#include <array>
#include <functional>

namespace rag {

namespace {

using namespace std::string_view_literals;

bool isHtmlSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

bool isAsciiAlpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

char lowerAscii(char c)
{
    return c >= 'A' && c <= 'Z' ? char(c + 32) : c;
}

std::string toLower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), lowerAscii);
    return out;
}

template <std::size_t N>
bool isOneOf(std::string_view name, const std::array<std::string_view, N> &set)
{
    return std::find(set.begin(), set.end(), name) != set.end();
}

// Elements that read as paragraphs: a blank line before and after, so the
// chunkers' paragraph splitting sees them.
constexpr std::array<std::string_view, 19> kParagraphElements{
    "p"sv, "blockquote"sv, "ul"sv, "ol"sv, "dl"sv, "section"sv, "article"sv, "header"sv,
    "footer"sv, "aside"sv, "nav"sv, "main"sv, "figure"sv, "address"sv, "details"sv,
    "fieldset"sv, "form"sv, "hgroup"sv, "center"sv};
// Elements that only end a line.
constexpr std::array<std::string_view, 14> kLineElements{
    "div"sv, "li"sv, "dt"sv, "dd"sv, "caption"sv, "figcaption"sv, "summary"sv, "legend"sv,
    "option"sv, "dialog"sv, "menu"sv, "dir"sv, "body"sv, "html"sv};
// Content that is never shown as text (scripts, styles, fallback content for
// script-less browsers, form defaults, embedded documents).
constexpr std::array<std::string_view, 8> kRawTextElements{
    "script"sv, "style"sv, "noscript"sv, "textarea"sv, "xmp"sv, "iframe"sv, "noembed"sv,
    "noframes"sv};
// What <head> may hold; anything else starts the body implicitly, as in browsers.
constexpr std::array<std::string_view, 9> kHeadElements{
    "title"sv, "meta"sv, "link"sv, "script"sv, "style"sv, "base"sv, "noscript"sv,
    "template"sv, "head"sv};

int headingLevel(std::string_view name)
{
    if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6')
        return name[1] - '0';
    return 0;
}

// Calls `visit(lower-case name, raw value)` for each attribute of a tag's attribute text.
void forEachAttribute(std::string_view attrs,
                      const std::function<void(const std::string &, std::string_view)> &visit)
{
    std::size_t i = 0;
    const std::size_t n = attrs.size();
    while (i < n) {
        while (i < n && (isHtmlSpace(attrs[i]) || attrs[i] == '/'))
            ++i;
        const std::size_t nameStart = i;
        while (i < n && !isHtmlSpace(attrs[i]) && attrs[i] != '=' && attrs[i] != '>' && attrs[i] != '/')
            ++i;
        if (i == nameStart) {
            ++i;
            continue;
        }
        const std::string name = toLower(attrs.substr(nameStart, i - nameStart));
        while (i < n && isHtmlSpace(attrs[i]))
            ++i;
        std::string_view value;
        if (i < n && attrs[i] == '=') {
            ++i;
            while (i < n && isHtmlSpace(attrs[i]))
                ++i;
            if (i < n && (attrs[i] == '"' || attrs[i] == '\'')) {
                const char quote = attrs[i++];
                const std::size_t end = std::min(attrs.find(quote, i), n);
                value = attrs.substr(i, end - i);
                i = end + 1;
            } else {
                const std::size_t start = i;
                while (i < n && !isHtmlSpace(attrs[i]) && attrs[i] != '>')
                    ++i;
                value = attrs.substr(start, i - start);
            }
        }
        visit(name, value);
    }
}

} // namespace

HtmlTextExtractor::Extracted HtmlTextExtractor::extract(std::string_view html)
{
    HtmlTextExtractor extractor(html);
    extractor.run();
    Extracted result = std::move(extractor.m_result);
    if (result.title.find_first_not_of(" \t\n\r\f") == std::string::npos)
        result.title = std::move(extractor.m_firstH1);
    return result;
}

std::string HtmlTextExtractor::declaredCharset(std::string_view rawBytes)
{
    const std::string head = toLower(rawBytes.substr(0, 4096));
    std::string charset;
    std::size_t pos = 0;
    while (charset.empty() && (pos = head.find("<meta", pos)) != std::string::npos) {
        pos += 5;
        const std::size_t end = std::min(head.find('>', pos), head.size());
        std::string_view contentValue;
        bool contentType = false;
        forEachAttribute(std::string_view(head).substr(pos, end - pos),
                         [&](const std::string &name, std::string_view value) {
                             if (name == "charset")
                                 charset = std::string(value);
                             else if (name == "http-equiv")
                                 contentType = value == "content-type";
                             else if (name == "content")
                                 contentValue = value;
                         });
        if (charset.empty() && contentType) {
            const std::size_t at = contentValue.find("charset=");
            if (at != std::string_view::npos) {
                std::string_view rest = contentValue.substr(at + 8);
                rest = rest.substr(0, rest.find_first_of("; \t\"'"));
                charset = std::string(rest);
            }
        }
    }
    // XHTML may declare its encoding in the XML declaration instead.
    if (charset.empty() && head.find_first_not_of(" \t\r\n") == head.find("<?xml")) {
        const std::size_t end = head.find("?>");
        forEachAttribute(std::string_view(head).substr(5, end == std::string::npos ? std::string::npos : end - 5),
                         [&charset](const std::string &name, std::string_view value) {
                             if (name == "encoding")
                                 charset = std::string(value);
                         });
    }
    return charset;
}

void HtmlTextExtractor::run()
{
    const std::size_t n = m_html.size();
    std::size_t pos = 0;
    while (pos < n) {
        const std::size_t lt = m_html.find('<', pos);
        appendText(m_html.substr(pos, std::min(lt, n) - pos));
        if (lt == std::string_view::npos)
            break;
        const char next = lt + 1 < n ? m_html[lt + 1] : '\0';
        if (m_html.substr(lt, 4) == "<!--") {
            const std::size_t end = m_html.find("-->", lt + 4);
            pos = end == std::string_view::npos ? n : end + 3;
        } else if (next == '!' || next == '?'
                   || (next == '/' && !(lt + 2 < n && isAsciiAlpha(m_html[lt + 2])))) {
            pos = skipMarkupDeclaration(lt);
        } else if (isAsciiAlpha(next) || next == '/') {
            Tag tag;
            pos = parseTag(lt, tag);
            if (!tag.closing && isOneOf(tag.name, kRawTextElements)) {
                pos = skipRawText(pos, tag.name, nullptr);
            } else if (!tag.closing && tag.name == "title") {
                std::string captured;
                pos = skipRawText(pos, tag.name, &captured);
                if (!m_titleSeen && m_hiddenDepth == 0) {
                    m_result.title = decodeHtmlEntities(captured);
                    m_titleSeen = true;
                }
            } else {
                handleTag(tag);
            }
        } else {
            appendText(m_html.substr(lt, 1));
            pos = lt + 1;
        }
    }
    while (!m_result.text.empty() && (m_result.text.back() == '\n' || m_result.text.back() == ' '))
        m_result.text.pop_back();
}

std::size_t HtmlTextExtractor::parseTag(std::size_t pos, Tag &tag) const
{
    const std::size_t n = m_html.size();
    std::size_t i = pos + 1;
    if (i < n && m_html[i] == '/') {
        tag.closing = true;
        ++i;
    }
    const std::size_t nameStart = i;
    while (i < n && !isHtmlSpace(m_html[i]) && m_html[i] != '/' && m_html[i] != '>')
        ++i;
    tag.name = toLower(m_html.substr(nameStart, i - nameStart));
    const std::size_t attrStart = i;
    // Find the closing '>' outside quoted attribute values.
    while (i < n && m_html[i] != '>') {
        if (m_html[i] == '=') {
            ++i;
            while (i < n && isHtmlSpace(m_html[i]))
                ++i;
            if (i < n && (m_html[i] == '"' || m_html[i] == '\'')) {
                const std::size_t close = m_html.find(m_html[i], i + 1);
                i = close == std::string_view::npos ? n : close + 1;
            }
            continue;
        }
        ++i;
    }
    tag.attributes = m_html.substr(attrStart, std::min(i, n) - attrStart);
    tag.selfClosing = !tag.attributes.empty() && tag.attributes.back() == '/';
    return i < n ? i + 1 : n;
}

std::size_t HtmlTextExtractor::skipMarkupDeclaration(std::size_t pos) const
{
    const std::size_t end = m_html.find('>', pos);
    return end == std::string_view::npos ? m_html.size() : end + 1;
}

// Skips the content of a raw-text element up to its end tag; `captured`, when
// given, receives that content.
std::size_t HtmlTextExtractor::skipRawText(std::size_t pos, std::string_view name,
                                           std::string *captured) const
{
    const std::size_t n = m_html.size();
    std::size_t search = pos;
    while ((search = m_html.find("</", search)) != std::string_view::npos) {
        const std::size_t nameStart = search + 2;
        const std::size_t nameEnd = nameStart + name.size();
        if (nameEnd <= n && toLower(m_html.substr(nameStart, name.size())) == name
            && (nameEnd == n || isHtmlSpace(m_html[nameEnd]) || m_html[nameEnd] == '>'
                || m_html[nameEnd] == '/')) {
            if (captured)
                *captured = std::string(m_html.substr(pos, search - pos));
            const std::size_t gt = m_html.find('>', nameEnd);
            return gt == std::string_view::npos ? n : gt + 1;
        }
        search = nameStart;
    }
    if (captured)
        *captured = std::string(m_html.substr(pos));
    return n;
}

void HtmlTextExtractor::handleTag(const Tag &tag)
{
    const bool hiding = tag.name == "template" || tag.name == "svg";
    if (m_hiddenDepth > 0 && !hiding)
        return;
    if (tag.closing)
        handleEndTag(tag);
    else
        handleStartTag(tag);
}

void HtmlTextExtractor::handleStartTag(const Tag &tag)
{
    const std::string &name = tag.name;
    if (name == "template" || name == "svg") {
        if (!tag.selfClosing)
            ++m_hiddenDepth;
        return;
    }
    if (name == "html") {
        forEachAttribute(tag.attributes, [this](const std::string &attr, std::string_view value) {
            if (attr == "lang" && m_result.lang.empty())
                m_result.lang = decodeHtmlEntities(value);
        });
    }
    if (name == "head") {
        m_inHead = true;
        return;
    }
    if (m_inHead && !isOneOf(name, kHeadElements))
        m_inHead = false;
    if (name == "br") {
        if (m_inCell) {
            m_pendingSpace = true;
            return;
        }
        trimTrailingSpaces();
        m_result.text.push_back('\n');
        m_pendingSpace = false;
    } else if (const int level = headingLevel(name); level > 0) {
        breakLine(2);
        if (!m_inCell) {
            m_result.text.append(std::size_t(level), '#');
            m_result.text.push_back(' ');
        }
        m_headingLevel = level;
        m_headingStart = m_result.text.size();
    } else if (name == "pre") {
        breakLine(2);
        ++m_preDepth;
        m_skipPreNewline = true;
    } else if (name == "tr") {
        m_inCell = false;
        breakLine(1);
        m_cellsInRow = 0;
    } else if (name == "td" || name == "th") {
        if (m_cellsInRow > 0) {
            trimTrailingSpaces();
            m_result.text.push_back('\t');
        }
        m_pendingSpace = false;
        ++m_cellsInRow;
        m_inCell = true;
    } else if (name == "table" || name == "hr") {
        m_inCell = false;
        breakLine(2);
        m_cellsInRow = 0;
    } else if (isOneOf(name, kParagraphElements)) {
        breakLine(2);
    } else if (isOneOf(name, kLineElements)) {
        breakLine(1);
    }
}

void HtmlTextExtractor::handleEndTag(const Tag &tag)
{
    const std::string &name = tag.name;
    if (name == "template" || name == "svg") {
        m_hiddenDepth = std::max(0, m_hiddenDepth - 1);
    } else if (name == "head") {
        m_inHead = false;
    } else if (const int level = headingLevel(name); level > 0 && m_headingLevel > 0) {
        std::string &text = m_result.text;
        const std::string_view body = std::string_view(text).substr(std::min(m_headingStart, text.size()));
        if (body.find_first_not_of(" \t\n") == std::string_view::npos) {
            // An empty heading leaves no lone "#" behind.
            text.resize(std::min(m_headingStart, text.size()));
            while (!text.empty() && (text.back() == '#' || text.back() == ' '))
                text.pop_back();
        } else if (m_headingLevel == 1 && m_firstH1.empty()) {
            m_firstH1 = std::string(body);
        }
        m_headingLevel = 0;
        breakLine(2);
    } else if (name == "pre") {
        m_preDepth = std::max(0, m_preDepth - 1);
        breakLine(2);
    } else if (name == "td" || name == "th") {
        m_inCell = false;
    } else if (name == "tr") {
        m_inCell = false;
        breakLine(1);
        m_cellsInRow = 0;
    } else if (name == "table") {
        m_inCell = false;
        breakLine(2);
        m_cellsInRow = 0;
    } else if (isOneOf(name, kParagraphElements)) {
        breakLine(2);
    } else if (isOneOf(name, kLineElements)) {
        breakLine(1);
    }
}

void HtmlTextExtractor::appendText(std::string_view raw)
{
    if (raw.empty() || m_hiddenDepth > 0)
        return;
    if (m_inHead) {
        if (raw.find_first_not_of(" \t\n\r\f") == std::string_view::npos)
            return;
        m_inHead = false; // stray text in <head> starts the body, as in browsers
    }
    std::string decoded;
    appendHtmlDecoded(decoded, raw);
    std::string &text = m_result.text;
    if (m_preDepth > 0) {
        std::string_view view = decoded;
        if (m_skipPreNewline) {
            // HTML ignores a newline right after <pre>.
            if (view.starts_with("\r\n"))
                view.remove_prefix(2);
            else if (view.starts_with('\n'))
                view.remove_prefix(1);
        }
        m_skipPreNewline = false;
        text.append(view);
        return;
    }
    for (const char c : decoded) {
        if (isHtmlSpace(c)) {
            m_pendingSpace = true;
            continue;
        }
        if (m_pendingSpace && !text.empty() && text.back() != '\n' && text.back() != '\t'
            && text.back() != ' ')
            text.push_back(' ');
        m_pendingSpace = false;
        text.push_back(c);
    }
}

void HtmlTextExtractor::breakLine(int newlines)
{
    if (m_inCell) {
        m_pendingSpace = true;
        return;
    }
    m_pendingSpace = false;
    trimTrailingSpaces();
    std::string &text = m_result.text;
    if (text.empty())
        return;
    int have = 0;
    for (auto it = text.rbegin(); it != text.rend() && *it == '\n' && have < newlines; ++it)
        ++have;
    text.append(std::size_t(newlines - have), '\n');
}

void HtmlTextExtractor::trimTrailingSpaces()
{
    std::string &text = m_result.text;
    while (!text.empty() && text.back() == ' ')
        text.pop_back();
}

} // namespace rag
