#include "core/tokenize/pretokenizer.h"

#include "core/tokenize/unicodeclass.h"

#include <optional>

namespace rag {

namespace {

// The regex character classes, by name of the pattern fragment they stand for.
bool isLetter(CharClass c) // \p{L}
{
    return c >= CharClass::UpperLetter && c <= CharClass::OtherLetter;
}
bool isLetterOrMark(CharClass c) // \p{L} or \p{M}
{
    return c >= CharClass::UpperLetter && c <= CharClass::Mark;
}
bool isUpperWordChar(CharClass c) // [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
{
    return c == CharClass::UpperLetter || c == CharClass::TitleLetter || c == CharClass::ModifierLetter
        || c == CharClass::OtherLetter || c == CharClass::Mark;
}
bool isLowerWordChar(CharClass c) // [\p{Ll}\p{Lm}\p{Lo}\p{M}]
{
    return c == CharClass::LowerLetter || c == CharClass::ModifierLetter || c == CharClass::OtherLetter
        || c == CharClass::Mark;
}
bool isNewline(char32_t cp) // [\r\n]
{
    return cp == U'\r' || cp == U'\n';
}
bool isWordPrefix(const Utf8Char &c) // [^\r\n\p{L}\p{N}]
{
    return !isLetter(c.cls) && c.cls != CharClass::Number && !isNewline(c.codePoint);
}
bool isPunctuation(CharClass c) // [^\s\p{L}\p{N}]
{
    return !isLetter(c) && c != CharClass::Number && c != CharClass::Space;
}

// End of the longest run, from pos, of characters whose class satisfies pred.
template <typename Pred>
std::size_t runEnd(std::string_view text, std::size_t pos, Pred pred)
{
    while (pos < text.size()) {
        const Utf8Char c = readUtf8Char(text, pos);
        if (!pred(c.cls))
            break;
        pos += c.length;
    }
    return pos;
}

// '(?:[sS]|[dD]|[mM]|[tT]|[lL][lL]|[vV][eE]|[rR][eE]) at pos; 0 when it does not match.
std::size_t contractionEnd(std::string_view text, std::size_t pos)
{
    if (pos + 1 >= text.size() || text[pos] != '\'')
        return 0;
    const char a = static_cast<char>(text[pos + 1] | 0x20); // ASCII case fold: the pattern lists both cases
    if (a == 's' || a == 'd' || a == 'm' || a == 't')
        return pos + 2;
    if (pos + 2 >= text.size())
        return 0;
    const char b = static_cast<char>(text[pos + 2] | 0x20);
    if ((a == 'l' && b == 'l') || (a == 'v' && b == 'e') || (a == 'r' && b == 'e'))
        return pos + 3;
    return 0;
}

// \p{N}{1,3}
std::size_t numberEnd(std::string_view text, std::size_t pos)
{
    for (int i = 0; i < 3 && pos < text.size(); ++i) {
        const Utf8Char c = readUtf8Char(text, pos);
        if (c.cls != CharClass::Number)
            break;
        pos += c.length;
    }
    return pos;
}

// [^\s\p{L}\p{N}]+ then [\r\n]* (cl100k) or [\r\n/]* (o200k), from a punctuation character.
std::size_t punctuationEnd(std::string_view text, std::size_t pos, bool trailingSlash)
{
    pos = runEnd(text, pos, isPunctuation);
    while (pos < text.size() && (text[pos] == '\r' || text[pos] == '\n' || (trailingSlash && text[pos] == '/')))
        ++pos;
    return pos;
}

// One forward scan of a whitespace run answers every whitespace alternative:
// \s+$ needs its end, \s*[\r\n] the end of its last newline, \s+(?!\S) the start
// of its last character (the greedy run backs off by one so the lookahead sees a space).
struct SpaceRun {
    std::size_t end = 0;
    std::size_t lastCharStart = 0;
    std::size_t lastNewlineEnd = 0; // 0: no newline in the run
};

SpaceRun scanSpaceRun(std::string_view text, std::size_t pos)
{
    SpaceRun run;
    run.lastCharStart = pos;
    while (pos < text.size()) {
        const Utf8Char c = readUtf8Char(text, pos);
        if (c.cls != CharClass::Space)
            break;
        run.lastCharStart = pos;
        pos += c.length;
        if (isNewline(c.codePoint))
            run.lastNewlineEnd = pos;
    }
    run.end = pos;
    return run;
}

// [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+ from pos. The greedy
// upper run backs off until a lower-class character can start the lower run: either
// the character right after the run, or else the last lower-class character inside it
// (whose lower run then ends at once, since nothing after it in the run is lower-class).
std::optional<std::size_t> upperThenLowerEnd(std::string_view text, std::size_t pos)
{
    std::size_t lastLowerEnd = 0;
    bool sawLower = false;
    while (pos < text.size()) {
        const Utf8Char c = readUtf8Char(text, pos);
        if (!isUpperWordChar(c.cls)) {
            if (isLowerWordChar(c.cls))
                return runEnd(text, pos, isLowerWordChar);
            break;
        }
        pos += c.length;
        if (isLowerWordChar(c.cls)) {
            lastLowerEnd = pos;
            sawLower = true;
        }
    }
    if (sawLower)
        return lastLowerEnd;
    return std::nullopt;
}

// [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]* from pos.
std::optional<std::size_t> upperRunThenLowerEnd(std::string_view text, std::size_t pos)
{
    const std::size_t upperEnd = runEnd(text, pos, isUpperWordChar);
    if (upperEnd == pos)
        return std::nullopt;
    return runEnd(text, upperEnd, isLowerWordChar);
}

std::size_t cl100kPieceEnd(std::string_view text, std::size_t pos)
{
    const std::size_t n = text.size();
    const Utf8Char c0 = readUtf8Char(text, pos);
    const std::size_t next = pos + c0.length;
    // '(?:[sS]|[dD]|[mM]|[tT]|[lL][lL]|[vV][eE]|[rR][eE])
    if (c0.codePoint == U'\'') {
        if (const std::size_t end = contractionEnd(text, pos))
            return end;
    }
    // [^\r\n\p{L}\p{N}]?\p{L}+
    if (isLetter(c0.cls))
        return runEnd(text, next, isLetter);
    if (next < n && isWordPrefix(c0) && isLetter(readUtf8Char(text, next).cls))
        return runEnd(text, next, isLetter);
    // \p{N}{1,3}
    if (c0.cls == CharClass::Number)
        return numberEnd(text, pos);
    // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
    if (isPunctuation(c0.cls))
        return punctuationEnd(text, pos, false);
    if (c0.codePoint == U' ' && next < n && isPunctuation(readUtf8Char(text, next).cls))
        return punctuationEnd(text, next, false);
    // c0 is whitespace: \s+$ | \s*[\r\n] | \s+(?!\S) | \s
    const SpaceRun run = scanSpaceRun(text, pos);
    if (run.end == n)
        return n;
    if (run.lastNewlineEnd != 0)
        return run.lastNewlineEnd;
    if (run.lastCharStart > pos)
        return run.lastCharStart;
    return next;
}

// The two o200k word alternatives, each with its optional one-character prefix
// ([^\r\n\p{L}\p{N}]?, tried with the prefix first) and optional contraction suffix.
std::optional<std::size_t> o200kWordEnd(std::string_view text, std::size_t pos, const Utf8Char &c0)
{
    const std::size_t next = pos + c0.length;
    const bool prefix = isWordPrefix(c0) && next < text.size();
    std::optional<std::size_t> end;
    for (auto tail : {upperThenLowerEnd, upperRunThenLowerEnd}) {
        if (prefix)
            end = tail(text, next);
        if (!end)
            end = tail(text, pos);
        if (end)
            break;
    }
    if (end) {
        if (const std::size_t withSuffix = contractionEnd(text, *end))
            end = withSuffix;
    }
    return end;
}

std::size_t o200kPieceEnd(std::string_view text, std::size_t pos)
{
    const std::size_t n = text.size();
    const Utf8Char c0 = readUtf8Char(text, pos);
    const std::size_t next = pos + c0.length;
    if (isLetterOrMark(c0.cls) || (next < n && isWordPrefix(c0) && isLetterOrMark(readUtf8Char(text, next).cls))) {
        if (const std::optional<std::size_t> end = o200kWordEnd(text, pos, c0))
            return *end;
    }
    // \p{N}{1,3}
    if (c0.cls == CharClass::Number)
        return numberEnd(text, pos);
    // ' ?[^\s\p{L}\p{N}]+[\r\n/]*'
    if (isPunctuation(c0.cls))
        return punctuationEnd(text, pos, true);
    if (c0.codePoint == U' ' && next < n && isPunctuation(readUtf8Char(text, next).cls))
        return punctuationEnd(text, next, true);
    // c0 is whitespace: \s*[\r\n]+ | \s+(?!\S) | \s+
    const SpaceRun run = scanSpaceRun(text, pos);
    if (run.lastNewlineEnd != 0)
        return run.lastNewlineEnd;
    if (run.end == n)
        return n;
    if (run.lastCharStart > pos)
        return run.lastCharStart;
    return run.end;
}

} // namespace

PreTokenizer::PreTokenizer(SplitPattern pattern)
    : m_pattern(pattern)
{
}

std::size_t PreTokenizer::pieceEnd(std::string_view text, std::size_t pos) const
{
    return m_pattern == SplitPattern::Cl100k ? cl100kPieceEnd(text, pos) : o200kPieceEnd(text, pos);
}

} // namespace rag
