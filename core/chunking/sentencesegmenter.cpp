#include "core/chunking/sentencesegmenter.h"

#include "core/chunking/utf8text.h"

#include <QChar>

#include <algorithm>
#include <iterator>
#include <string>

namespace rag {

namespace {

// Abbreviations after which a period never ends a sentence.
constexpr std::string_view kAbbreviations[] = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "gen", "gov", "sen", "rep",
    "lt", "col", "capt", "sgt", "vs", "cf", "al", "approx", "ca", "resp", "viz", "dept", "univ",
    "inc", "ltd", "co", "corp", "jan", "feb", "aug", "sept", "oct", "nov", "dec", "incl", "esp"};
// Abbreviations that only precede a number or a reference ("Fig. 3", "No. 5",
// "pp. 12"); before a capitalised word they end the sentence as usual.
constexpr std::string_view kNumberAbbreviations[] = {
    "no", "nos", "fig", "figs", "eq", "eqs", "ref", "refs", "vol", "vols", "pp", "p", "sec",
    "ch", "tab", "art", "suppl"};

bool startsWith(std::string_view text, std::size_t at, std::size_t end, std::string_view what)
{
    return at + what.size() <= end && text.compare(at, what.size(), what) == 0;
}

// Length of a terminal punctuation mark at `at` (0 if none); `cjk` is set for the
// full-width marks, which end a sentence without any following space.
std::size_t terminalAt(std::string_view text, std::size_t at, std::size_t end, bool *cjk)
{
    const char c = text[at];
    if (c == '.' || c == '!' || c == '?')
        return 1;
    if (startsWith(text, at, end, "\u2026"))
        return 3;
    for (std::string_view mark : {"\u3002", "\uFF01", "\uFF1F"}) {
        if (startsWith(text, at, end, mark)) {
            *cjk = true;
            return mark.size();
        }
    }
    return 0;
}

std::size_t closingAt(std::string_view text, std::size_t at, std::size_t end)
{
    const char c = text[at];
    if (c == '"' || c == '\'' || c == ')' || c == ']')
        return 1;
    for (std::string_view mark : {"\u201D", "\u2019", "\u00BB"}) {
        if (startsWith(text, at, end, mark))
            return mark.size();
    }
    return 0;
}

bool startsSentence(char32_t c)
{
    switch (c) {
    case '"': case '\'': case '(': case '[': case 0x201C: case 0x2018: case 0xAB: case 0xBF: case 0xA1:
        return true;
    default:
        return QChar::isUpper(c) || QChar::isTitleCase(c) || QChar::isDigit(c);
    }
}

bool isAsciiLetter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

} // namespace

std::vector<std::size_t> SentenceSegmenter::boundaries(std::string_view text, std::size_t begin,
                                                       std::size_t end)
{
    std::vector<std::size_t> starts;
    bool hasContent = false; // non-whitespace text seen, so a boundary would not be empty
    std::size_t i = begin;
    while (i < end) {
        const char c = text[i];
        if (c == '\n') {
            std::size_t j = i + 1;
            while (j < end && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r'))
                ++j;
            if (j < end && text[j] == '\n' && hasContent) {
                // A blank line ends the sentence whatever precedes it.
                const std::size_t next = utf8::skipWhitespaceForward(text, j, end);
                if (next >= end)
                    break;
                starts.push_back(next);
                i = next;
                continue;
            }
            i = j;
            continue;
        }
        bool cjk = false;
        if (terminalAt(text, i, end, &cjk) > 0) {
            std::size_t resume = i + 1;
            const std::size_t next = boundaryAfterTerminal(text, i, end, &resume);
            if (next != std::string_view::npos) {
                starts.push_back(next);
                i = next;
                continue;
            }
            hasContent = true;
            i = resume;
            continue;
        }
        if (!(c == ' ' || (c >= 0x09 && c <= 0x0D)))
            hasContent = true;
        ++i;
    }
    return starts;
}

std::size_t SentenceSegmenter::boundaryAfterTerminal(std::string_view text, std::size_t at,
                                                     std::size_t end, std::size_t *resumeAt)
{
    const std::size_t npos = std::string_view::npos;
    std::size_t j = at;
    std::size_t marks = 0;
    bool onlyDots = true;
    bool cjk = false;
    while (j < end) {
        const std::size_t length = terminalAt(text, j, end, &cjk);
        if (length == 0)
            break;
        onlyDots = onlyDots && text[j] == '.';
        j += length;
        ++marks;
    }
    while (j < end) {
        const std::size_t length = closingAt(text, j, end);
        if (length == 0)
            break;
        j += length;
    }
    *resumeAt = j;
    if (j >= end)
        return npos; // the range ends with this sentence
    std::size_t length = 0;
    if (!cjk && !utf8::isTrimmable(utf8::decode(text, j, &length)))
        return npos; // "3.14", "e.g.x", "example.com"
    const std::size_t next = utf8::skipWhitespaceForward(text, j, end);
    if (next >= end)
        return npos;
    if (cjk)
        return next;
    const char32_t following = utf8::decode(text, next, &length);
    if (!startsSentence(following))
        return npos; // "... up to 5 p.m. and then", "wait... what"
    if (marks == 1 && onlyDots && isAbbreviation(text, at, 0, following))
        return npos;
    return next;
}

bool SentenceSegmenter::isAbbreviation(std::string_view text, std::size_t dot, std::size_t begin,
                                       char32_t following)
{
    std::size_t start = dot;
    while (start > begin && (isAsciiLetter(text[start - 1]) || text[start - 1] == '.'))
        --start;
    if (start == dot)
        return false; // "2005." or ")." ends a sentence
    if (start > begin && static_cast<unsigned char>(text[start - 1]) >= 0x80) {
        std::size_t previous = 0;
        if (QChar::isLetter(utf8::decodeBefore(text, start, &previous)))
            return false; // the tail of a longer non-ASCII word ("Müller.")
    }
    const std::string_view word = text.substr(start, dot - start);
    if (word.find('.') != std::string_view::npos)
        return true; // "e.g.", "i.e.", "U.S."
    if (word.size() == 1 && word[0] >= 'A' && word[0] <= 'Z')
        return true; // an initial: "J. Smith"
    std::string lower(word);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return char(c >= 'A' && c <= 'Z' ? c + 32 : c); });
    if (std::ranges::find(kAbbreviations, lower) != std::end(kAbbreviations))
        return true;
    const bool beforeNumber = QChar::isDigit(following) || following == '(';
    return beforeNumber
           && std::ranges::find(kNumberAbbreviations, lower) != std::end(kNumberAbbreviations);
}

} // namespace rag
