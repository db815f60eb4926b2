#pragma once
// Shared by the chunking tests: real input texts, a token counter whose counts the
// tests can predict, and the invariants every chunk list must satisfy.
#include "core/chunking/chunk.h"
#include "core/chunking/chunkerconfig.h"
#include "core/chunking/utf8text.h"
#include "core/tokenize/tokencounter.h"

#include <nlohmann/json.hpp>

#include <QString>

#include <cstddef>
#include <fstream>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace rag::test {

// One token per run of non-whitespace bytes. Its counts add up exactly over the
// text, so fixed token windows and overlaps can be asserted to the token.
class WordTokenCounter final : public TokenCounter {
public:
    std::size_t countTokens(std::string_view utf8) const override
    {
        std::size_t words = 0;
        bool inWord = false;
        for (const char c : utf8) {
            const bool space = c == ' ' || (c >= 0x09 && c <= 0x0D);
            words += (!space && !inWord) ? 1 : 0;
            inWord = !space;
        }
        return words;
    }
};

inline std::string sharedDir()
{
    return RAG_SHARED_DIR;
}

// The first `count` SciFact documents, each "title\ntext".
inline std::vector<std::string> scifactDocuments(std::size_t count)
{
    std::vector<std::string> documents;
    std::ifstream in(sharedDir() + "/datasets/scifact/corpus.jsonl");
    std::string line;
    while (documents.size() < count && std::getline(in, line)) {
        const auto json = nlohmann::json::parse(line);
        documents.push_back(json.at("title").get<std::string>() + "\n" + json.at("text").get<std::string>());
    }
    return documents;
}

// The first `count` Cranfield abstracts (the .W field, line breaks kept).
inline std::vector<std::string> cranfieldDocuments(std::size_t count)
{
    std::vector<std::string> documents;
    std::ifstream in(sharedDir() + "/datasets/cranfield/cran.all.1400");
    std::string line;
    bool inText = false;
    while (std::getline(in, line)) {
        if (line.rfind(".I ", 0) == 0) {
            if (documents.size() >= count)
                break;
            inText = false;
            continue;
        }
        if (line.size() == 2 && line[0] == '.') {
            inText = line == ".W";
            if (inText)
                documents.emplace_back();
            continue;
        }
        if (inText)
            documents.back() += (documents.back().empty() ? "" : "\n") + line;
    }
    return documents;
}

// Markdown with nested ATX and setext headings, fences (one holding a "#" line),
// a list, a table and a long section; the shape of a README or design note.
inline std::string markdownSample()
{
    return "---\ntitle: Workbench notes\n---\n"
           "Preamble text before any heading.\n\n"
           "# Intro\n\nThe workbench builds and evaluates retrieval pipelines. It keeps every chunk's "
           "offsets so relevance judgments survive re-chunking.\n\n"
           "## Setup\n\nInstall the dependencies first:\n\n"
           "```bash\n# not a heading\nsudo apt-get install qt6-base-dev\ncmake -S . -B build -G Ninja\n"
           "cmake --build build\n```\n\n"
           "Then run the tests.\n\n"
           "- one item\n- two items\n- three items with more words in them\n\n"
           "Usage notes\n-----------\n\n"
           "| column | value |\n|---|---|\n| size | 1000 |\n| overlap | 200 |\n\n"
           "### Deep ### \n\nA deeper section. It has several sentences. Each adds a little text. The "
           "chunker must keep them under the size. Some of them are longer than others, which is how "
           "prose usually looks when engineers write documentation for other engineers.\n\n"
           "~~~\nfenced with tildes\n  indented line\n~~~\n\n"
           "Second top level\n================\n\nClosing words for the document.\n";
}

// Accents, CJK, Greek, Cyrillic, emoji (astral, with ZWJ) and no-break spaces: every
// UTF-8 sequence length, so a chunk boundary inside a character would show.
inline std::string multilingualSample()
{
    return "Naïve café owners in Zürich serve crème brûlée. Ελληνικά κείμενα έχουν τόνους. "
           "Москва — столица России. 東京は日本の首都です。北京是中国的首都。 "
           "Emoji: 👩‍🔬 studies 🧬 and 🚀 launches.\u00a0Non-breaking\u00a0spaces too.\n\n"
           "Second paragraph: ½ cup, 3.14159 π, €20, ∑ and ∫ symbols. Déjà vu, señor! "
           "Straße, façade, coöperate. 😀😃😄😁 four faces.\n"
           "Last line with 한국어 텍스트 and עברית and العربية.";
}

inline bool onBoundary(std::string_view text, std::int64_t offset)
{
    return offset == std::int64_t(text.size())
           || !utf8::isContinuation(static_cast<unsigned char>(text[std::size_t(offset)]));
}

inline bool isWhitespaceOnly(std::string_view text, std::size_t begin, std::size_t end)
{
    return utf8::skipWhitespaceForward(text, begin, end) == end;
}

inline std::string withoutWhitespace(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t length = 0;
        const char32_t c = utf8::decode(text, at, &length);
        if (!utf8::isTrimmable(c))
            out.append(text.substr(at, length));
        at += length;
    }
    return out;
}

using Measure = std::function<std::size_t(std::string_view)>;

// What chunkText promises about one chunk on its own; "" or what failed.
inline std::string checkChunk(std::string_view text, const ChunkerConfig &config, const Chunk &c, bool lastChunk,
                              const Measure &measure, bool exactUnits)
{
    const bool fixed = config.strategy == ChunkStrategy::Fixed;
    const std::size_t size = std::size_t(config.size);
    if (c.start < 0 || c.end > std::int64_t(text.size()) || c.start >= c.end)
        return "bad span [" + std::to_string(c.start) + ", " + std::to_string(c.end) + ")";
    if (!onBoundary(text, c.start) || !onBoundary(text, c.end))
        return "span splits a UTF-8 sequence";
    const std::string_view body = text.substr(std::size_t(c.start), std::size_t(c.end - c.start));
    if (isWhitespaceOnly(body, 0, body.size()))
        return "whitespace only";
    if (!fixed && (utf8::skipWhitespaceForward(body, 0, body.size()) != 0
                   || utf8::skipWhitespaceBackward(body, 0, body.size()) != body.size()))
        return "not trimmed";
    const std::size_t units = measure(body);
    if (units > size)
        return std::to_string(units) + " units > size " + std::to_string(size);
    if (fixed && exactUnits && !lastChunk && units != size)
        return "fixed window of " + std::to_string(units) + " units, want " + std::to_string(size);
    return {};
}

// What chunkText promises about a chunk and the one before it; "" or what failed.
inline std::string checkNeighbours(std::string_view text, const ChunkerConfig &config, const Chunk &p, const Chunk &c,
                                   const Measure &measure, bool exactUnits)
{
    const std::size_t overlap = std::size_t(config.overlap);
    if (c.start <= p.start || c.end <= p.end)
        return "does not advance past the chunk before";
    if (c.start >= p.end) {
        if (!isWhitespaceOnly(text, std::size_t(p.end), std::size_t(c.start)))
            return "gap with text before it";
        return {};
    }
    const std::size_t shared = measure(text.substr(std::size_t(c.start), std::size_t(p.end - c.start)));
    if (shared > overlap)
        return "shares " + std::to_string(shared) + " units > overlap " + std::to_string(overlap);
    if (config.strategy == ChunkStrategy::Fixed && exactUnits && shared != overlap)
        return "fixed overlap of " + std::to_string(shared) + " units, want " + std::to_string(overlap);
    return {};
}

// Checks everything chunkText promises for any strategy; returns "" or what failed.
// `exactUnits`: the measure adds up over the text (characters, WordTokenCounter), so
// fixed windows must hold exactly `size` units and share exactly `overlap`.
inline std::string checkInvariants(std::string_view text, const ChunkerConfig &config,
                                   const std::vector<Chunk> &chunks, const Measure &measure,
                                   bool exactUnits)
{
    std::string stitched; // the text again, each byte taken from the first chunk holding it
    std::int64_t covered = 0;
    for (std::size_t i = 0; i < chunks.size(); ++i) {
        const Chunk &c = chunks[i];
        std::string failure = c.index == int(i) ? checkChunk(text, config, c, i + 1 == chunks.size(), measure, exactUnits)
                                                : "index " + std::to_string(c.index);
        if (failure.empty() && i > 0)
            failure = checkNeighbours(text, config, chunks[i - 1], c, measure, exactUnits);
        if (failure.empty() && i == 0 && !isWhitespaceOnly(text, 0, std::size_t(c.start)))
            failure = "text before the first chunk";
        if (!failure.empty())
            return "chunk " + std::to_string(i) + ": " + failure;
        const std::int64_t from = std::max(covered, c.start);
        if (from < c.end)
            stitched.append(text.substr(std::size_t(from), std::size_t(c.end - from)));
        covered = std::max(covered, c.end);
    }
    if (!isWhitespaceOnly(text, std::size_t(covered), text.size()))
        return "text after the last chunk";
    if (withoutWhitespace(stitched) != withoutWhitespace(text))
        return "chunks do not reproduce the text";
    return {};
}

} // namespace rag::test
