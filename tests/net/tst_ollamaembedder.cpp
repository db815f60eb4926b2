// OllamaEmbedder against the scripted /api/embed server: batching, parallel requests,
// vectors in input order, normalisation, count and dimension checks, a 429/500 storm
// that neither loses nor duplicates a vector, Ollama's {"error"} message with the URL
// as its source, cancellation, and an index built and queried through the embedder
// factory with "ollama:" (OLLAMA_HOST pointing at the server).
#include "core/net/ollamaembedder.h"
#include "remoteembedtest.h"
#include "testserver.h"

#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace rag;
using namespace rag::test;
using namespace std::chrono_literals;

class TestOllamaEmbedder : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    std::shared_ptr<HttpClient> m_http = std::make_shared<HttpClient>();

    OllamaEmbedderOptions options(const std::string &scenario, const std::string &id, int dim) const
    {
        OllamaEmbedderOptions o;
        o.host = m_server.url("/" + scenario + "/" + id + "/");
        o.model = "embed-test";
        o.dimension = dim;
        o.requestDimensions = true;
        o.keepAlive = "10m";
        // Retry-After: 1 (seconds) is honoured up to 25 ms here, so storms stay fast.
        o.retry = RetryOptions{6, 1ms, 2ms, 25ms};
        return o;
    }

    std::string embedUrl(const std::string &scenario, const std::string &id) const
    {
        return m_server.url("/" + scenario + "/" + id + "/api/embed");
    }

private Q_SLOTS:
    void initTestCase()
    {
        QCOMPARE(startIsolated(m_server), QString());
    }

    void identity()
    {
        OllamaEmbedderOptions o;
        o.model = "nomic-embed-text";
        o.dimension = 768;
        const OllamaEmbedder embedder(o, m_http);
        QCOMPARE(embedder.identity().key(), remoteKey("ollama:nomic-embed-text", "http://127.0.0.1:11434", 768));
        QCOMPARE(embedder.identity().kind, EmbedderKind::Remote);
        o.host = "http://127.0.0.1:11434/";  // one server, one identity
        QCOMPARE(OllamaEmbedder(o, m_http).identity(), embedder.identity());
        o.host = "http://gpu-box:11434";
        QVERIFY(OllamaEmbedder(o, m_http).identity().key() != embedder.identity().key());
    }

    void batchesInInputOrder_data()
    {
        addBatchColumns();
        QTest::newRow("one request") << 5 << 32 << 2 << 1;
        QTest::newRow("exact batches") << 12 << 4 << 2 << 3;
        QTest::newRow("ragged, sequential") << 10 << 3 << 1 << 4;
        QTest::newRow("ragged, parallel") << 50 << 7 << 4 << 8;
        QTest::newRow("one per request") << 9 << 1 << 3 << 9;
    }

    void batchesInInputOrder()
    {
        const BatchCase c = fetchBatchCase();
        // "dimensions": 16 reaches the server
        OllamaEmbedder embedder(batched(options("ollama-embed", c.id, 16), c.maxInputs, c.parallel), m_http);
        QCOMPARE(batchFailure(embedder, m_server, "ollama-embed", c, 16), QString());
    }

    void duplicateTextsGetTheirOwnRows()
    {
        const std::vector<std::string> input{"same", "other", "same"};
        OllamaEmbedder embedder(options("ollama-embed", "dups", 8), m_http);
        const auto matrix = embedder.embed(views(input), JobContext());
        QVERIFY(matrix);
        QCOMPARE(matrixMismatch(*matrix, input, 8), QString());
        QCOMPARE(m_server.stats("ollama-embed", "dups")["served"]["same"].get<int>(), 2);
    }

    // Every batch is refused once with 429 (Retry-After: 1) and odd-sized batches then
    // once with 500; every vector must still arrive exactly once, in place.
    void survivesA429Storm()
    {
        OllamaEmbedder embedder(batched(options("ollama-embed-storm", "storm", 12), 7, 4), m_http);
        // 29 batches, 4 at a time, each waited its Retry-After (capped at 25 ms) once.
        QCOMPARE(stormFailure(embedder, m_server, "ollama-embed-storm", 12, 8 * 25ms), QString());
    }

    void retriesA500()
    {
        OllamaEmbedder embedder(options("ollama-embed-flaky", "flaky", 8), m_http);
        QCOMPARE(flakyFailure(embedder, m_server, "ollama-embed-flaky", 8), QString());
    }

    void badAnswers_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("detail");
        QTest::addColumn<int>("requests");
        QTest::newRow("one vector short") << "ollama-embed-short" << int(ErrorCode::Provider)
                                          << "returned 2 vectors for 3 inputs" << 1;
        QTest::newRow("wrong dimension") << "ollama-embed-baddim" << int(ErrorCode::Mismatch)
                                         << "the provider returned 15-dimensional vectors (embeddings[2]); "
                                            "embed-test is configured for 16" << 1;
        QTest::newRow("malformed JSON") << "ollama-embed-malformed" << int(ErrorCode::Parse)
                                        << "the response is not valid JSON (48 bytes)" << 1;
        QTest::newRow("Ollama error body") << "ollama-embed-error" << int(ErrorCode::Provider)
                                           << "HTTP 404 Not Found: model \"embed-test\" not found, try pulling it first"
                                           << 1;
    }

    void badAnswers()
    {
        QFETCH(QString, scenario);
        QFETCH(int, code);
        QFETCH(QString, detail);
        QFETCH(int, requests);
        const std::string name = scenario.toStdString();
        OllamaEmbedder embedder(options(name, "bad", 16), m_http);
        const ExpectedFailure want{ErrorCode(code), detail.toStdString(), embedUrl(name, "bad"), requests};
        QCOMPARE(badAnswerFailure(embedder, m_server, name, want), QString());
    }

    void credentialsStayOutOfTheSource()
    {
        auto o = options("ollama-embed-error", "creds", 8);
        o.host = "http://user:pa55word@127.0.0.1:" + std::to_string(m_server.port()) + "/ollama-embed-error/creds";
        OllamaEmbedder embedder(o, m_http);
        const std::vector<std::string> input{"x"};
        const auto matrix = embedder.embed(views(input), JobContext());
        QVERIFY(!matrix);
        QCOMPARE(matrix.error().source, embedUrl("ollama-embed-error", "creds"));
    }

    void rejectsEmptyInputWithoutSending()
    {
        OllamaEmbedder embedder(options("ollama-embed", "empty", 8), m_http);
        QCOMPARE(emptyInputFailure(embedder, m_server, "ollama-embed"), QString());
    }

    void probesTheDimension()
    {
        auto o = options("ollama-embed", "probe", 0);
        auto dim = OllamaEmbedder::probeDimension(o, m_http, JobContext());
        QVERIFY2(dim, dim ? "" : dim.error().message().c_str());
        QCOMPARE(*dim, 8);  // the model's own size: no "dimensions" is sent
        o.host = m_server.url("/ollama-embed-error/probe");
        dim = OllamaEmbedder::probeDimension(o, m_http, JobContext());
        QVERIFY(!dim);
        QCOMPARE(dim.error().code, ErrorCode::Provider);
    }

    void cancellationIsPrompt()
    {
        OllamaEmbedder embedder(batched(options("hang", "cancel", 8), 2, 3), m_http);
        const auto input = makeTexts(10, "cancel");
        QCOMPARE(cancelFailure([&](const JobContext &ctx) { return embedder.embed(views(input), ctx); }), QString());
    }

    // `ragwb index --embedder ollama:embed-test` with OLLAMA_HOST at the server: the
    // dimension is probed, chunks go through /api/embed, the endpoint (not a key) is
    // saved, and a query through the project's embedder finds a chunk by its own text.
    void indexAndQueryThroughTheFactory()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string host = m_server.url("/ollama-embed/idx");
        qputenv("OLLAMA_HOST", QByteArray::fromStdString(host));
        const auto run = buildAndQueryRemoteIndex(dir.path(), "ollama:embed-test");
        qunsetenv("OLLAMA_HOST");
        QVERIFY2(run, run ? "" : run.error().message().c_str());
        QCOMPARE(run->embedderKey, remoteKey("ollama:embed-test", host, 8));
        const auto endpoint = nlohmann::json::parse(run->endpoint);
        QCOMPARE(endpoint["api"].get<std::string>(), std::string("ollama"));
        QCOMPARE(endpoint["base_url"].get<std::string>(), host);
        QCOMPARE(endpoint["dimension"].get<int>(), 8);
        QCOMPARE(run->topHit, run->queryChunk);
        const auto stats = m_server.stats("ollama-embed", "idx");
        QCOMPARE(stats["requests"].get<int>(), 3);  // probe, one build batch, the query
        QCOMPARE(stats["served"][run->queryText].get<int>(), 2);  // built, then queried
        QVERIFY(run->embedded >= 3);
    }

    // An endpoint saved before the native API existed ("ollama:" meant Ollama's /v1)
    // keeps its OpenAI-compatible API, so queries embed as its index did.
    void legacyEndpointKeepsItsApi()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto project = Project::open(dir.filePath("legacy.ragwb").toStdString());
        QVERIFY(project);
        const std::string key = "ollama:embed-test@remote#0123456789ab/8";
        const std::string endpoint = nlohmann::json{{"provider", "ollama"}, {"model", "embed-test"},
                                                    {"base_url", m_server.url("/embed/legacy/v1")}, {"dimension", 8}}
                                         .dump();
        QVERIFY(VectorCache((*project)->db()).saveEmbedderState(key, "{}", endpoint));
        auto embedder = embedderForKey(**project, key);
        QVERIFY2(embedder, embedder ? "" : embedder.error().message().c_str());
        const std::vector<std::string> input{"legacy query"};
        const auto matrix = (*embedder)->embedQueries(views(input), JobContext());
        QVERIFY2(matrix, matrix ? "" : matrix.error().message().c_str());
        QCOMPARE(matrixMismatch(*matrix, input, 8), QString());
        QCOMPARE(m_server.stats("embed", "legacy")["requests"].get<int>(), 1);
    }
};

QTEST_GUILESS_MAIN(TestOllamaEmbedder)
#include "tst_ollamaembedder.moc"
