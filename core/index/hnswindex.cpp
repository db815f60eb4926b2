#include "core/index/hnswindex.h"

#include "core/common/logging.h"
#include "core/index/halfkernels.h"
#include "core/index/hnswgraph.h"
#include "core/index/hnswinsert.h"
#include "core/index/hnswlibinclude.h"
#include "core/index/indexfilereader.h"
#include "core/index/indexfilewriter.h"
#include "core/index/int8rows.h"
#include "core/index/parallelbatches.h"
#include "core/index/vectorkernels.h"

#include <cmath>

#include <sys/mman.h>

namespace rag {

namespace {

constexpr std::size_t kInsertBatch = 256; // cancellation and progress granularity
constexpr int kMaxLevel = 64;             // levels are ~ln(n)/ln(M); more is damage

// hnswlib's SpaceInterface over our CPU-dispatched kernels.
class KernelSpace final : public hnswlib::SpaceInterface<float> {
public:
    KernelSpace(std::size_t dim, Metric metric, bool half)
        : m_dim(dim)
        , m_bytes(dim * (half ? sizeof(std::uint16_t) : sizeof(float)))
        , m_function(half ? kernels::innerProductDistanceHalf()
                          : metric == Metric::Cosine ? kernels::innerProductDistance()
                                                     : kernels::l2SquaredDistance())
    {
    }
    std::size_t get_data_size() override { return m_bytes; }
    hnswlib::DISTFUNC<float> get_dist_func() override { return m_function; }
    void *get_dist_func_param() override { return &m_dim; }

private:
    std::size_t m_dim;
    std::size_t m_bytes;
    hnswlib::DISTFUNC<float> m_function;
};

bool isHalf(const IndexIdentity &identity)
{
    return identity.precision == "f16";
}

// A row as the graph stores it (`stored`: normalised for cosine, then converted to
// half precision when the graph is half) and as searches measure it (`probe`:
// normalised floats for cosine, measured against the stored halves by the mixed
// kernel). The buffers are the thread's own, reused from call to call.
struct Forms {
    const void *stored = nullptr;
    const void *probe = nullptr;
    std::vector<float> floats;
    std::vector<std::uint16_t> halves;

    void prepare(const float *row, std::size_t dim, Metric metric, bool half)
    {
        if (metric != Metric::Cosine) {
            stored = probe = row;
            return;
        }
        floats.assign(row, row + dim);
        kernels::normalize(floats.data(), dim);
        stored = probe = floats.data();
        if (half) {
            halves.resize(dim);
            kernels::toHalf(floats.data(), halves.data(), dim);
            stored = halves.data();
        }
    }
};

// Asks the kernel to back the graph's level-0 block (links and vectors of every
// element, ~90 MB at 100k x 384-d half) with 2 MiB pages. Searches and inserts
// touch it at random, one vector per ~12 cache lines, and with 4 KiB pages nearly
// every vector also misses the TLB (under a hypervisor a page walk costs as much
// as the access itself); on the benchmark this alone cuts build and query time by
// about a third. Best effort: without transparent huge pages nothing changes.
void adviseHugePages(void *block, std::size_t bytes)
{
#ifdef MADV_HUGEPAGE
    constexpr std::uintptr_t kHuge = std::uintptr_t(2) << 20;
    const auto begin = (reinterpret_cast<std::uintptr_t>(block) + kHuge - 1) & ~(kHuge - 1);
    const auto end = (reinterpret_cast<std::uintptr_t>(block) + bytes) & ~(kHuge - 1);
    if (end > begin)
        madvise(reinterpret_cast<void *>(begin), end - begin, MADV_HUGEPAGE);
#else
    (void)block;
    (void)bytes;
#endif
}

using Hnsw = hnswlib::HierarchicalNSW<float>;

float toScore(float distance, Metric metric)
{
    return metric == Metric::Cosine ? 1.0f - distance : -std::sqrt(std::max(0.0f, distance));
}

} // namespace

struct HnswIndex::Graph {
    Graph(int dim, Metric metric, bool half, std::size_t capacity, const HnswParams &params)
        : space(std::size_t(dim), metric, half)
        , hnsw(&space, std::max<std::size_t>(1, capacity), std::size_t(params.M),
               std::size_t(params.efConstruction), std::size_t(params.seed))
        , searchDistance(half ? kernels::innerProductDistanceFloatHalf() : hnsw.fstdistfunc_)
    {
        adviseHugePages(hnsw.data_level0_memory_, hnsw.max_elements_ * hnsw.size_data_per_element_);
        if (half && std::size_t(dim) <= kernels::kMaxCodeDimension) {
            codes = Int8Rows(std::size_t(dim), hnsw.max_elements_);
            adviseHugePages(codes.block(), codes.bytes());
        }
    }
    std::int64_t live() const { return std::int64_t(hnsw.cur_element_count - hnsw.num_deleted_); }
    bool hasCodes() const { return codes.capacity() > 0; }
    // Room for the rows of every element hnswlib has room for, after resizeIndex.
    void growCodes()
    {
        if (hasCodes() && codes.capacity() < hnsw.max_elements_) {
            codes.grow(hnsw.max_elements_, hnsw.cur_element_count);
            adviseHugePages(codes.block(), codes.bytes());
        }
    }

    KernelSpace space; // must outlive hnsw, which keeps pointers into it
    Hnsw hnsw;
    // Measures a probe (Forms::probe) against stored vectors.
    hnswgraph::DistanceFn searchDistance;
    // The 8-bit copy queries walk a half-precision graph on (see
    // HnswIndex::setQuantisedTraversal); empty for float graphs.
    Int8Rows codes;
};

HnswIndex::HnswIndex() : HnswIndex({}, {}, Metric::Cosine) {}

HnswIndex::HnswIndex(std::string chunkSetId, EmbedderIdentity embedder, Metric metric, HnswParams params)
    : VectorIndex(IndexIdentity{std::move(chunkSetId), std::move(embedder), {}, "hnsw", params.M,
                                params.efConstruction, params.efSearch, params.seed, "f32", 0, {}},
                  metric)
    , m_threads(std::max(0, params.threads))
{
    if (metric == Metric::Cosine && params.precision == HnswPrecision::Half)
        m_identity.precision = "f16";
}

HnswIndex::~HnswIndex() = default;

HnswParams HnswIndex::params() const
{
    return HnswParams{m_identity.M,    m_identity.efConstruction, m_identity.efSearch, m_identity.seed, m_threads,
                      isHalf(m_identity) ? HnswPrecision::Half : HnswPrecision::Float32};
}

void HnswIndex::setEfSearch(int efSearch)
{
    m_identity.efSearch = std::max(1, efSearch);
}

bool HnswIndex::quantisedTraversal() const
{
    return m_quantisedTraversal && m_metric == Metric::Cosine && isHalf(m_identity)
        && std::size_t(dimension()) <= kernels::kMaxCodeDimension;
}

void HnswIndex::deriveCodes(Graph &graph, std::size_t begin, std::size_t end) const
{
    if (!graph.hasCodes() || end <= begin)
        return;
    const Hnsw &h = graph.hnsw;
    parallelBatches(
        end - begin, 4096, JobContext(), {},
        [&](std::size_t b, std::size_t e) {
            for (std::size_t i = begin + b; i < begin + e; ++i)
                graph.codes.setFromHalf(
                    i, reinterpret_cast<const std::uint16_t *>(h.getDataByInternalId(hnswlib::tableint(i))));
        },
        m_threads > 0 ? m_threads : hardwareThreads());
}

Result<void> HnswIndex::insert(Graph &graph, std::span<const std::int64_t> labels, std::span<const float> rows,
                               const JobContext &ctx)
{
    const auto dim = std::size_t(dimension());
    const bool half = isHalf(m_identity);
    // Reviving labels deleted by a rolled-back add() goes through hnswlib's addPoint,
    // whose update path touches the unguarded deletion counter, so such a batch runs
    // on one thread (which also makes reading label_lookup_ safe); fresh inserts use
    // our insert and all cores.
    bool revives = false;
    for (std::int64_t label : labels)
        revives = revives || graph.hnsw.label_lookup_.count(hnswlib::labeltype(label)) > 0;
    // 8-bit inserts write each element's row as they go (insertFresh's publish);
    // revivals go through addPoint and overwrite halves, whose rows are derived after.
    const bool quantisedInserts = m_quantisedInserts && graph.hasCodes() && !revives;
    std::mutex failureLock;
    std::string failure;
    std::atomic<bool> failed{false};
    const auto insertRange = [&](std::size_t begin, std::size_t end) {
        thread_local Forms forms;
        thread_local hnswgraph::Scratch scratch;
        for (std::size_t i = begin; i < end; ++i) {
            forms.prepare(rows.data() + i * dim, dim, m_metric, half);
            try {
                const auto label = hnswlib::labeltype(labels[i]);
                if (revives && graph.hnsw.label_lookup_.count(label))
                    graph.hnsw.addPoint(forms.stored, label);
                else if (quantisedInserts) {
                    // The beams walk the 8-bit rows (7 lines a distance instead of
                    // 12), then the candidates are re-measured on the halves.
                    thread_local Int8Query codes;
                    codes.prepare(static_cast<const float *>(forms.probe), dim);
                    const hnswgraph::StoredVectors<Hnsw> exact(graph.hnsw, forms.probe, graph.searchDistance);
                    const auto *halves = static_cast<const std::uint16_t *>(forms.stored);
                    hnswgraph::insertFresh(
                        graph.hnsw, forms.stored, label, exact, Int8Distance(graph.codes, codes), true,
                        [&graph, halves](unsigned cur) { graph.codes.setFromHalf(cur, halves); }, scratch);
                } else
                    hnswgraph::insertFresh(graph.hnsw, forms.stored, label, forms.probe, graph.searchDistance, scratch);
            } catch (const std::exception &e) {
                const std::lock_guard lock(failureLock);
                failure = e.what();
                failed = true;
                return;
            }
        }
    };

    // The first point of an empty graph becomes the entry point; inserting it alone
    // avoids racing other threads for that role (as hnswlib's own bindings do).
    const std::size_t before = graph.hnsw.cur_element_count;
    std::size_t start = 0;
    if (graph.hnsw.cur_element_count == 0 && !labels.empty()) {
        insertRange(0, 1);
        start = 1;
    }
    const bool complete = !failed
        && parallelBatches(
               labels.size() - start, kInsertBatch, ctx, "building HNSW",
               [&](std::size_t b, std::size_t e) {
                   if (!failed)
                       insertRange(start + b, start + e);
               },
               revives ? 1 : (m_threads > 0 ? m_threads : hardwareThreads()), start);
    // Every element inserted gets its 8-bit row, also when the batch failed or was
    // cancelled: add() then marks them deleted, and searches still walk through
    // deleted elements. A revived element's vector was overwritten in place.
    if (!quantisedInserts)
        deriveCodes(graph, revives ? 0 : before, graph.hnsw.cur_element_count);
    if (failed)
        return fail(ErrorCode::Internal, "hnswlib: " + failure, "hnsw index of chunk set " + m_identity.chunkSetId);
    if (!complete)
        return fail(ErrorCode::Cancelled, "building the HNSW index was cancelled",
                    "hnsw index of chunk set " + m_identity.chunkSetId);
    return {};
}

Result<void> HnswIndex::build(std::span<const std::int64_t> labels, std::span<const float> rows,
                              const JobContext &ctx)
{
    if (auto valid = validateInput(labels, rows); !valid)
        return valid;
    std::unique_ptr<Graph> graph;
    try {
        graph = std::make_unique<Graph>(dimension(), m_metric, isHalf(m_identity), labels.size(), params());
    } catch (const std::exception &e) {
        return fail(ErrorCode::Internal, std::string("hnswlib: ") + e.what(), "hnsw index of chunk set " + m_identity.chunkSetId);
    }
    if (auto inserted = insert(*graph, labels, rows, ctx); !inserted)
        return inserted;
    m_graph = std::move(graph);
    m_identity.count = m_graph->live();
    m_identity.builtAt = currentUtcTimestamp();
    qCDebug(lcIndex) << "HNSW built:" << m_identity.count << "vectors, kernels" << kernels::instructionSet();
    return {};
}

Result<void> HnswIndex::add(std::span<const std::int64_t> labels, std::span<const float> rows, const JobContext &ctx)
{
    if (!m_graph)
        return build(labels, rows, ctx);
    if (auto valid = validateInput(labels, rows); !valid)
        return valid;
    Hnsw &hnsw = m_graph->hnsw;
    for (std::int64_t label : labels) {
        const auto it = hnsw.label_lookup_.find(hnswlib::labeltype(label));
        if (it != hnsw.label_lookup_.end() && !hnsw.isMarkedDeleted(it->second))
            return fail(ErrorCode::InvalidArgument, "label " + std::to_string(label) + " is already in the index");
    }
    try {
        hnsw.resizeIndex(hnsw.cur_element_count + labels.size());
        adviseHugePages(hnsw.data_level0_memory_, hnsw.max_elements_ * hnsw.size_data_per_element_);
        m_graph->growCodes();
    } catch (const std::exception &e) {
        return fail(ErrorCode::Internal, std::string("hnswlib: ") + e.what(), "hnsw index of chunk set " + m_identity.chunkSetId);
    }
    auto inserted = insert(*m_graph, labels, rows, ctx);
    if (!inserted) {
        // hnswlib cannot remove points, so a partial add is rolled back by marking
        // what it inserted as deleted: searches skip them and a later add of the
        // same labels revives them in place.
        for (std::int64_t label : labels) {
            const auto it = hnsw.label_lookup_.find(hnswlib::labeltype(label));
            if (it != hnsw.label_lookup_.end() && !hnsw.isMarkedDeleted(it->second))
                hnsw.markDeletedInternal(it->second);
        }
        return inserted;
    }
    m_identity.count = m_graph->live();
    m_identity.builtAt = currentUtcTimestamp();
    return {};
}

std::vector<Hit> HnswIndex::search(std::span<const float> query, int k) const
{
    const auto dim = std::size_t(dimension());
    if (!m_graph || k <= 0 || query.size() != dim) {
        if (query.size() != dim)
            qCWarning(lcIndex) << "query of dimension" << query.size() << "for an index of dimension" << dim;
        return {};
    }
    const Hnsw &hnsw = m_graph->hnsw;
    if (hnsw.cur_element_count == 0)
        return {};
    thread_local Forms forms;
    thread_local hnswgraph::Scratch scratch;
    forms.prepare(query.data(), dim, m_metric, isHalf(m_identity));

    const std::size_t ef = std::size_t(std::max(1, m_identity.efSearch));
    const std::size_t beam = std::max(ef, std::size_t(k));
    std::vector<hnswgraph::Candidate> storage;
    storage.reserve(beam + 1);
    hnswgraph::MaxHeap top(std::less<hnswgraph::Candidate>(), std::move(storage));
    const hnswgraph::StoredVectors<Hnsw> stored(hnsw, forms.probe, m_graph->searchDistance);
    if (quantisedTraversal() && m_graph->hasCodes()) {
        // Walk on the 8-bit rows, keep the whole beam, re-measure it exactly.
        thread_local Int8Query codes;
        thread_local std::vector<hnswgraph::Candidate> best;
        codes.prepare(static_cast<const float *>(forms.probe), dim);
        hnswgraph::searchKnn(hnsw, Int8Distance(m_graph->codes, codes), beam, ef, scratch, top);
        hnswgraph::rerank(top, stored, std::size_t(k), best);
        std::vector<Hit> hits(best.size());
        for (std::size_t i = 0; i < best.size(); ++i)
            hits[i] = Hit{std::int64_t(hnsw.getExternalLabel(best[i].second)), toScore(best[i].first, m_metric)};
        return hits;
    }
    hnswgraph::searchKnn(hnsw, stored, std::size_t(k), ef, scratch, top);
    std::vector<Hit> hits(top.size());
    for (std::size_t i = hits.size(); i-- > 0; top.pop())
        hits[i] = Hit{std::int64_t(hnsw.getExternalLabel(top.top().second)), toScore(top.top().first, m_metric)};
    return hits;
}

std::vector<std::vector<Hit>> HnswIndex::searchBatch(std::span<const float> queries, int k) const
{
    const auto dim = std::size_t(dimension());
    const std::size_t n = dim ? queries.size() / dim : 0;
    if (queries.size() != n * dim) {
        qCWarning(lcIndex) << "query matrix of" << queries.size() << "floats is not a multiple of" << dim;
        return {};
    }
    std::vector<std::vector<Hit>> results(n);
    parallelBatches(n, 16, JobContext(), {}, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i)
            results[i] = search(queries.subspan(i * dim, dim), k);
    });
    return results;
}

// Payload: a fixed block of graph parameters, the level-0 block (links, vector and
// label of every element, exactly as hnswlib lays it out in memory), then for each
// element the byte length of its upper-layer links followed by those links.
struct HnswPayloadHeader {
    std::uint64_t elements;
    std::uint64_t M;
    std::uint64_t maxM;
    std::uint64_t maxM0;
    std::uint64_t efConstruction;
    std::uint64_t sizeDataPerElement;
    std::uint64_t sizeLinksPerElement;
    std::uint64_t dataSize;
    std::int64_t maxLevel;
    std::uint64_t entryPoint;
};

Result<void> HnswIndex::writePayload(IndexFileWriter &writer, const JobContext &ctx) const
{
    if (!m_graph) {
        const HnswPayloadHeader empty{};
        return writer.writeValue(empty);
    }
    const Hnsw &h = m_graph->hnsw;
    const HnswPayloadHeader header{h.cur_element_count, h.M_, h.maxM_, h.maxM0_, h.ef_construction_,
                                   h.size_data_per_element_, h.size_links_per_element_, h.data_size_,
                                   h.maxlevel_, h.enterpoint_node_};
    if (auto w = writer.writeValue(header); !w)
        return w;
    if (auto w = writer.write(h.data_level0_memory_, h.cur_element_count * h.size_data_per_element_, ctx); !w)
        return w;
    for (std::size_t i = 0; i < h.cur_element_count; ++i) {
        const auto bytes = std::uint32_t(h.element_levels_[i] > 0 ? h.size_links_per_element_ * std::size_t(h.element_levels_[i]) : 0);
        if (auto w = writer.writeValue(bytes); !w)
            return w;
        if (bytes > 0) {
            if (auto w = writer.write(h.linkLists_[i], bytes); !w)
                return w;
        }
        if ((i & 0xFFFF) == 0 && ctx.cancelled())
            return fail(ErrorCode::Cancelled, "saving the index was cancelled", writer.path());
    }
    return {};
}

namespace {

// The layout hnswlib derives from the dimension and M, checked before anything is
// allocated from the file's numbers.
std::string checkHeader(const HnswPayloadHeader &header, const IndexIdentity &identity, std::uint64_t remaining)
{
    const auto dim = std::uint64_t(identity.embedder.dimension);
    const auto m = std::uint64_t(std::max(0, identity.M));
    const std::uint64_t linksLevel0 = 2 * m * sizeof(hnswlib::tableint) + sizeof(hnswlib::linklistsizeint);
    const std::uint64_t dataSize = dim * (isHalf(identity) ? sizeof(std::uint16_t) : sizeof(float));
    const std::uint64_t perElement = linksLevel0 + dataSize + sizeof(hnswlib::labeltype);
    if (m < 2 || header.M != m || header.maxM != m || header.maxM0 != 2 * m || header.dataSize != dataSize
        || header.sizeDataPerElement != perElement
        || header.sizeLinksPerElement != m * sizeof(hnswlib::tableint) + sizeof(hnswlib::linklistsizeint))
        return "HNSW layout does not match dimension " + std::to_string(dim) + " and M " + std::to_string(m);
    if (header.elements > remaining / perElement || header.entryPoint >= header.elements || header.maxLevel < 0
        || header.maxLevel > kMaxLevel)
        return "inconsistent HNSW header (" + std::to_string(header.elements) + " elements, entry point "
            + std::to_string(header.entryPoint) + ", top level " + std::to_string(header.maxLevel) + ")";
    return {};
}

} // namespace

Result<std::unique_ptr<HnswIndex::Graph>> HnswIndex::readGraph(IndexFileReader &reader, const IndexIdentity &identity,
                                                              Metric metric)
{
    HnswPayloadHeader header{};
    if (auto r = reader.readValue(header); !r)
        return std::unexpected(r.error());
    if (header.elements == 0)
        return std::unique_ptr<Graph>();
    if (const std::string problem = checkHeader(header, identity, reader.payloadRemaining()); !problem.empty())
        return reader.corrupt(problem);
    std::unique_ptr<Graph> graph;
    try {
        graph = std::make_unique<Graph>(identity.embedder.dimension, metric, isHalf(identity), header.elements,
                                        HnswParams{identity.M, identity.efConstruction, identity.efSearch, identity.seed, 0});
    } catch (const std::exception &e) {
        return fail(ErrorCode::Internal, std::string("hnswlib: ") + e.what(), reader.path());
    }
    Hnsw &h = graph->hnsw;
    if (auto r = reader.read(h.data_level0_memory_, header.elements * h.size_data_per_element_); !r)
        return std::unexpected(r.error());
    // Elements are registered one by one so that the graph destructor frees exactly
    // the link lists allocated so far if the file turns out to be damaged.
    for (std::size_t i = 0; i < header.elements; ++i) {
        std::uint32_t bytes = 0;
        if (auto r = reader.readValue(bytes); !r)
            return std::unexpected(r.error());
        if (bytes % h.size_links_per_element_ != 0 || bytes / h.size_links_per_element_ > std::size_t(kMaxLevel))
            return reader.corrupt("invalid link list of element " + std::to_string(i));
        h.linkLists_[i] = bytes > 0 ? static_cast<char *>(std::calloc(1, hnswgraph::linkListAllocation(bytes)))
                                    : nullptr;
        if (bytes > 0 && !h.linkLists_[i])
            return fail(ErrorCode::Internal, "out of memory loading the HNSW graph", reader.path());
        h.element_levels_[i] = int(bytes / h.size_links_per_element_);
        h.cur_element_count = i + 1;
        if (bytes > 0) {
            if (auto r = reader.read(h.linkLists_[i], bytes); !r)
                return std::unexpected(r.error());
        }
    }
    h.maxlevel_ = int(header.maxLevel);
    h.enterpoint_node_ = hnswlib::tableint(header.entryPoint);
    return graph;
}

Result<void> HnswIndex::readPayload(IndexFileReader &reader, const IndexIdentity &identity)
{
    const auto metric = parseMetric(identity.metric);
    if (!metric)
        return reader.corrupt(metric.error().detail);
    auto graph = readGraph(reader, identity, *metric);
    if (!graph)
        return std::unexpected(graph.error());
    if (auto done = reader.finish(); !done)
        return done;
    // Only a checksummed graph is indexed and trusted.
    if (*graph) {
        Hnsw &h = (*graph)->hnsw;
        for (std::size_t i = 0; i < h.cur_element_count; ++i) {
            h.label_lookup_[h.getExternalLabel(hnswlib::tableint(i))] = hnswlib::tableint(i);
            if (h.isMarkedDeleted(hnswlib::tableint(i)))
                ++h.num_deleted_;
        }
        if (h.element_levels_[h.enterpoint_node_] != h.maxlevel_)
            return reader.corrupt("the HNSW entry point is not on the top level");
        // The 8-bit rows are not in the file: derived from the stored halves exactly
        // as at build time, so the loaded index walks the graph as the saved one did.
        deriveCodes(**graph, 0, h.cur_element_count);
    }
    m_graph = std::move(*graph);
    m_identity = identity;
    m_metric = *metric;
    const std::int64_t live = m_graph ? m_graph->live() : 0;
    if (m_identity.count != live)
        qCWarning(lcIndex) << reader.path().c_str() << "records" << m_identity.count << "vectors but holds" << live;
    m_identity.count = live;
    return {};
}

} // namespace rag
