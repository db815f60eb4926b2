#pragma once
// Shared by the OpenAI, Ollama and Cohere embedder tests: the scripted server's test
// vectors as an embedder must return them (see testVector in llm_test_server.cjs),
// input texts, the checks every remote embedder must pass (batching, retries, storms,
// bad answers, cancellation), and a round trip through the embedder factory: a small
// project indexed with a remote embedder name, then queried with one chunk's exact
// text. Test thread only; helpers return what went wrong, the test asserts on it.
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
#include <QStandardPaths>
#include <QString>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cmath>
#include <functional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace rag::test {

// Starts `server` for a test that must not see the user's proxies or settings:
// QStandardPaths in test mode, proxy variables cleared. Empty, or why it did not start.
inline QString startIsolated(TestServer &server)
{
    QStandardPaths::setTestModeEnabled(true);
    clearProxyEnvironment();
    return server.start();
}

// The cache key a remote embedder named `name` must have against `endpoint`.
inline std::string remoteKey(const std::string &name, const std::string &endpoint, int dim)
{
    return name + "@remote#" + sha256Hex(endpoint).substr(0, 12) + "/" + std::to_string(dim);
}

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
            if (!(std::abs(got - expected[std::size_t(d)]) < 1e-6f))  // NaN fails too
                return QString("row %1 dim %2: %3 vs %4").arg(i).arg(d).arg(got).arg(expected[std::size_t(d)]);
        }
        if (!(std::abs(norm - 1.0) < 1e-5))
            return QString("row %1 has norm %2").arg(i).arg(norm);
    }
    return {};
}

// The "-storm" scenarios refuse every batch once with 429 and odd-sized batches then
// once with a 5xx. Embeds 200 texts through `embedder` (set up for batches of 7, 4 at
// a time, against `scenario`/storm): empty when every vector arrived exactly once and
// in place after 28 * 3 + 2 requests, taking at least `minElapsed` (the Retry-After
// waits); else what went wrong.
inline QString stormFailure(Embedder &embedder, const TestServer &server, const std::string &scenario, int dim,
                            std::chrono::milliseconds minElapsed)
{
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
    if (elapsed < minElapsed)
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
    qInfo("embedding cancelled with requests in flight: returned after %lld ms",
          static_cast<long long>(latency.count()));
    if (latency >= 200ms)
        return QString("returned %1 ms after the cancel").arg(latency.count());
    return {};
}

// The current data tag as a server scenario id: every non-alphanumeric becomes '-'.
inline std::string dataTagId()
{
    std::string id = QTest::currentDataTag();
    std::ranges::replace_if(id, [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '-');
    return id;
}

// One row of a batching table: `texts` inputs sent `maxInputs` per request, `parallel`
// at once, must reach the server in exactly `requests` requests.
struct BatchCase {
    int texts = 0;
    int maxInputs = 0;
    int parallel = 0;
    int requests = 0;
    std::string id;  // the data tag as a scenario id
};

inline void addBatchColumns()
{
    QTest::addColumn<int>("texts");
    QTest::addColumn<int>("maxInputs");
    QTest::addColumn<int>("parallel");
    QTest::addColumn<int>("requests");
}

// `o` set to send at most `maxInputs` texts per request and `parallel` requests at once.
template <class Options>
Options batched(Options o, int maxInputs, int parallel)
{
    o.maxInputsPerRequest = maxInputs;
    o.parallelRequests = parallel;
    return o;
}

inline BatchCase fetchBatchCase()
{
    QFETCH(int, texts);
    QFETCH(int, maxInputs);
    QFETCH(int, parallel);
    QFETCH(int, requests);
    return {texts, maxInputs, parallel, requests, dataTagId()};
}

// Embeds c.texts texts (prefixed with c.id) through `embedder` (set up with c's batch
// size and parallelism against `scenario`/c.id): empty when every vector is right and in
// place, the server saw c.requests requests and served every text; else what went wrong.
inline QString batchFailure(Embedder &embedder, const TestServer &server, const std::string &scenario,
                            const BatchCase &c, int dim)
{
    const auto input = makeTexts(c.texts, c.id);
    const auto matrix = embedder.embed(views(input), JobContext());
    if (!matrix)
        return QString::fromStdString(matrix.error().message());
    if (QString mismatch = matrixMismatch(*matrix, input, dim); !mismatch.isEmpty())
        return mismatch;
    const auto stats = server.stats(scenario, c.id);
    if (stats["requests"].get<int>() != c.requests)
        return QString("%1 requests, expected %2").arg(stats["requests"].get<int>()).arg(c.requests);
    if (int(stats["served"].size()) != c.texts)
        return QString("%1 texts served, expected %2").arg(stats["served"].size()).arg(c.texts);
    return {};
}

// The "-flaky" scenarios answer the first request 500: embeds 5 texts against
// `scenario`/flaky; empty when all came back right after exactly 2 requests.
inline QString flakyFailure(Embedder &embedder, const TestServer &server, const std::string &scenario, int dim)
{
    const auto input = makeTexts(5, "flaky");
    const auto matrix = embedder.embed(views(input), JobContext());
    if (!matrix)
        return QString::fromStdString(matrix.error().message());
    if (QString mismatch = matrixMismatch(*matrix, input, dim); !mismatch.isEmpty())
        return mismatch;
    if (const int requests = server.stats(scenario, "flaky")["requests"].get<int>(); requests != 2)
        return QString("%1 requests, expected 2").arg(requests);
    return {};
}

// What an embedder must say about a bad answer: its code, detail and source, and how
// many requests it sent before giving up.
struct ExpectedFailure {
    ErrorCode code = ErrorCode::Internal;
    std::string detail;
    std::string source;
    int requests = 1;
};

// Embeds 3 texts against `scenario`/bad: empty when the call failed exactly as `want`
// says; else the first difference.
inline QString badAnswerFailure(Embedder &embedder, const TestServer &server, const std::string &scenario,
                                const ExpectedFailure &want)
{
    const auto input = makeTexts(3, "bad");
    const auto matrix = embedder.embed(views(input), JobContext());
    if (matrix)
        return QString("the bad answer was accepted");
    const Error &error = matrix.error();
    if (error.code != want.code)
        return QString("code %1, expected %2").arg(int(error.code)).arg(int(want.code));
    if (error.detail != want.detail)
        return QString("detail '%1', expected '%2'")
            .arg(QString::fromStdString(error.detail), QString::fromStdString(want.detail));
    if (error.source != want.source)
        return QString("source '%1', expected '%2'")
            .arg(QString::fromStdString(error.source), QString::fromStdString(want.source));
    if (const int requests = server.stats(scenario, "bad")["requests"].get<int>(); requests != want.requests)
        return QString("%1 requests, expected %2").arg(requests).arg(want.requests);
    return {};
}

// Against an "echo-key-401" scenario: empty when the key reached the server (which
// answers 401 quoting it masked) and no part of the error shows it; else what leaked.
inline QString shownKeyFailure(Embedder &embedder)
{
    const std::vector<std::string> input{"x"};
    const auto matrix = embedder.embed(views(input), JobContext());
    if (matrix)
        return QString("a 401 was accepted");
    if (matrix.error().code != ErrorCode::Provider)
        return QString("code %1, expected Provider").arg(int(matrix.error().code));
    if (!matrix.error().detail.starts_with("HTTP 401 Unauthorized: Incorrect API key provided: ****."))
        return QString::fromStdString(matrix.error().detail);
    if (matrix.error().message().find("SECRET") != std::string::npos)
        return QString::fromStdString(matrix.error().message());
    return {};
}

// Texts with an empty one among them are refused as InvalidArgument before any request
// reaches `scenario`/empty, and no texts at all embed to an empty matrix.
inline QString emptyInputFailure(Embedder &embedder, const TestServer &server, const std::string &scenario)
{
    const std::vector<std::string> input{"a", "", "c"};
    const auto matrix = embedder.embed(views(input), JobContext());
    if (matrix || matrix.error().code != ErrorCode::InvalidArgument)
        return matrix ? QString("an empty text was accepted") : QString::fromStdString(matrix.error().message());
    if (const int requests = server.stats(scenario, "empty")["requests"].get<int>(); requests != 0)
        return QString("%1 requests were sent").arg(requests);
    const auto none = embedder.embed({}, JobContext());
    if (!none || !none->empty())
        return none ? QString("no texts gave %1 floats").arg(none->size())
                    : QString::fromStdString(none.error().message());
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
