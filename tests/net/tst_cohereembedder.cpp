// CohereEmbedder against the scripted /v2/embed server: batches of at most 96 texts
// (the server refuses more, as Cohere does), vectors in input order, input_type
// search_document for passages and search_query for questions, output_dimension,
// count and dimension checks, a 429/500 storm that neither loses nor duplicates a
// vector, Cohere's {"message"} errors, the key kept out of errors, cancellation, and
// an index built and queried through the embedder factory with "cohere:".
#include "core/net/cohereembedder.h"
#include "remoteembedtest.h"
#include "testserver.h"

#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace rag;
using namespace rag::test;
using namespace std::chrono_literals;

class TestCohereEmbedder : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    std::shared_ptr<HttpClient> m_http = std::make_shared<HttpClient>();

    CohereEmbedderOptions options(const std::string &scenario, const std::string &id, int dim) const
    {
        CohereEmbedderOptions o;
        o.baseUrl = m_server.url("/" + scenario + "/" + id);
        o.model = "embed-test";
        o.dimension = dim;
        o.apiKey = "co-embed-SECRET-5566778899";
        // Retry-After: 1 (seconds) is honoured up to 25 ms here, so storms stay fast.
        o.retry = RetryOptions{6, 1ms, 2ms, 25ms};
        return o;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QCOMPARE(startIsolated(m_server), QString());
    }

    void identity()
    {
        CohereEmbedderOptions o;
        o.model = "embed-v4.0";
        o.dimension = 1536;
        const CohereEmbedder embedder(o, m_http);
        QCOMPARE(embedder.identity().key(), remoteKey("cohere:embed-v4.0", "https://api.cohere.com", 1536));
        QCOMPARE(embedder.identity().kind, EmbedderKind::Remote);
        o.baseUrl = "https://api.cohere.com/";
        QCOMPARE(CohereEmbedder(o, m_http).identity(), embedder.identity());
        o.baseUrl = "https://cohere-proxy.example";
        QVERIFY(CohereEmbedder(o, m_http).identity().key() != embedder.identity().key());
        o.maxInputsPerRequest = 500;
        QCOMPARE(CohereEmbedder(o, m_http).options().maxInputsPerRequest, CohereEmbedder::kMaxTextsPerRequest);
    }

    void batchesInInputOrder_data()
    {
        addBatchColumns();
        QTest::newRow("one request") << 5 << 96 << 2 << 1;
        QTest::newRow("ragged, parallel") << 50 << 7 << 4 << 8;
        QTest::newRow("one per request") << 9 << 1 << 3 << 9;
        // The server answers 400 to more than 96 texts, as Cohere does.
        QTest::newRow("clamped to 96") << 200 << 1000 << 2 << 3;
    }

    void batchesInInputOrder()
    {
        const BatchCase c = fetchBatchCase();
        CohereEmbedder embedder(batched(options("cohere-embed", c.id, 8), c.maxInputs, c.parallel), m_http);
        QCOMPARE(batchFailure(embedder, m_server, "cohere-embed", c, 8), QString());
    }

    void queriesAndDocumentsUseTheirInputTypes()
    {
        auto o = options("cohere-embed", "types", 16);
        o.requestDimensions = true;  // "output_dimension": 16 reaches the server
        CohereEmbedder embedder(o, m_http);
        const std::vector<std::string> docs{"passage one", "passage two", "passage three"};
        const std::vector<std::string> queries{"question one", "question two"};
        const auto docVectors = embedder.embed(views(docs), JobContext());
        QVERIFY2(docVectors, docVectors ? "" : docVectors.error().message().c_str());
        QCOMPARE(matrixMismatch(*docVectors, docs, 16), QString());
        Embedder &generic = embedder;  // what the Searcher calls
        const auto queryVectors = generic.embedQueries(views(queries), JobContext());
        QVERIFY2(queryVectors, queryVectors ? "" : queryVectors.error().message().c_str());
        QCOMPARE(matrixMismatch(*queryVectors, queries, 16), QString());
        const auto asDocuments = m_server.stats("cohere-embed", "types.search_document")["served"];
        const auto asQueries = m_server.stats("cohere-embed", "types.search_query")["served"];
        QCOMPARE(int(asDocuments.size()), 3);
        QCOMPARE(int(asQueries.size()), 2);
        for (const std::string &d : docs)
            QVERIFY2(asDocuments.contains(d) && !asQueries.contains(d), d.c_str());
        for (const std::string &q : queries)
            QVERIFY2(asQueries.contains(q) && !asDocuments.contains(q), q.c_str());
    }

    // Every batch is refused once with 429 (Retry-After: 1) and odd-sized batches then
    // once with 500; every vector must still arrive exactly once, in place.
    void survivesA429Storm()
    {
        auto o = options("cohere-embed-storm", "storm", 12);
        o.requestDimensions = true;
        o.maxInputsPerRequest = 7;
        o.parallelRequests = 4;
        CohereEmbedder embedder(o, m_http);
        // 29 batches, 4 at a time, each waited its Retry-After (capped at 25 ms) once.
        QCOMPARE(stormFailure(embedder, m_server, "cohere-embed-storm", 12, 8 * 25ms), QString());
    }

    void retriesA500()
    {
        CohereEmbedder embedder(options("cohere-embed-flaky", "flaky", 8), m_http);
        QCOMPARE(flakyFailure(embedder, m_server, "cohere-embed-flaky", 8), QString());
    }

    void badAnswers_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("detail");
        QTest::newRow("one vector short") << "cohere-embed-short" << int(ErrorCode::Provider)
                                          << "returned 2 vectors for 3 inputs";
        QTest::newRow("wrong dimension") << "cohere-embed-baddim" << int(ErrorCode::Mismatch)
                                         << "the provider returned 15-dimensional vectors (embeddings.float[2]); "
                                            "embed-test is configured for 16";
        QTest::newRow("malformed JSON") << "cohere-embed-malformed" << int(ErrorCode::Parse)
                                        << "the response is not valid JSON (55 bytes)";
        QTest::newRow("Cohere message") << "cohere-status-400" << int(ErrorCode::Provider)
                                        << "HTTP 400 Bad Request: invalid request: texts must not be empty";
    }

    void badAnswers()
    {
        QFETCH(QString, scenario);
        QFETCH(int, code);
        QFETCH(QString, detail);
        const std::string name = scenario.toStdString();
        auto o = options(name, "bad", 16);
        o.requestDimensions = true;
        CohereEmbedder embedder(o, m_http);
        const ExpectedFailure want{ErrorCode(code), detail.toStdString(), "cohere (127.0.0.1)", 1};
        QCOMPARE(badAnswerFailure(embedder, m_server, name, want), QString());
    }

    void keyIsSentButNeverShown()
    {
        CohereEmbedder embedder(options("echo-key-401", "cohere", 8), m_http);
        QCOMPARE(shownKeyFailure(embedder), QString());
    }

    void probesTheDimension()
    {
        auto o = options("cohere-embed", "probe", 0);
        auto dim = CohereEmbedder::probeDimension(o, m_http, JobContext());
        QVERIFY2(dim, dim ? "" : dim.error().message().c_str());
        QCOMPARE(*dim, 8);
        o.requestDimensions = true;
        o.dimension = 32;  // output_dimension shortens (or here, lengthens) the vectors
        dim = CohereEmbedder::probeDimension(o, m_http, JobContext());
        QVERIFY(dim);
        QCOMPARE(*dim, 32);
    }

    void cancellationIsPrompt()
    {
        CohereEmbedder embedder(batched(options("hang", "cancel", 8), 2, 3), m_http);
        const auto input = makeTexts(10, "cancel");
        QCOMPARE(cancelFailure([&](const JobContext &ctx) { return embedder.embedQueries(views(input), ctx); }),
                 QString());
    }

    void factoryNeedsTheKeyForCohereItself()
    {
        qunsetenv("COHERE_BASE_URL");
        qunsetenv("COHERE_API_KEY");
        const auto embedder = remoteEmbedderByName("cohere:embed-v4.0", {}, JobContext());
        QVERIFY(!embedder);
        QCOMPARE(embedder.error().code, ErrorCode::NotFound);
        QCOMPARE(embedder.error().message(), std::string("cohere:embed-v4.0: COHERE_API_KEY is not set"));
    }

    // `ragwb index --embedder cohere:embed-test` with COHERE_BASE_URL at the server: chunks
    // are embedded as search_document, the query as search_query, the key stays out of
    // the project, and the query finds a chunk by its own text.
    void indexAndQueryThroughTheFactory()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string base = m_server.url("/cohere-embed/idx");
        qputenv("COHERE_BASE_URL", QByteArray::fromStdString(base));
        qputenv("COHERE_API_KEY", "co-index-SECRET-42");
        const auto run = buildAndQueryRemoteIndex(dir.path(), "cohere:embed-test");
        qunsetenv("COHERE_BASE_URL");
        qunsetenv("COHERE_API_KEY");
        QVERIFY2(run, run ? "" : run.error().message().c_str());
        QCOMPARE(run->embedderKey, remoteKey("cohere:embed-test", base, 8));
        const auto endpoint = nlohmann::json::parse(run->endpoint);
        QCOMPARE(endpoint["api"].get<std::string>(), std::string("cohere"));
        QCOMPARE(endpoint["base_url"].get<std::string>(), base);
        QVERIFY(run->endpoint.find("SECRET") == std::string::npos);
        QCOMPARE(run->topHit, run->queryChunk);
        QCOMPARE(m_server.stats("cohere-embed", "idx")["requests"].get<int>(), 3);  // probe, build, query
        const auto asQueries = m_server.stats("cohere-embed", "idx.search_query")["served"];
        QCOMPARE(int(asQueries.size()), 1);
        QCOMPARE(asQueries[run->queryText].get<int>(), 1);
        const auto asDocuments = m_server.stats("cohere-embed", "idx.search_document")["served"];
        QCOMPARE(asDocuments[run->queryText].get<int>(), 1);
        QCOMPARE(std::int64_t(asDocuments.size()), run->embedded + 1);  // the chunks and the probe
    }
};

QTEST_GUILESS_MAIN(TestCohereEmbedder)
#include "tst_cohereembedder.moc"
