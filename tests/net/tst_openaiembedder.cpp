// OpenAiEmbedder against the scripted /v1/embeddings server: batching, parallel
// requests, order restored from "index", normalisation, dimension and count checks,
// a 429/503 storm that neither loses nor duplicates a vector, cancellation, and keys
// kept out of errors.
#include "core/net/openaiembedder.h"
#include "remoteembedtest.h"
#include "testserver.h"

#include <QTest>

using namespace rag;
using namespace rag::test;
using namespace std::chrono_literals;

class TestOpenAiEmbedder : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    std::shared_ptr<HttpClient> m_http = std::make_shared<HttpClient>();

    OpenAiEmbedderOptions options(const std::string &scenario, const std::string &id, int dim) const
    {
        OpenAiEmbedderOptions o;
        o.provider = "acme";
        o.baseUrl = m_server.url("/" + scenario + "/" + id + "/v1/");
        o.model = "embed-test";
        o.dimension = dim;
        o.requestDimensions = true;
        o.apiKey = "sk-embed-SECRET-0011223344";
        o.retry = RetryOptions{6, 2ms, 20ms, 50ms};
        return o;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QCOMPARE(startIsolated(m_server), QString());
    }

    void identity()
    {
        OpenAiEmbedderOptions o;
        o.model = "text-embedding-3-small";
        o.dimension = 512;
        const OpenAiEmbedder embedder(o, m_http);
        QCOMPARE(embedder.identity().key(), std::string("openai:text-embedding-3-small@remote#/512"));
        QCOMPARE(embedder.identity().kind, EmbedderKind::Remote);
    }

    void batchesAndPreservesOrder_data()
    {
        addBatchColumns();
        QTest::newRow("one request") << 5 << 64 << 2 << 1;
        QTest::newRow("exact batches") << 12 << 4 << 2 << 3;
        QTest::newRow("ragged, sequential") << 10 << 3 << 1 << 4;
        QTest::newRow("ragged, parallel") << 50 << 7 << 4 << 8;
        QTest::newRow("one per request") << 9 << 1 << 3 << 9;
    }

    void batchesAndPreservesOrder()
    {
        const BatchCase c = fetchBatchCase();
        OpenAiEmbedder embedder(batched(options("embed", c.id, 16), c.maxInputs, c.parallel), m_http);
        QCOMPARE(batchFailure(embedder, m_server, "embed", c, 16), QString());
    }

    void tokenCapSplitsBatches()
    {
        auto o = options("embed", "tokens", 8);
        o.maxInputsPerRequest = 100;
        o.maxTokensPerRequest = 10;
        // Every text counts 4 tokens: two fit under the cap of 10, a third does not.
        OpenAiEmbedder embedder(o, m_http, {}, [](std::string_view) { return std::int64_t(4); });
        const auto input = makeTexts(7, "tok");
        const auto matrix = embedder.embed(views(input), JobContext());
        QVERIFY(matrix);
        QCOMPARE(matrixMismatch(*matrix, input, 8), QString());
        QCOMPARE(m_server.stats("embed", "tokens")["requests"].get<int>(), 4);
    }

    void duplicateTextsGetTheirOwnRows()
    {
        const std::vector<std::string> input{"same", "other", "same"};
        OpenAiEmbedder embedder(options("embed", "dups", 8), m_http);
        const auto matrix = embedder.embed(views(input), JobContext());
        QVERIFY(matrix);
        QCOMPARE(matrixMismatch(*matrix, input, 8), QString());
    }

    // Every batch is refused once with 429 (retry-after-ms: 5) and odd-sized batches a
    // second time with 503; every vector must still arrive exactly once, in place.
    void survivesA429Storm()
    {
        OpenAiEmbedder embedder(batched(options("embed-storm", "storm", 12), 7, 4), m_http);
        // 28 batches of 7 (429, 503, ok) and one of 4 (429, ok); the 5 ms waits set no floor worth asserting.
        QCOMPARE(stormFailure(embedder, m_server, "embed-storm", 12, 0ms), QString());
    }

    void rejectsWrongDimension()
    {
        OpenAiEmbedder embedder(options("embed-baddim", "dim", 16), m_http);
        const auto input = makeTexts(3, "dim");
        const auto matrix = embedder.embed(views(input), JobContext());
        QVERIFY(!matrix);
        QCOMPARE(matrix.error().code, ErrorCode::Mismatch);
        QCOMPARE(matrix.error().message(), std::string("acme (127.0.0.1): the provider returned 15-dimensional "
                                                       "vectors; embed-test is configured for 16"));
    }

    void rejectsMissingVectors()
    {
        OpenAiEmbedder embedder(options("embed-short", "short", 8), m_http);
        const auto input = makeTexts(3, "short");
        const auto matrix = embedder.embed(views(input), JobContext());
        QVERIFY(!matrix);
        QCOMPARE(matrix.error().code, ErrorCode::Provider);
        QCOMPARE(matrix.error().detail, std::string("returned 2 vectors for 3 inputs"));
    }

    void rejectsEmptyInputWithoutSending()
    {
        OpenAiEmbedder embedder(options("embed", "empty", 8), m_http);
        QCOMPARE(emptyInputFailure(embedder, m_server, "embed"), QString());
    }

    void malformedAnswerIsAParseError()
    {
        OpenAiEmbedder embedder(options("malformed", "e", 8), m_http);
        const std::vector<std::string> input{"x"};
        const auto matrix = embedder.embed(views(input), JobContext());
        QVERIFY(!matrix);
        QCOMPARE(matrix.error().code, ErrorCode::Parse);
        QCOMPARE(matrix.error().source, std::string("acme (127.0.0.1)"));
    }

    void keyIsSentButNeverShown()
    {
        OpenAiEmbedder embedder(options("echo-key-401", "e", 8), m_http);
        QCOMPARE(shownKeyFailure(embedder), QString());
    }

    void firstFailureStopsTheOthers()
    {
        // Parallel batches against a server that never answers, with a short total
        // timeout and no retries: the call ends after one timeout, not one per batch.
        auto o = options("hang", "fail", 8);
        o.maxInputsPerRequest = 1;
        o.parallelRequests = 2;
        o.retry.maxAttempts = 1;
        o.timeouts.total = 300ms;
        OpenAiEmbedder embedder(o, m_http);
        const auto input = makeTexts(10, "fail");
        const auto t0 = std::chrono::steady_clock::now();
        const auto matrix = embedder.embed(views(input), JobContext());
        const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
        QVERIFY(!matrix);
        QCOMPARE(matrix.error().code, ErrorCode::Network);
        QVERIFY2(elapsed < 1500ms, qPrintable(QString::number(elapsed.count())));
    }

    void cancellationIsPrompt()
    {
        OpenAiEmbedder embedder(batched(options("hang", "cancel", 8), 2, 3), m_http);
        const auto input = makeTexts(10, "cancel");
        QCOMPARE(cancelFailure([&](const JobContext &ctx) { return embedder.embed(views(input), ctx); }), QString());
    }

    void reportsProgress()
    {
        auto o = options("embed", "progress", 8);
        o.maxInputsPerRequest = 5;
        OpenAiEmbedder embedder(o, m_http);
        const auto input = makeTexts(40, "progress");
        std::vector<ProgressReport> reports;
        const JobContext ctx(CancelToken(), [&](const ProgressReport &r) { reports.push_back(r); });
        QVERIFY(embedder.embed(views(input), ctx));
        QVERIFY(!reports.empty());
        QCOMPARE(reports.back().done, std::int64_t(40));
        QCOMPARE(reports.back().total, std::int64_t(40));
        QCOMPARE(reports.back().stage, std::string("embedding"));
    }
};

QTEST_GUILESS_MAIN(TestOpenAiEmbedder)
#include "tst_openaiembedder.moc"
