// OpenAiEmbedder against the scripted /v1/embeddings server: batching, parallel
// requests, order restored from "index", normalisation, dimension and count checks,
// a 429/503 storm that neither loses nor duplicates a vector, cancellation, and keys
// kept out of errors.
#include "core/common/hashing.h"
#include "core/net/openaiembedder.h"
#include "testserver.h"

#include <QTest>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <thread>

using namespace rag;
using namespace std::chrono_literals;

namespace {

// The server's test vector for a text (see testVector in llm_test_server.cjs),
// L2-normalised as the embedder must return it.
std::vector<float> expectedVector(const std::string &text, int dim)
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

std::vector<std::string> makeTexts(int n, const std::string &prefix)
{
    std::vector<std::string> texts;
    for (int i = 0; i < n; ++i)
        texts.push_back(prefix + " text " + std::to_string(i) + (i % 3 == 0 ? " \u00e9t\u00e9 \U0001F642" : ""));
    return texts;
}

std::vector<std::string_view> views(const std::vector<std::string> &texts)
{
    return {texts.begin(), texts.end()};
}

} // namespace

class TestOpenAiEmbedder : public QObject {
    Q_OBJECT

private:
    test::TestServer m_server;
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

    void verifyMatrix(const std::vector<float> &matrix, const std::vector<std::string> &texts, int dim)
    {
        QCOMPARE(matrix.size(), texts.size() * std::size_t(dim));
        for (std::size_t i = 0; i < texts.size(); ++i) {
            const auto expected = expectedVector(texts[i], dim);
            double norm = 0;
            for (int d = 0; d < dim; ++d) {
                const float got = matrix[i * std::size_t(dim) + std::size_t(d)];
                norm += double(got) * double(got);
                QVERIFY2(std::abs(got - expected[std::size_t(d)]) < 1e-6f,
                         qPrintable(QString("row %1 dim %2: %3 vs %4").arg(i).arg(d).arg(got).arg(expected[std::size_t(d)])));
            }
            QVERIFY(std::abs(norm - 1.0) < 1e-5);
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        test::clearProxyEnvironment();
        const QString error = m_server.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
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
        QTest::addColumn<int>("texts");
        QTest::addColumn<int>("maxInputs");
        QTest::addColumn<int>("parallel");
        QTest::addColumn<int>("requests");
        QTest::newRow("one request") << 5 << 64 << 2 << 1;
        QTest::newRow("exact batches") << 12 << 4 << 2 << 3;
        QTest::newRow("ragged, sequential") << 10 << 3 << 1 << 4;
        QTest::newRow("ragged, parallel") << 50 << 7 << 4 << 8;
        QTest::newRow("one per request") << 9 << 1 << 3 << 9;
    }

    void batchesAndPreservesOrder()
    {
        QFETCH(int, texts);
        QFETCH(int, maxInputs);
        QFETCH(int, parallel);
        QFETCH(int, requests);
        std::string id = QTest::currentDataTag();
        std::ranges::replace_if(id, [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '-');
        auto o = options("embed", id, 16);
        o.maxInputsPerRequest = maxInputs;
        o.parallelRequests = parallel;
        OpenAiEmbedder embedder(o, m_http);
        const auto input = makeTexts(texts, id);
        const auto matrix = embedder.embed(views(input), JobContext());
        QVERIFY2(matrix, matrix ? "" : matrix.error().message().c_str());
        verifyMatrix(*matrix, input, 16);
        const auto stats = m_server.stats("embed", id);
        QCOMPARE(stats["requests"].get<int>(), requests);
        QCOMPARE(int(stats["served"].size()), texts);
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
        verifyMatrix(*matrix, input, 8);
        QCOMPARE(m_server.stats("embed", "tokens")["requests"].get<int>(), 4);
    }

    void duplicateTextsGetTheirOwnRows()
    {
        const std::vector<std::string> input{"same", "other", "same"};
        OpenAiEmbedder embedder(options("embed", "dups", 8), m_http);
        const auto matrix = embedder.embed(views(input), JobContext());
        QVERIFY(matrix);
        verifyMatrix(*matrix, input, 8);
    }

    // Every batch is refused once with 429 (retry-after-ms: 5) and odd-sized batches a
    // second time with 503; every vector must still arrive exactly once, in place.
    void survivesA429Storm()
    {
        auto o = options("embed-storm", "storm", 12);
        o.maxInputsPerRequest = 7;
        o.parallelRequests = 4;
        OpenAiEmbedder embedder(o, m_http);
        const auto input = makeTexts(200, "storm");
        const auto matrix = embedder.embed(views(input), JobContext());
        QVERIFY2(matrix, matrix ? "" : matrix.error().message().c_str());
        verifyMatrix(*matrix, input, 12);
        const auto stats = m_server.stats("embed-storm", "storm");
        // 28 batches of 7 (429, 503, ok) and one of 4 (429, ok).
        QCOMPARE(stats["requests"].get<int>(), 28 * 3 + 2);
        QCOMPARE(int(stats["served"].size()), 200);
        for (const auto &[text, count] : stats["served"].items())
            QVERIFY2(count.get<int>() == 1, text.c_str());
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
        const std::vector<std::string> input{"a", "", "c"};
        const auto matrix = embedder.embed(views(input), JobContext());
        QVERIFY(!matrix);
        QCOMPARE(matrix.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(m_server.stats("embed", "empty")["requests"].get<int>(), 0);
        QVERIFY(embedder.embed({}, JobContext()).value().empty());
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
        const std::vector<std::string> input{"x"};
        const auto matrix = embedder.embed(views(input), JobContext());
        QVERIFY(!matrix);
        QCOMPARE(matrix.error().code, ErrorCode::Provider);
        QVERIFY2(matrix.error().detail.starts_with("HTTP 401 Unauthorized: Incorrect API key provided: ****."),
                 matrix.error().detail.c_str());
        QVERIFY(matrix.error().message().find("SECRET") == std::string::npos);
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
        auto o = options("hang", "cancel", 8);
        o.maxInputsPerRequest = 2;
        o.parallelRequests = 3;
        OpenAiEmbedder embedder(o, m_http);
        const auto input = makeTexts(10, "cancel");
        CancelToken token;
        std::atomic<std::chrono::steady_clock::time_point> cancelledAt{};
        std::thread canceller([&] {
            std::this_thread::sleep_for(200ms);
            cancelledAt = std::chrono::steady_clock::now();
            token.cancel();
        });
        const auto matrix = embedder.embed(views(input), JobContext(token, {}));
        const auto returnedAt = std::chrono::steady_clock::now();
        canceller.join();
        QVERIFY(!matrix);
        QCOMPARE(matrix.error().code, ErrorCode::Cancelled);
        const auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(returnedAt - cancelledAt.load());
        qInfo("embedding cancelled with 3 requests in flight: returned after %lld ms",
              static_cast<long long>(latency.count()));
        QVERIFY2(latency < 200ms, qPrintable(QString::number(latency.count())));
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
