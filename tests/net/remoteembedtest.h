#pragma once
// Shared by the Ollama and Cohere embedder tests: the scripted server's test vectors
// as an embedder must return them (see testVector in llm_test_server.cjs), input
// texts, and a round trip through the embedder factory: a small project indexed with
// a remote embedder name, then queried with one chunk's exact text. Test thread only.
#include "core/chunking/chunkerconfig.h"
#include "core/common/hashing.h"
#include "core/common/result.h"
#include "core/pipeline/chunkbuild.h"
#include "core/pipeline/embedderfactory.h"
#include "core/pipeline/indexbuild.h"
#include "core/pipeline/ingestion.h"
#include "core/retrieve/searcher.h"
#include "core/store/chunkrepository.h"
#include "core/store/project.h"
#include "core/store/vectorcache.h"

#include "testserver.h"

#include <QFile>
#include <QString>

#include <atomic>
#include <chrono>
#include <cmath>
#include <functional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace rag::test {

// Component i is byte (i mod 32) of sha256(text), centred, then L2-normalised.
inline std::vector<float> expectedVector(const std::string &text, int dim)
{
    const std::string hex = sha256Hex(text);
    std::vector<double> v(static_cast<std::size_t>(dim));
    double norm = 0;
    for (int i = 0; i < dim; ++i) {
        const int byte = std::stoi(hex.substr(std::size_t(i % 32) * 2, 2), nullptr, 16);
        v[std::size_t(i)] = (byte - 127.5) / 127.5;
        norm += v[std::size_t(i)] * v[std::size_t(i)];
    }
    std::vector<float> out;
    for (double x : v)
        out.push_back(float(x / std::sqrt(norm)));
    return out;
}

// Every third text carries non-ASCII, so UTF-8 survives the JSON both ways.
inline std::vector<std::string> makeTexts(int n, const std::string &prefix)
{
    std::vector<std::string> texts;
    for (int i = 0; i < n; ++i)
        texts.push_back(prefix + " text " + std::to_string(i) + (i % 3 == 0 ? " \u00e9t\u00e9 \U0001F642" : ""));
    return texts;
}

inline std::vector<std::string_view> views(const std::vector<std::string> &texts)
{
    return {texts.begin(), texts.end()};
}

// Empty when row i is the normalised test vector of texts[i] for every i; else the first difference.
inline QString matrixMismatch(const std::vector<float> &matrix, const std::vector<std::string> &texts, int dim)
{
    if (matrix.size() != texts.size() * std::size_t(dim))
        return QString("matrix has %1 floats, expected %2").arg(matrix.size()).arg(texts.size() * std::size_t(dim));
    for (std::size_t i = 0; i < texts.size(); ++i) {
        const auto expected = expectedVector(texts[i], dim);
        double norm = 0;
        for (int d = 0; d < dim; ++d) {
            const float got = matrix[i * std::size_t(dim) + std::size_t(d)];
            norm += double(got) * double(got);
            if (std::abs(got - expected[std::size_t(d)]) > 1e-6f)
                return QString("row %1 dim %2: %3 vs %4").arg(i).arg(d).arg(got).arg(expected[std::size_t(d)]);
        }
        if (std::abs(norm - 1.0) > 1e-5)
            return QString("row %1 has norm %2").arg(i).arg(norm);
    }
    return {};
}

// The "-storm" scenarios refuse every batch once with 429 (Retry-After: 1) and
// odd-sized batches then once with 500. Embeds 200 texts through `embedder` (set up
// for batches of 7, 4 at a time, Retry-After capped at 25 ms, against `scenario`/storm):
// empty when every vector arrived exactly once and in place after 28 * 3 + 2
// requests, having waited out the Retry-After; else what went wrong.
inline QString stormFailure(Embedder &embedder, const TestServer &server, const std::string &scenario, int dim)
{
    using namespace std::chrono_literals;
    const auto input = makeTexts(200, "storm");
    const auto t0 = std::chrono::steady_clock::now();
    const auto matrix = embedder.embed(views(input), JobContext());
    const auto elapsed = std::chrono::steady_clock::now() - t0;
    if (!matrix)
        return QString::fromStdString(matrix.error().message());
    if (QString mismatch = matrixMismatch(*matrix, input, dim); !mismatch.isEmpty())
        return mismatch;
    const auto stats = server.stats(scenario, "storm");
    if (stats["requests"].get<int>() != 28 * 3 + 2)  // 28 batches of 7 (429, 500, ok), one of 4 (429, ok)
        return QString("%1 requests").arg(stats["requests"].get<int>());
    if (stats["served"].size() != input.size())
        return QString("%1 texts served").arg(stats["served"].size());
    for (const auto &[text, count] : stats["served"].items()) {
        if (count.get<int>() != 1)
            return QString("'%1' served %2 times").arg(QString::fromStdString(text)).arg(count.get<int>());
    }
    if (elapsed < 8 * 25ms)  // 29 batches, 4 at a time, each waited its Retry-After once
        return QString("the storm took only %1 ms").arg(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count());
    return {};
}

// Runs `call` with a context that is cancelled 200 ms in (against the "hang"
// scenario, so requests are in flight): empty when it returned Cancelled within
// 200 ms of the cancel; else what went wrong.
inline QString cancelFailure(const std::function<Result<std::vector<float>>(const JobContext &)> &call)
{
    using namespace std::chrono_literals;
    CancelToken token;
    std::atomic<std::chrono::steady_clock::time_point> cancelledAt{};
    std::thread canceller([&] {
        std::this_thread::sleep_for(200ms);
        cancelledAt = std::chrono::steady_clock::now();
        token.cancel();
    });
    const auto matrix = call(JobContext(token, {}));
    const auto returnedAt = std::chrono::steady_clock::now();
    canceller.join();
    if (matrix || matrix.error().code != ErrorCode::Cancelled)
        return matrix ? QString("not cancelled") : QString::fromStdString(matrix.error().message());
    const auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(returnedAt - cancelledAt.load());
    if (latency >= 200ms)
        return QString("returned %1 ms after the cancel").arg(latency.count());
    return {};
}

struct RemoteIndexRun {
    std::string embedderKey;   // of the built index
    std::string endpoint;      // what the project saved for that key
    std::int64_t embedded = 0; // chunk texts sent to the embedder by the build
    std::string queryText;     // one chunk's exact text
    std::int64_t queryChunk = 0;
    std::int64_t topHit = 0;   // the dense leg's best chunk for queryText
};

// Ingests three small documents into `dir`/remote.ragwb, chunks them, builds a flat
// index with `embedderName` through the factory (as `ragwb index --embedder` does)
// and queries it through a Searcher that gets its embedder from the project.
inline Result<RemoteIndexRun> buildAndQueryRemoteIndex(const QString &dir, const std::string &embedderName)
{
    const char *docs[][2] = {
        {"cells.txt", "The mitochondrion is the powerhouse of the cell. It converts nutrients into ATP energy.\n"},
        {"genes.txt", "Ribosomes build proteins. The nucleus stores the genome of the cell.\n"},
        {"rivers.txt", "Rivers carry water from mountains to the sea, shaping valleys and deltas.\n"},
    };
    std::vector<std::string> paths;
    for (const auto &doc : docs) {
        QFile f(dir + "/" + doc[0]);
        if (!f.open(QIODevice::WriteOnly))
            return fail(ErrorCode::Io, f.errorString().toStdString(), f.fileName().toStdString());
        f.write(doc[1]);
        paths.push_back(f.fileName().toStdString());
    }
    auto project = Project::open((dir + "/remote.ragwb").toStdString());
    if (!project)
        return std::unexpected(project.error());
    const Project &p = **project;
    if (auto ingested = ingestPaths(p, paths, LoadOptions{}, JobContext()); !ingested)
        return std::unexpected(ingested.error());
    ChunkerConfig chunker;
    chunker.strategy = ChunkStrategy::Recursive;
    chunker.size = 60;
    chunker.overlap = 0;
    auto chunked = buildChunkSet(p, "small", chunker, JobContext());
    if (!chunked)
        return std::unexpected(chunked.error());
    IndexBuildSpec spec;
    spec.chunkSet = "small";
    spec.kind = "flat";
    spec.embedder = embedderName;
    auto built = buildIndex(p, spec, JobContext());
    if (!built)
        return std::unexpected(built.error());

    RemoteIndexRun run;
    run.embedderKey = built->record.embedderKey;
    run.embedded = built->embedded;
    auto endpoint = VectorCache(p.db()).embedderState(run.embedderKey);
    if (!endpoint)
        return std::unexpected(endpoint.error());
    run.endpoint = *endpoint;
    auto visited = ChunkRepository(p.db()).forEachChunkText(chunked->chunkSet.id,
                                                            [&](const ChunkRecord &c, std::string_view text) {
        if (run.queryText.empty()) {
            run.queryChunk = c.id;
            run.queryText = std::string(text);
        }
        return true;
    });
    if (!visited)
        return std::unexpected(visited.error());
    auto searcher = Searcher::open(p, "small", built->record.name,
                                   [&](const std::string &key) { return embedderForKey(p, key); });
    if (!searcher)
        return std::unexpected(searcher.error());
    auto hits = (*searcher)->denseLeg(run.queryText, 3);
    if (!hits)
        return std::unexpected(hits.error());
    if (hits->empty())
        return fail(ErrorCode::Internal, "the dense leg found nothing", embedderName);
    run.topHit = hits->front().chunkId;
    return run;
}

} // namespace rag::test
