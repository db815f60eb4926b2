#include "core/tokenize/bpetokenizer.h"

#include "core/common/assets.h"
#include "core/common/logging.h"
#include "core/tokenize/bytepairmerge.h"

#include <QFileInfo>
#include <QString>

#include <array>

namespace rag {

namespace {

// What gpt-tokenizer 4.0.0 knows about each encoding (src/encodingParams/*.ts).
struct EncodingSpec {
    const char *name;
    SplitPattern pattern;
    std::size_t vocabulary; // mergeable ranks in the rank file
    std::array<std::pair<const char *, std::uint32_t>, 8> specialTokens;
};

constexpr std::array<EncodingSpec, 2> kEncodings{{
    {"cl100k_base",
     SplitPattern::Cl100k,
     100256,
     {{{"<|endoftext|>", 100257},
       {"<|fim_prefix|>", 100258},
       {"<|fim_middle|>", 100259},
       {"<|fim_suffix|>", 100260},
       {"<|im_start|>", 100264},
       {"<|im_end|>", 100265},
       {"<|im_sep|>", 100266},
       {"<|endofprompt|>", 100276}}}},
    {"o200k_base",
     SplitPattern::O200k,
     199998,
     {{{"<|endoftext|>", 199999},
       {"<|fim_prefix|>", 200000},
       {"<|fim_middle|>", 200001},
       {"<|fim_suffix|>", 200002},
       {"<|im_start|>", 200003},
       {"<|im_end|>", 200004},
       {"<|im_sep|>", 200005},
       {"<|endofprompt|>", 200006}}}},
}};

const EncodingSpec *findEncoding(const std::string &name)
{
    for (const EncodingSpec &spec : kEncodings) {
        if (name == spec.name)
            return &spec;
    }
    return nullptr;
}

Result<const EncodingSpec *> requireEncoding(const std::string &name)
{
    if (const EncodingSpec *spec = findEncoding(name))
        return spec;
    return fail(ErrorCode::Unsupported, "unknown encoding \"" + name + "\" (supported: cl100k_base, o200k_base)",
                "tokenizer");
}

} // namespace

BpeTokenizer::BpeTokenizer(std::string encodingName, SplitPattern pattern, BpeRankTable ranks,
                           std::vector<std::pair<std::string, std::uint32_t>> specialTokens)
    : m_encodingName(std::move(encodingName))
    , m_preTokenizer(pattern)
    , m_ranks(std::move(ranks))
    , m_specialTokens(std::move(specialTokens))
{
}

Result<std::shared_ptr<const BpeTokenizer>> BpeTokenizer::load(const std::string &encodingName)
{
    const Result<const EncodingSpec *> spec = requireEncoding(encodingName);
    if (!spec)
        return std::unexpected(spec.error());
    const std::string path = assetDir() + "/gpt-tokenizer/data/" + encodingName + ".tiktoken";
    if (!QFileInfo::exists(QString::fromStdString(path)))
        return fail(ErrorCode::NotFound,
                    "the " + encodingName + " rank file is missing; run packaging/setup.sh to fetch the tokenizer assets",
                    path);
    return loadFromFile(encodingName, path);
}

Result<std::shared_ptr<const BpeTokenizer>> BpeTokenizer::loadFromFile(const std::string &encodingName,
                                                                       const std::string &rankFilePath)
{
    const Result<const EncodingSpec *> spec = requireEncoding(encodingName);
    if (!spec)
        return std::unexpected(spec.error());
    Result<BpeRankTable> ranks = BpeRankTable::loadFile(rankFilePath);
    if (!ranks)
        return std::unexpected(ranks.error());
    const EncodingSpec &s = **spec;
    if (ranks->tokenCount() != s.vocabulary || ranks->rankLimit() != s.vocabulary)
        return fail(ErrorCode::Mismatch,
                    "the rank file has " + std::to_string(ranks->tokenCount()) + " tokens (ranks below "
                        + std::to_string(ranks->rankLimit()) + ") but " + encodingName + " has "
                        + std::to_string(s.vocabulary),
                    rankFilePath);
    std::vector<std::pair<std::string, std::uint32_t>> special;
    for (const auto &[text, id] : s.specialTokens)
        special.emplace_back(text, id);
    qCInfo(lcTokenize) << "loaded" << QString::fromStdString(encodingName) << "with" << ranks->tokenCount()
                       << "ranks";
    return std::shared_ptr<const BpeTokenizer>(
        new BpeTokenizer(encodingName, s.pattern, std::move(*ranks), std::move(special)));
}

// Splits the text into pieces and hands each piece's ranks to sink. A piece that is
// itself a token (most English words) costs one lookup; the rest are merged. Like
// gpt-tokenizer, whose whole-piece lookup never finds a token that starts with U+FEFF,
// a BOM-led piece is always merged (see referenceRank()).
template <typename Sink>
void BpeTokenizer::encodeInto(std::string_view utf8, std::vector<std::uint32_t> &scratch, Sink &&sink) const
{
    std::size_t pos = 0;
    while (pos < utf8.size()) {
        const std::size_t end = m_preTokenizer.pieceEnd(utf8, pos);
        const std::string_view piece = utf8.substr(pos, end - pos);
        pos = end;
        const bool bomLed = piece.size() >= 3 && piece.substr(0, 3) == "\xEF\xBB\xBF";
        if (const std::uint32_t whole = bomLed ? BpeRankTable::kNoRank : m_ranks.rank(piece);
            whole != BpeRankTable::kNoRank) {
            sink(std::span<const std::uint32_t>(&whole, 1));
            continue;
        }
        scratch.clear();
        bytePairMerge(m_ranks, piece, scratch);
        sink(std::span<const std::uint32_t>(scratch));
    }
}

std::vector<std::uint32_t> BpeTokenizer::encode(std::string_view utf8) const
{
    std::vector<std::uint32_t> ids;
    ids.reserve(utf8.size() / 4 + 1);
    std::vector<std::uint32_t> scratch;
    encodeInto(utf8, scratch, [&ids](std::span<const std::uint32_t> piece) {
        ids.insert(ids.end(), piece.begin(), piece.end());
    });
    return ids;
}

std::size_t BpeTokenizer::countTokens(std::string_view utf8) const
{
    std::size_t count = 0;
    std::vector<std::uint32_t> scratch;
    encodeInto(utf8, scratch, [&count](std::span<const std::uint32_t> piece) { count += piece.size(); });
    return count;
}

std::string BpeTokenizer::decode(std::span<const std::uint32_t> ids) const
{
    std::string out;
    out.reserve(ids.size() * 4);
    for (const std::uint32_t id : ids) {
        const std::string_view bytes = m_ranks.bytes(id);
        if (!bytes.empty()) {
            out += bytes;
            continue;
        }
        for (const auto &[text, specialId] : m_specialTokens) {
            if (specialId == id) {
                out += text;
                break;
            }
        }
    }
    return out;
}

const std::string &BpeTokenizer::encodingName() const
{
    return m_encodingName;
}

} // namespace rag
