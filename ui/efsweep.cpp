#include "ui/efsweep.h"

#include "core/index/flatindex.h"
#include "core/index/hnswindex.h"
#include "core/index/vectorindex.h"
#include "core/store/chunkrepository.h"
#include "core/store/project.h"
#include "core/store/vectorcache.h"

#include <QElapsedTimer>

#include <algorithm>
#include <random>
#include <unordered_set>

namespace rag {

namespace {

struct Vectors {
    std::vector<std::int64_t> labels;
    std::vector<float> rows;
    IndexIdentity identity;
};

Result<Vectors> readVectors(const EfSweepSpec &spec)
{
    auto loaded = loadVectorIndex(spec.index.filePath);
    if (!loaded)
        return std::unexpected(loaded.error());
    Vectors out;
    out.identity = (*loaded)->identity();
    const int dim = out.identity.embedder.dimension;
    auto project = Project::openExisting(spec.projectPath);
    if (!project)
        return std::unexpected(project.error());
    auto chunks = ChunkRepository((*project)->db()).chunks(spec.index.chunkSetId);
    if (!chunks)
        return std::unexpected(chunks.error());
    std::vector<std::string> hashes;
    for (const ChunkRecord &c : *chunks)
        hashes.push_back(c.textHash);
    auto cached = VectorCache((*project)->db()).get(spec.index.embedderKey, hashes, dim);
    if (!cached)
        return std::unexpected(cached.error());
    for (const ChunkRecord &c : *chunks) {
        const auto it = cached->find(c.textHash);
        if (it == cached->end())
            continue;
        out.labels.push_back(c.id);
        out.rows.insert(out.rows.end(), it->second.begin(), it->second.end());
    }
    if (out.labels.size() < 20)
        return fail(ErrorCode::InvalidArgument,
                    "too few cached vectors for a sweep (" + std::to_string(out.labels.size()) + "); rebuild the index first",
                    spec.index.name);
    return out;
}

double median(std::vector<double> v)
{
    std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(v.size() / 2), v.end());
    return v[v.size() / 2];
}

} // namespace

Result<std::vector<EfSweepPoint>> runEfSweep(const EfSweepSpec &spec, const JobContext &ctx)
{
    auto vectors = readVectors(spec);
    if (!vectors)
        return std::unexpected(vectors.error());
    const int dim = vectors->identity.embedder.dimension;
    const std::size_t n = vectors->labels.size();
    std::vector<std::size_t> sample(n);
    for (std::size_t i = 0; i < n; ++i)
        sample[i] = i;
    std::mt19937 rng(7);
    std::shuffle(sample.begin(), sample.end(), rng);
    sample.resize(std::min<std::size_t>(n, std::size_t(spec.queries)));
    auto queryOf = [&](std::size_t i) { return std::span<const float>(vectors->rows.data() + i * std::size_t(dim), std::size_t(dim)); };

    FlatIndex exact(vectors->identity.chunkSetId, vectors->identity.embedder, Metric::Cosine);
    if (auto ok = exact.build(vectors->labels, vectors->rows, ctx); !ok)
        return std::unexpected(ok.error());
    std::vector<std::unordered_set<std::int64_t>> truth;
    std::vector<double> exactTimes;
    for (std::size_t q : sample) {
        QElapsedTimer t;
        t.start();
        const auto hits = exact.search(queryOf(q), 10);
        exactTimes.push_back(double(t.nsecsElapsed()) / 1e6);
        std::unordered_set<std::int64_t> set;
        for (const Hit &h : hits)
            set.insert(h.label);
        truth.push_back(std::move(set));
    }
    const double exactP50 = median(exactTimes);

    std::vector<EfSweepPoint> points;
    const std::int64_t steps = std::int64_t(spec.Ms.size() * (spec.efSearch.size() + 1));
    std::int64_t step = 0;
    for (int M : spec.Ms) {
        ctx.progress(step, steps, "building HNSW M=" + std::to_string(M));
        HnswIndex graph(vectors->identity.chunkSetId, vectors->identity.embedder, Metric::Cosine,
                        HnswParams{M, spec.efConstruction, 10, 100});
        if (auto ok = graph.build(vectors->labels, vectors->rows, JobContext(ctx.token(), {})); !ok)
            return std::unexpected(ok.error());
        ++step;
        for (int ef : spec.efSearch) {
            if (ctx.cancelled())
                return fail(ErrorCode::Cancelled, "sweep cancelled", spec.index.name);
            graph.setEfSearch(ef);
            std::vector<double> times;
            std::size_t found = 0, wanted = 0;
            for (std::size_t qi = 0; qi < sample.size(); ++qi) {
                QElapsedTimer t;
                t.start();
                const auto hits = graph.search(queryOf(sample[qi]), 10);
                times.push_back(double(t.nsecsElapsed()) / 1e6);
                for (const Hit &h : hits)
                    found += truth[qi].count(h.label);
                wanted += truth[qi].size();
            }
            points.push_back(EfSweepPoint{M, ef, wanted ? double(found) / double(wanted) : 0.0, median(times), exactP50});
            ctx.progress(++step, steps, "sweeping ef_search");
        }
    }
    return points;
}

} // namespace rag
