#include "core/embed/sentencepiecetokenizer.h"

#include <QFile>
#include <QString>

#include <algorithm>

#include <nlohmann/json.hpp>

namespace rag {

namespace {

constexpr char32_t kWordPrefix = 0x2581;  // "▁"

std::u32string toCodePoints(const QString &text)
{
    const QList<uint> ucs4 = text.toUcs4();
    return std::u32string(ucs4.begin(), ucs4.end());
}

// The reference's processInput(): NFKC, then "▁" in front and for every ASCII
// space, unless the normalised text is empty (which then yields no ids at all).
std::u32string preprocess(std::string_view utf8)
{
    const QString normalised = QString::fromUtf8(utf8.data(), qsizetype(utf8.size()))
                                   .normalized(QString::NormalizationForm_KC);
    std::u32string symbols = toCodePoints(normalised);
    if (symbols.empty())
        return symbols;
    for (char32_t &c : symbols) {
        if (c == U' ')
            c = kWordPrefix;
    }
    symbols.insert(symbols.begin(), kWordPrefix);
    return symbols;
}

} // namespace

Result<SentencePieceTokenizer> SentencePieceTokenizer::load(const std::string &vocabJsonPath)
{
    QFile file(QString::fromStdString(vocabJsonPath));
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::NotFound, "cannot open the vocabulary: " + file.errorString().toStdString(),
                    vocabJsonPath);
    const QByteArray bytes = file.readAll();
    const nlohmann::json json = nlohmann::json::parse(bytes.begin(), bytes.end(), nullptr, false);
    if (json.is_discarded() || !json.is_array())
        return fail(ErrorCode::Parse, "the vocabulary is not a JSON array", vocabJsonPath);

    std::vector<Piece> pieces;
    pieces.reserve(json.size());
    for (std::size_t i = 0; i < json.size(); ++i) {
        const nlohmann::json &entry = json[i];
        if (!entry.is_array() || entry.size() != 2 || !entry[0].is_string()
            || !(entry[1].is_number() || entry[1].is_null()))
            return fail(ErrorCode::Parse, "entry " + std::to_string(i) + " is not a [piece, score] pair",
                        vocabJsonPath);
        // The shipped vocabulary has a null score for the pieces with ':' (":", "://",
        // "▁:)", ...); the reference adds it to a number, where null counts as 0.
        pieces.push_back(Piece{entry[0].get<std::string>(), entry[1].is_null() ? 0.0 : entry[1].get<double>()});
    }
    auto tokenizer = fromPieces(std::move(pieces));
    if (!tokenizer)
        return fail(tokenizer.error().code, tokenizer.error().detail, vocabJsonPath);
    return tokenizer;
}

Result<SentencePieceTokenizer> SentencePieceTokenizer::fromPieces(std::vector<Piece> pieces, int reservedCount)
{
    if (reservedCount < 1 || std::size_t(reservedCount) >= pieces.size())
        return fail(ErrorCode::InvalidArgument, "the vocabulary has no pieces beyond the reserved symbols");
    SentencePieceTokenizer tokenizer;
    tokenizer.m_pieces = std::move(pieces);
    tokenizer.m_nodes.emplace_back();
    tokenizer.m_utf16Length.reserve(tokenizer.m_pieces.size());
    for (std::size_t id = 0; id < tokenizer.m_pieces.size(); ++id) {
        const QString text = QString::fromStdString(tokenizer.m_pieces[id].text);
        tokenizer.m_utf16Length.push_back(std::int32_t(text.size()));
        if (id >= std::size_t(reservedCount))
            tokenizer.insert(toCodePoints(text), tokenizer.m_pieces[id].score, std::int32_t(id));
    }
    return tokenizer;
}

void SentencePieceTokenizer::insert(const std::u32string &symbols, double score, std::int32_t id)
{
    if (symbols.empty())
        return;
    std::int32_t node = 0;
    for (char32_t symbol : symbols) {
        const std::uint64_t key = (std::uint64_t(node) << 32) | symbol;
        auto it = m_children.find(key);
        if (it == m_children.end()) {
            m_nodes.emplace_back();
            it = m_children.emplace(key, std::int32_t(m_nodes.size() - 1)).first;
        }
        node = it->second;
    }
    // A later duplicate of a piece wins, as in the reference's trie.
    m_nodes[std::size_t(node)].pieceId = id;
    m_nodes[std::size_t(node)].score = score;
}

std::int32_t SentencePieceTokenizer::child(std::int32_t node, char32_t symbol) const
{
    const auto it = m_children.find((std::uint64_t(node) << 32) | symbol);
    return it == m_children.end() ? -1 : it->second;
}

// Every piece that starts at `start`, shortest first; when there is none, the
// single code point as the unknown id with score 0 (the reference's fallback).
void SentencePieceTokenizer::prefixMatches(const std::u32string &symbols, std::size_t start,
                                           std::vector<Match> &out) const
{
    out.clear();
    std::int32_t node = child(0, symbols[start]);
    for (std::size_t i = start; i < symbols.size() && node >= 0; ++i) {
        const Node &n = m_nodes[std::size_t(node)];
        if (n.pieceId >= 0)
            out.push_back(Match{std::int32_t(i - start + 1), n.pieceId, n.score});
        node = i + 1 < symbols.size() ? child(node, symbols[i + 1]) : -1;
    }
    if (out.empty())
        out.push_back(Match{1, kUnknownId, 0.0});
}

// The Viterbi search of the reference, including what makes it differ from
// SentencePiece proper: a best score of exactly 0 counts as "unset" (so the
// score-0 unknown fallback is overwritten by any later candidate, and a position
// no piece ends at starts the next piece from 0), ties go to the later start,
// and the backtrack steps back by the UTF-16 length of the chosen piece.
std::vector<std::int32_t> SentencePieceTokenizer::encode(std::string_view utf8) const
{
    const std::u32string symbols = preprocess(utf8);
    const std::size_t n = symbols.size();
    std::vector<double> best(n + 1, 0.0);
    std::vector<std::int32_t> words(n + 1, kUnknownId);
    std::vector<Match> matches;
    matches.reserve(32);
    // Candidates ending at a position are visited in increasing start order in the
    // reference; a forward sweep over starts visits them in the same order.
    for (std::size_t start = 0; start < n; ++start) {
        prefixMatches(symbols, start, matches);
        for (const Match &m : matches) {
            const std::size_t end = start + std::size_t(m.length);
            const double score = m.score + best[start];
            if (best[end] == 0.0 || score >= best[end]) {
                best[end] = score;
                words[end] = m.pieceId;
            }
        }
    }

    std::vector<std::int32_t> backwards;
    for (std::ptrdiff_t at = std::ptrdiff_t(n); at > 0;) {
        const std::int32_t id = words[std::size_t(at)];
        backwards.push_back(id);
        at -= std::max(1, m_utf16Length[std::size_t(id)]);  // an empty piece cannot be chosen; never loop
    }
    std::vector<std::int32_t> ids;
    ids.reserve(backwards.size());
    bool previousUnknown = false;
    for (std::int32_t id : backwards) {
        if (!(previousUnknown && id == kUnknownId))
            ids.push_back(id);
        previousUnknown = id == kUnknownId;
    }
    return {ids.rbegin(), ids.rend()};
}

} // namespace rag
