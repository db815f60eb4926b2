#include "core/embed/lexicalfeatures.h"

#include <QChar>

namespace rag {

namespace {

constexpr std::uint64_t kFnvOffset = 14695981039346656037ull;
constexpr std::uint64_t kFnvPrime = 1099511628211ull;

// Each group starts from its own offset so "ab" the word and "ab" the n-gram differ.
std::uint64_t fnv1a(std::uint64_t h, std::string_view bytes)
{
    for (unsigned char c : bytes) {
        h ^= c;
        h *= kFnvPrime;
    }
    return h;
}

std::uint64_t groupSeed(LexicalGroup group)
{
    return fnv1a(kFnvOffset, "rag.lexical.") ^ ((std::uint64_t(group) + 1) * 0x9E3779B97F4A7C15ull);
}

// FNV-1a's low bits are weak on short keys; a final avalanche (splitmix64's) spreads
// every input bit over the bucket and sign bits.
std::uint64_t finalize(std::uint64_t h)
{
    h ^= h >> 30;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 27;
    h *= 0x94D049BB133111EBull;
    h ^= h >> 31;
    return h;
}

// Decodes one UTF-8 code point at s[i]; returns 0xFFFD and advances one byte on
// malformed input so that broken bytes act as separators, never as letters.
char32_t decodeUtf8(std::string_view s, std::size_t &i)
{
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
        ++i;
        return b0;
    }
    int len = 0;
    char32_t cp = 0;
    if ((b0 & 0xE0) == 0xC0) {
        len = 2;
        cp = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3;
        cp = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4;
        cp = b0 & 0x07;
    } else {
        ++i;
        return 0xFFFD;
    }
    if (i + std::size_t(len) > s.size()) {
        ++i;
        return 0xFFFD;
    }
    for (int k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + std::size_t(k)]);
        if ((b & 0xC0) != 0x80) {
            ++i;
            return 0xFFFD;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    i += std::size_t(len);
    return cp;
}

void appendUtf8(std::string &out, char32_t cp)
{
    if (cp < 0x80) {
        out.push_back(char(cp));
    } else if (cp < 0x800) {
        out.push_back(char(0xC0 | (cp >> 6)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(char(0xE0 | (cp >> 12)));
        out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(char(0xF0 | (cp >> 18)));
        out.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    }
}

bool isWordChar(char32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    if (cp == 0xFFFD)
        return false;
    return QChar::isLetterOrNumber(cp) || QChar::isMark(cp);
}

char32_t lower(char32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
    return QChar::toLower(cp);
}

// Walks the words of a text; `word` holds the current lowercased word and
// `starts` the byte offset of each of its code points (plus the end offset).
class WordScanner {
public:
    explicit WordScanner(std::string_view text) : m_text(text) {}

    bool next()
    {
        word.clear();
        starts.clear();
        while (m_pos < m_text.size()) {
            std::size_t at = m_pos;
            const char32_t cp = decodeUtf8(m_text, at);
            if (isWordChar(cp)) {
                starts.push_back(std::uint32_t(word.size()));
                appendUtf8(word, lower(cp));
            } else if (!word.empty()) {
                m_pos = at;
                starts.push_back(std::uint32_t(word.size()));
                return true;
            }
            m_pos = at;
        }
        if (word.empty())
            return false;
        starts.push_back(std::uint32_t(word.size()));
        return true;
    }

    std::string word;
    std::vector<std::uint32_t> starts;

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
};

} // namespace

std::uint64_t LexicalFeatures::featureId(LexicalGroup group, std::string_view bytes)
{
    return (finalize(fnv1a(groupSeed(group), bytes)) & ~std::uint64_t(3)) | std::uint64_t(group);
}

std::vector<std::string> LexicalFeatures::words(std::string_view text)
{
    std::vector<std::string> out;
    WordScanner scanner(text);
    while (scanner.next())
        out.push_back(scanner.word);
    return out;
}

void LexicalFeatures::extract(std::string_view text, std::vector<std::uint64_t> &out)
{
    static const std::uint64_t wordSeed = groupSeed(LexicalGroup::Word);
    static const std::uint64_t bigramSeed = groupSeed(LexicalGroup::Bigram);
    static const std::uint64_t gramSeed = groupSeed(LexicalGroup::CharGram);
    const auto tag = [](std::uint64_t h, LexicalGroup g) {
        return (finalize(h) & ~std::uint64_t(3)) | std::uint64_t(g);
    };

    WordScanner scanner(text);
    std::string previous;
    std::string marked;
    bool havePrevious = false;
    while (scanner.next()) {
        const std::string &w = scanner.word;
        out.push_back(tag(fnv1a(wordSeed, w), LexicalGroup::Word));
        if (havePrevious) {
            std::uint64_t h = fnv1a(bigramSeed, previous);
            h = fnv1a(h, std::string_view(" ", 1));
            out.push_back(tag(fnv1a(h, w), LexicalGroup::Bigram));
        }

        // Character n-grams over code points of "<word>"; the markers are one byte
        // each, so code point k of the marked word starts at starts[k-1] + 1.
        marked.assign(1, '<');
        marked += w;
        marked.push_back('>');
        const std::size_t cps = scanner.starts.size() - 1 + 2;
        const auto startOf = [&](std::size_t k) -> std::size_t {
            if (k == 0)
                return 0;
            if (k >= cps)
                return marked.size();
            return scanner.starts[k - 1] + 1;
        };
        for (std::size_t n = 3; n <= 5; ++n) {
            if (n > cps)
                break;
            for (std::size_t k = 0; k + n <= cps; ++k) {
                const std::size_t b = startOf(k);
                const std::size_t e = startOf(k + n);
                out.push_back(tag(fnv1a(gramSeed, std::string_view(marked).substr(b, e - b)),
                                  LexicalGroup::CharGram));
            }
        }
        previous = w;
        havePrevious = true;
    }
}

} // namespace rag
