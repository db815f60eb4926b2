#include "core/tokenize/bperanktable.h"

#include "core/common/logging.h"

#include <QFile>
#include <QString>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <optional>

namespace rag {

namespace {

// Ranks above this are not a tiktoken file (the largest real vocabulary is ~200k);
// the bound keeps a damaged file from allocating gigabytes.
constexpr std::uint32_t kMaxRank = 16u * 1024u * 1024u;

// The first min(8, size) bytes of s, zero-padded, in memory order.
inline std::uint64_t headBytes(std::string_view s)
{
    std::uint64_t w = 0;
    if (s.size() >= 8)
        std::memcpy(&w, s.data(), 8);
    else
        for (std::size_t i = 0; i < s.size(); ++i)
            w |= std::uint64_t(static_cast<unsigned char>(s[i])) << (8 * i);
    return w;
}

// A fast 64-bit hash for short byte strings (tokens are rarely longer than 16 bytes):
// 8-byte words folded with a multiply-xorshift, the length mixed into the seed.
inline std::uint64_t hashBytes(std::string_view s, std::uint64_t head)
{
    constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;
    std::uint64_t h = (0xD6E8FEB86659FD93ull ^ (s.size() * kMul) ^ head) * kMul;
    h ^= h >> 29;
    for (std::size_t i = 8; i < s.size(); i += 8) {
        std::uint64_t w = 0;
        std::memcpy(&w, s.data() + i, std::min<std::size_t>(8, s.size() - i));
        h = (h ^ w) * kMul;
        h ^= h >> 29;
    }
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    return h;
}

inline std::uint32_t lengthTag(std::size_t size, std::uint64_t hash)
{
    return static_cast<std::uint32_t>(std::min<std::size_t>(size, 255)) | (static_cast<std::uint32_t>(hash >> 40) << 8);
}

constexpr std::array<std::int8_t, 256> makeBase64Table()
{
    std::array<std::int8_t, 256> t{};
    for (auto &v : t)
        v = -1;
    const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i)
        t[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
    return t;
}
constexpr std::array<std::int8_t, 256> kBase64 = makeBase64Table();

// Standard base64 with '=' padding; nullopt on any other character or a bad length.
std::optional<std::string> decodeBase64(std::string_view in)
{
    while (!in.empty() && in.back() == '=')
        in.remove_suffix(1);
    if (in.size() % 4 == 1)
        return std::nullopt;
    std::string out;
    out.reserve(in.size() * 3 / 4);
    std::uint32_t acc = 0;
    int bits = 0;
    for (const char ch : in) {
        const int v = kBase64[static_cast<unsigned char>(ch)];
        if (v < 0)
            return std::nullopt;
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xFF));
        }
    }
    return out;
}

struct ParsedLine {
    std::string bytes;
    std::uint32_t rank = 0;
};

// One "<base64> <rank>" line; the error's source is left for the caller to fill in.
Result<ParsedLine> parseLine(std::string_view line)
{
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos)
        return fail(ErrorCode::Parse, "expected \"<base64 token> <rank>\"");
    std::optional<std::string> bytes = decodeBase64(line.substr(0, space));
    if (!bytes || bytes->empty())
        return fail(ErrorCode::Parse, "the token is not valid non-empty base64");
    const std::string_view rankText = line.substr(space + 1);
    std::uint32_t rank = 0;
    const auto [end, ec] = std::from_chars(rankText.data(), rankText.data() + rankText.size(), rank);
    if (ec != std::errc() || end != rankText.data() + rankText.size() || rankText.empty())
        return fail(ErrorCode::Parse, "the rank is not a non-negative integer");
    if (rank > kMaxRank)
        return fail(ErrorCode::Parse, "rank " + std::to_string(rank) + " is implausibly large");
    return ParsedLine{std::move(*bytes), rank};
}

// All non-empty lines (LF or CRLF); errors name "source:line".
Result<std::vector<ParsedLine>> parseLines(std::string_view content, const std::string &source)
{
    std::vector<ParsedLine> lines;
    lines.reserve(content.size() / 16);
    std::size_t lineNo = 0;
    while (!content.empty()) {
        const std::size_t nl = content.find('\n');
        std::string_view line = content.substr(0, nl);
        content.remove_prefix(nl == std::string_view::npos ? content.size() : nl + 1);
        ++lineNo;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.empty())
            continue;
        Result<ParsedLine> parsed = parseLine(line);
        if (!parsed) {
            Error error = parsed.error();
            error.source = source + ":" + std::to_string(lineNo);
            return std::unexpected(std::move(error));
        }
        lines.push_back(std::move(*parsed));
    }
    if (lines.empty())
        return fail(ErrorCode::Empty, "the rank file has no tokens", source);
    return lines;
}

} // namespace

Result<BpeRankTable> BpeRankTable::parse(std::string_view content, const std::string &source)
{
    Result<std::vector<ParsedLine>> parsed = parseLines(content, source);
    if (!parsed)
        return std::unexpected(parsed.error());
    const std::vector<ParsedLine> &lines = *parsed;
    std::uint32_t maxRank = 0;
    for (const ParsedLine &l : lines)
        maxRank = std::max(maxRank, l.rank);

    BpeRankTable table;
    std::vector<const ParsedLine *> byRank(std::size_t(maxRank) + 1, nullptr);
    std::size_t arenaSize = 0;
    for (const ParsedLine &l : lines) {
        if (byRank[l.rank] != nullptr)
            return fail(ErrorCode::Corrupt, "rank " + std::to_string(l.rank) + " appears twice", source);
        byRank[l.rank] = &l;
        arenaSize += l.bytes.size();
    }
    table.m_arena.reserve(arenaSize);
    table.m_offsets.reserve(byRank.size() + 1);
    for (const ParsedLine *l : byRank) {
        table.m_offsets.push_back(static_cast<std::uint32_t>(table.m_arena.size()));
        if (l)
            table.m_arena += l->bytes;
    }
    table.m_offsets.push_back(static_cast<std::uint32_t>(table.m_arena.size()));

    std::size_t slotCount = 1024;
    while (slotCount < lines.size() * 2 + lines.size() / 2)
        slotCount *= 2;
    table.m_slots.assign(slotCount, Slot{});
    for (const ParsedLine &l : lines) {
        if (!table.insert(l.rank))
            return fail(ErrorCode::Corrupt, "token of rank " + std::to_string(l.rank) + " appears twice", source);
    }
    table.m_tokenCount = lines.size();
    table.m_pairRanks.assign(65536, kNoRank);
    for (const ParsedLine &l : lines) {
        if (l.bytes.size() == 2)
            table.m_pairRanks[(std::size_t(static_cast<unsigned char>(l.bytes[0])) << 8)
                              | static_cast<unsigned char>(l.bytes[1])] = l.rank;
    }

    // BPE starts from single bytes, so every byte must be a token or some input could not be encoded.
    for (int b = 0; b < 256; ++b) {
        const char c = static_cast<char>(b);
        if (table.rank(std::string_view(&c, 1)) == kNoRank)
            return fail(ErrorCode::Corrupt, "the single byte " + std::to_string(b) + " has no rank", source);
    }
    return table;
}

Result<BpeRankTable> BpeRankTable::loadFile(const std::string &path)
{
    QFile file(QString::fromStdString(path));
    if (!file.exists())
        return fail(ErrorCode::NotFound, "rank file does not exist", path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Io, "cannot open rank file: " + file.errorString().toStdString(), path);
    const QByteArray content = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return fail(ErrorCode::Io, "cannot read rank file: " + file.errorString().toStdString(), path);
    Result<BpeRankTable> table = parse(std::string_view(content.constData(), std::size_t(content.size())), path);
    if (table)
        qCDebug(lcTokenize) << "loaded" << table->tokenCount() << "ranks from" << QString::fromStdString(path);
    return table;
}

bool BpeRankTable::insert(std::uint32_t rank)
{
    const std::string_view key = bytes(rank);
    if (this->rank(key) != kNoRank)
        return false;
    const std::uint64_t head = headBytes(key);
    const std::uint64_t h = hashBytes(key, head);
    const std::size_t mask = m_slots.size() - 1;
    std::size_t i = h & mask;
    while (m_slots[i].rank != kNoRank)
        i = (i + 1) & mask;
    m_slots[i] = Slot{head, rank, lengthTag(key.size(), h)};
    return true;
}

std::uint32_t BpeRankTable::rank(std::string_view key) const
{
    const std::uint64_t head = headBytes(key);
    const std::uint64_t h = hashBytes(key, head);
    const std::uint32_t tag = lengthTag(key.size(), h);
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
        const Slot &slot = m_slots[i];
        if (slot.rank == kNoRank)
            return kNoRank;
        if (slot.lengthTag == tag && slot.head == head) {
            if (key.size() <= 8)
                return slot.rank;
            const std::uint32_t begin = m_offsets[slot.rank];
            if (m_offsets[slot.rank + 1] - begin == key.size()
                && std::memcmp(m_arena.data() + begin + 8, key.data() + 8, key.size() - 8) == 0)
                return slot.rank;
        }
    }
}

std::string_view BpeRankTable::bytes(std::uint32_t rank) const
{
    if (rank >= rankLimit())
        return {};
    const std::uint32_t begin = m_offsets[rank];
    return std::string_view(m_arena).substr(begin, m_offsets[rank + 1] - begin);
}

} // namespace rag
