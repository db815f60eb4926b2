#include "core/embed/lexicalembedder.h"

#include "core/common/hashing.h"
#include "core/common/logging.h"
#include "core/embed/lexicalfeatures.h"
#include "core/embed/lexicalfeaturetable.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

namespace rag {

struct LexicalEmbedder::Stats {
    int dimension = 0;
    std::int64_t documents = 0;
    LexicalFeatureTable df;
    std::vector<float> idfByDf; // idf for df = 0..documents; [0] is the max (unseen)
    std::string weightsHash;
};

namespace {

constexpr char kMagic[8] = {'R', 'A', 'G', 'L', 'E', 'X', '\0', '\n'};
constexpr std::uint32_t kFormatVersion = 1;
constexpr std::size_t kBatch = 64;
const char *const kStatsSource = "lexical statistics";

// Relative weight of each feature group once each group's own vector is unit length.
// With only `dimension` buckets, whole words collide often and each collision is a
// large error; character n-grams spread a word over ~15 buckets, so their errors
// average out and they also match inflections and typos. They therefore get the
// largest share; bigrams add a little phrase evidence. Tuned on the SciFact *train*
// queries (nDCG@10: words only 0.47, these weights 0.63); part of version "1".
constexpr float kGroupWeight[kLexicalGroupCount] = {1.0f, 0.25f, 2.0f};

// Runs fn(begin, end, worker) over [0, count) in batches on up to all cores; the
// calling thread is worker 0 and the only one that reports progress (JobContext
// wants a single reporting thread). Returns false when cancelled.
template <typename Fn>
bool runBatches(std::size_t count, const JobContext &ctx, const std::string &stage, int workers,
                Fn &&fn)
{
    const std::size_t batches = (count + kBatch - 1) / kBatch;
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> done{0};
    std::atomic<bool> stop{false};
    const auto work = [&](int worker, bool report) {
        for (;;) {
            if (stop.load(std::memory_order_relaxed) || ctx.cancelled()) {
                stop = true;
                return;
            }
            const std::size_t b = next.fetch_add(1);
            if (b >= batches)
                return;
            const std::size_t begin = b * kBatch;
            const std::size_t end = std::min(count, begin + kBatch);
            fn(begin, end, worker);
            const std::size_t total = done.fetch_add(end - begin) + (end - begin);
            if (report)
                ctx.progress(std::int64_t(total), std::int64_t(count), stage);
        }
    };
    std::vector<std::thread> threads;
    for (int w = 1; w < workers; ++w)
        threads.emplace_back(work, w, false);
    work(0, true);
    for (auto &t : threads)
        t.join();
    if (stop.load() || ctx.cancelled())
        return false;
    ctx.progress(std::int64_t(count), std::int64_t(count), stage);
    return true;
}

int workersFor(std::size_t count)
{
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    return count < 2 * kBatch ? 1 : int(std::min<std::size_t>(std::size_t(cores), count / kBatch));
}

void putU32(std::string &out, std::uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        out.push_back(char((v >> (8 * i)) & 0xFF));
}

void putU64(std::string &out, std::uint64_t v)
{
    for (int i = 0; i < 8; ++i)
        out.push_back(char((v >> (8 * i)) & 0xFF));
}

void putVarint(std::string &out, std::uint64_t v)
{
    while (v >= 0x80) {
        out.push_back(char((v & 0x7F) | 0x80));
        v >>= 7;
    }
    out.push_back(char(v));
}

// Bounds-checked little-endian reader over the serialised statistics.
class Reader {
public:
    explicit Reader(std::string_view bytes) : m_bytes(bytes) {}

    bool fixed(std::uint64_t &v, int width)
    {
        if (m_pos + std::size_t(width) > m_bytes.size())
            return false;
        v = 0;
        for (int i = 0; i < width; ++i)
            v |= std::uint64_t(static_cast<unsigned char>(m_bytes[m_pos + std::size_t(i)])) << (8 * i);
        m_pos += std::size_t(width);
        return true;
    }

    bool varint(std::uint64_t &v)
    {
        v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (m_pos >= m_bytes.size())
                return false;
            const auto b = static_cast<unsigned char>(m_bytes[m_pos++]);
            v |= std::uint64_t(b & 0x7F) << shift;
            if (!(b & 0x80))
                return true;
        }
        return false;
    }

    bool atEnd() const { return m_pos == m_bytes.size(); }

private:
    std::string_view m_bytes;
    std::size_t m_pos = 0;
};

std::string serializeStats(int dimension, std::int64_t documents, const LexicalFeatureTable &df)
{
    const auto entries = df.sorted();
    std::string out(kMagic, sizeof kMagic);
    putU32(out, kFormatVersion);
    putU32(out, std::uint32_t(dimension));
    putU64(out, std::uint64_t(documents));
    putU64(out, entries.size());
    out.reserve(out.size() + entries.size() * 9);
    std::uint64_t previous = 0;
    for (const auto &[id, count] : entries) {
        putVarint(out, id - previous); // ids are sorted and distinct: small positive gaps
        putVarint(out, count);
        previous = id;
    }
    return out;
}

void accumulate(const LexicalEmbedder &embedder, std::vector<std::uint64_t> &ids, int dim,
                std::vector<float> &acc)
{
    std::sort(ids.begin(), ids.end());
    std::fill(acc.begin(), acc.end(), 0.0f);
    for (std::size_t i = 0; i < ids.size();) {
        std::size_t j = i + 1;
        while (j < ids.size() && ids[j] == ids[i])
            ++j;
        const std::uint64_t id = ids[i];
        const float weight = (1.0f + std::log(float(j - i))) * embedder.idf(id);
        // Bucket from the high 32 bits (multiply-shift range reduction), sign from
        // bit 2: disjoint bits, so sign and bucket are independent.
        const std::size_t bucket = std::size_t(((id >> 32) * std::uint64_t(dim)) >> 32);
        const float sign = (id >> 2) & 1 ? -1.0f : 1.0f;
        acc[std::size_t(LexicalFeatures::group(id)) * std::size_t(dim) + bucket] += sign * weight;
        i = j;
    }
}

} // namespace

LexicalEmbedder::LexicalEmbedder(std::shared_ptr<const Stats> stats) : m_stats(std::move(stats)) {}

std::shared_ptr<const LexicalEmbedder::Stats> LexicalEmbedder::makeStats(int dimension,
                                                                         std::int64_t documents,
                                                                         LexicalFeatureTable df)
{
    auto stats = std::make_shared<LexicalEmbedder::Stats>();
    stats->dimension = dimension;
    stats->documents = documents;
    stats->idfByDf.resize(std::size_t(documents) + 1);
    // Smoothed IDF (as scikit-learn's): ln((1 + N) / (1 + df)) + 1, so every feature
    // keeps a positive weight and an unseen one (df = 0) gets the largest.
    for (std::size_t d = 0; d < stats->idfByDf.size(); ++d)
        stats->idfByDf[d] = float(std::log((1.0 + double(documents)) / (1.0 + double(d))) + 1.0);
    stats->weightsHash = sha256Hex(serializeStats(dimension, documents, df));
    stats->df = std::move(df);
    return stats;
}

LexicalEmbedder LexicalEmbedder::fit(std::span<const std::string_view> corpus, int dimension)
{
    return *fit(corpus, dimension, JobContext());
}

Result<LexicalEmbedder> LexicalEmbedder::fit(std::span<const std::string_view> corpus, int dimension,
                                             const JobContext &ctx)
{
    const int workers = workersFor(corpus.size());
    std::vector<LexicalFeatureTable> tables(std::size_t(workers), LexicalFeatureTable(1 << 16));
    std::vector<std::vector<std::uint64_t>> scratch(static_cast<std::size_t>(workers));
    const bool complete = runBatches(
        corpus.size(), ctx, "fitting lexical statistics", workers,
        [&](std::size_t begin, std::size_t end, int worker) {
            auto &ids = scratch[std::size_t(worker)];
            auto &table = tables[std::size_t(worker)];
            for (std::size_t i = begin; i < end; ++i) {
                ids.clear();
                LexicalFeatures::extract(corpus[i], ids);
                std::sort(ids.begin(), ids.end());
                ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
                for (std::uint64_t id : ids)
                    table.add(id);
            }
        });
    if (!complete)
        return fail(ErrorCode::Cancelled, "fitting the lexical embedder was cancelled", kStatsSource);
    for (std::size_t w = 1; w < tables.size(); ++w) {
        tables[0].merge(tables[w]);
        tables[w] = LexicalFeatureTable();
    }
    auto stats = makeStats(std::max(1, dimension), std::int64_t(corpus.size()), std::move(tables[0]));
    qCDebug(lcEmbed) << "lexical statistics fitted on" << corpus.size() << "texts:"
                     << stats->df.size() << "features";
    return LexicalEmbedder(std::move(stats));
}

std::string LexicalEmbedder::serialize() const
{
    return serializeStats(m_stats->dimension, m_stats->documents, m_stats->df);
}

Result<LexicalEmbedder> LexicalEmbedder::deserialize(std::string_view bytes)
{
    if (bytes.size() < sizeof kMagic || bytes.substr(0, sizeof kMagic) != std::string_view(kMagic, sizeof kMagic))
        return fail(ErrorCode::Parse, "not lexical embedder statistics (bad magic)", kStatsSource);
    Reader reader(bytes.substr(sizeof kMagic));
    std::uint64_t version = 0, dimension = 0, documents = 0, count = 0;
    if (!reader.fixed(version, 4) || !reader.fixed(dimension, 4) || !reader.fixed(documents, 8)
        || !reader.fixed(count, 8))
        return fail(ErrorCode::Corrupt, "truncated header", kStatsSource);
    if (version != kFormatVersion)
        return fail(ErrorCode::Unsupported,
                    "format version " + std::to_string(version) + " (this build reads "
                        + std::to_string(kFormatVersion) + ")",
                    kStatsSource);
    if (dimension < 1 || dimension > (1u << 24) || documents > (std::uint64_t(1) << 40)
        || count > bytes.size())
        return fail(ErrorCode::Corrupt,
                    "implausible header (dimension " + std::to_string(dimension) + ", "
                        + std::to_string(documents) + " documents, " + std::to_string(count)
                        + " features)",
                    kStatsSource);
    LexicalFeatureTable df(count);
    std::uint64_t id = 0;
    for (std::uint64_t i = 0; i < count; ++i) {
        std::uint64_t gap = 0, frequency = 0;
        if (!reader.varint(gap) || !reader.varint(frequency))
            return fail(ErrorCode::Corrupt, "truncated at feature " + std::to_string(i), kStatsSource);
        if ((i > 0 && gap == 0) || id + gap < id || frequency < 1 || frequency > documents)
            return fail(ErrorCode::Corrupt, "invalid entry at feature " + std::to_string(i), kStatsSource);
        id += gap;
        df.add(id, std::uint32_t(frequency));
    }
    if (!reader.atEnd())
        return fail(ErrorCode::Corrupt, "trailing bytes after the last feature", kStatsSource);
    return LexicalEmbedder(makeStats(int(dimension), std::int64_t(documents), std::move(df)));
}

EmbedderIdentity LexicalEmbedder::identity() const
{
    return EmbedderIdentity{kName, kVersion, m_stats->weightsHash, m_stats->dimension,
                            EmbedderKind::Lexical};
}

int LexicalEmbedder::dimension() const
{
    return m_stats->dimension;
}

std::int64_t LexicalEmbedder::documentCount() const
{
    return m_stats->documents;
}

std::size_t LexicalEmbedder::vocabularySize() const
{
    return m_stats->df.size();
}

float LexicalEmbedder::idf(std::uint64_t featureId) const
{
    return m_stats->idfByDf[m_stats->df.find(featureId)];
}

float LexicalEmbedder::maxIdf() const
{
    return m_stats->idfByDf[0];
}

std::vector<float> LexicalEmbedder::embedOne(std::string_view text) const
{
    std::vector<float> row(std::size_t(m_stats->dimension));
    std::vector<std::uint64_t> ids;
    std::vector<float> acc;
    embedInto(text, row.data(), ids, acc);
    return row;
}

void LexicalEmbedder::embedInto(std::string_view text, float *row, std::vector<std::uint64_t> &ids,
                                std::vector<float> &acc) const
{
    const int dim = m_stats->dimension;
    acc.resize(std::size_t(kLexicalGroupCount) * std::size_t(dim));
    ids.clear();
    LexicalFeatures::extract(text, ids);
    accumulate(*this, ids, dim, acc);
    std::fill(row, row + dim, 0.0f);

    // Each group is scaled to unit length before mixing, so the group weights, not
    // the raw feature counts (a word has ~15 character n-grams), set the balance.
    for (int g = 0; g < kLexicalGroupCount; ++g) {
        const float *part = acc.data() + std::size_t(g) * std::size_t(dim);
        double norm = 0.0;
        for (int i = 0; i < dim; ++i)
            norm += double(part[i]) * part[i];
        if (norm <= 0.0)
            continue;
        const float scale = kGroupWeight[g] / float(std::sqrt(norm));
        for (int i = 0; i < dim; ++i)
            row[i] += scale * part[i];
    }
    double norm = 0.0;
    for (int i = 0; i < dim; ++i)
        norm += double(row[i]) * row[i];
    if (norm > 0.0) {
        const float inv = float(1.0 / std::sqrt(norm));
        for (int i = 0; i < dim; ++i)
            row[i] *= inv;
    }
}

Result<std::vector<float>> LexicalEmbedder::embed(std::span<const std::string_view> texts,
                                                  const JobContext &ctx)
{
    const std::size_t dim = std::size_t(m_stats->dimension);
    std::vector<float> out(texts.size() * dim);
    const int workers = workersFor(texts.size());
    std::vector<std::vector<std::uint64_t>> ids(static_cast<std::size_t>(workers));
    std::vector<std::vector<float>> acc(static_cast<std::size_t>(workers));
    const bool complete = runBatches(
        texts.size(), ctx, "embedding (lexical)", workers,
        [&](std::size_t begin, std::size_t end, int worker) {
            for (std::size_t i = begin; i < end; ++i)
                embedInto(texts[i], out.data() + i * dim, ids[std::size_t(worker)], acc[std::size_t(worker)]);
        });
    if (!complete)
        return fail(ErrorCode::Cancelled, "lexical embedding was cancelled", identity().key());
    return out;
}

} // namespace rag
