// Chat providers against the scripted server (tests/reference/llm_test_server.cjs):
// the streamed text of each wire format (OpenAI SSE, Anthropic events, Ollama NDJSON)
// arrives exactly and in order, usage and cost come from the provider's fields,
// cancellation lands within 200 ms, a failing model falls back to the next, a
// mid-stream failure is never retried on another model, rerank clients map scores.
#include "core/generate/chatmodelfactory.h"
#include "core/generate/fallbackchatmodel.h"
#include "core/generate/remotechatmodel.h"
#include "core/generate/reranker.h"
#include "core/net/envsecretstore.h"
#include "../net/testserver.h"

#include <QElapsedTimer>
#include <QTest>

#include <thread>

using namespace rag;
using namespace std::chrono_literals;

namespace {
const std::string kStreamText = "H\u00e9llo, w\u00f6rld \u2014 \u2713 \u65e5\u672c\u8a9e \U0001F642\nline2 \"quoted\" \\ end";

ChatRequest question()
{
    ChatRequest r;
    r.messages = {{ChatRole::System, "Be brief."}, {ChatRole::User, "Say hello."}};
    r.maxTokens = 64;
    return r;
}
} // namespace

class TestChatModels : public QObject {
    Q_OBJECT

private:
    test::TestServer m_server;
    std::shared_ptr<HttpClient> m_http = std::make_shared<HttpClient>();

    RemoteChatOptions options(ChatWire wire, const std::string &scenario, const std::string &id,
                              const std::string &model = "test-model") const
    {
        RemoteChatOptions o;
        o.wire = wire;
        o.provider = wire == ChatWire::Anthropic ? "anthropic" : wire == ChatWire::Ollama ? "ollama" : "openai";
        o.baseUrl = m_server.url("/" + scenario + "/" + id + (wire == ChatWire::Ollama ? "" : "/v1"));
        o.model = model;
        o.apiKey = "sk-chat-SECRET-99887766";
        o.retry = RetryOptions{3, 2ms, 10ms, 50ms};
        return o;
    }

private Q_SLOTS:
    void initTestCase()
    {
        test::clearProxyEnvironment();
        const QString error = m_server.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void streamsEachWireFormat_data()
    {
        QTest::addColumn<int>("wire");
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<qint64>("inputTokens");
        QTest::addColumn<qint64>("outputTokens");
        QTest::addColumn<QString>("finish");
        QTest::addColumn<QString>("model");
        QTest::newRow("openai sse") << int(ChatWire::OpenAi) << "openai-stream" << qint64(9) << qint64(12) << "stop" << "gpt-test";
        QTest::newRow("anthropic events") << int(ChatWire::Anthropic) << "anthropic-stream" << qint64(12) << qint64(15) << "end_turn" << "claude-test";
        QTest::newRow("ollama ndjson") << int(ChatWire::Ollama) << "ollama-stream" << qint64(26) << qint64(8) << "stop" << "llama-test";
    }
    void streamsEachWireFormat()
    {
        QFETCH(int, wire);
        QFETCH(QString, scenario);
        QFETCH(qint64, inputTokens);
        QFETCH(qint64, outputTokens);
        QFETCH(QString, finish);
        QFETCH(QString, model);
        auto prices = std::make_shared<PriceTable>(std::vector<ModelPrice>{
            {"openai", "test-*", 2.0, 8.0}, {"anthropic", "test-model", 3.0, 15.0}, {"ollama", "test-model", 0, 0}});
        RemoteChatModel chat(options(ChatWire(wire), scenario.toStdString(), "w1"), m_http, prices);
        std::vector<std::string> deltas;
        auto answer = chat.chat(question(), [&](std::string_view d) { deltas.emplace_back(d); }, {});
        QVERIFY2(answer.has_value(), answer ? "" : answer.error().message().c_str());
        QCOMPARE(answer->text, kStreamText);
        std::string joined;
        for (const auto &d : deltas)
            joined += d;
        QCOMPARE(joined, kStreamText);
        QCOMPARE(deltas.size(), std::size_t(8));  // one delta per piece the server sent
        QCOMPARE(answer->usage.inputTokens, inputTokens);
        QCOMPARE(answer->usage.outputTokens, outputTokens);
        QCOMPARE(QString::fromStdString(answer->finishReason), finish);
        QCOMPARE(QString::fromStdString(answer->model), model);
        QVERIFY(answer->costUsd.has_value());
        const double perM = ChatWire(wire) == ChatWire::OpenAi ? 2.0 : ChatWire(wire) == ChatWire::Anthropic ? 3.0 : 0.0;
        const double outM = ChatWire(wire) == ChatWire::OpenAi ? 8.0 : ChatWire(wire) == ChatWire::Anthropic ? 15.0 : 0.0;
        QCOMPARE(*answer->costUsd, (double(inputTokens) * perM + double(outputTokens) * outM) / 1e6);
        QVERIFY(answer->firstDeltaMs >= 0 && answer->firstDeltaMs <= answer->totalMs);
    }

    void requestBodiesFollowEachWire()
    {
        RemoteChatModel anthropic(options(ChatWire::Anthropic, "echo", "b1"), m_http);
        const HttpRequest a = anthropic.buildRequest(question());
        const auto body = nlohmann::json::parse(a.body);
        QCOMPARE(body["system"].get<std::string>(), std::string("Be brief."));
        QCOMPARE(body["messages"].size(), std::size_t(1));  // the system prompt is not a message
        QCOMPARE(body["max_tokens"].get<int>(), 64);
        QVERIFY(findHeader(a.headers, "x-api-key").has_value());
        QVERIFY(a.url.ends_with("/v1/messages"));
        RemoteChatModel openai(options(ChatWire::OpenAi, "echo", "b2"), m_http);
        const auto o = nlohmann::json::parse(openai.buildRequest(question()).body);
        QCOMPARE(o["messages"].size(), std::size_t(2));
        QVERIFY(o["stream_options"]["include_usage"].get<bool>());
        RemoteChatModel ollama(options(ChatWire::Ollama, "echo", "b3"), m_http);
        const HttpRequest ol = ollama.buildRequest(question());
        QVERIFY(ol.url.ends_with("/api/chat"));
        QCOMPARE(nlohmann::json::parse(ol.body)["options"]["num_predict"].get<int>(), 64);
    }

    void brokenStreamsFail_data()
    {
        QTest::addColumn<int>("wire");
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<int>("code");
        QTest::newRow("anthropic error event") << int(ChatWire::Anthropic) << "anthropic-stream-error" << int(ErrorCode::Provider);
        QTest::newRow("ollama error line") << int(ChatWire::Ollama) << "ollama-stream-error" << int(ErrorCode::Provider);
        QTest::newRow("openai truncated") << int(ChatWire::OpenAi) << "truncated-stream" << int(ErrorCode::Network);
        QTest::newRow("openai unterminated") << int(ChatWire::OpenAi) << "openai-stream-unterminated" << int(ErrorCode::Network);
    }
    void brokenStreamsFail()
    {
        QFETCH(int, wire);
        QFETCH(QString, scenario);
        QFETCH(int, code);
        RemoteChatModel chat(options(ChatWire(wire), scenario.toStdString(), "x1"), m_http);
        auto answer = chat.chat(question(), {}, {});
        QVERIFY(!answer.has_value());
        QCOMPARE(int(answer.error().code), code);
        QVERIFY(answer.error().message().find("SECRET") == std::string::npos);
    }

    void cancellationWithin200ms()
    {
        RemoteChatModel chat(options(ChatWire::OpenAi, "slow-stream", "c1"), m_http);
        CancelToken token;
        JobContext ctx(token, {});
        QElapsedTimer sinceCancel;
        std::atomic<int> deltas{0};
        std::thread canceller([&] {
            while (deltas.load() < 3)
                std::this_thread::sleep_for(5ms);
            sinceCancel.start();
            token.cancel();
        });
        auto answer = chat.chat(question(), [&](std::string_view) { ++deltas; }, ctx);
        const qint64 ms = sinceCancel.elapsed();
        canceller.join();
        QVERIFY(!answer.has_value());
        QCOMPARE(answer.error().code, ErrorCode::Cancelled);
        QVERIFY2(ms < 200, qPrintable(QString("cancel took %1 ms").arg(ms)));
        QVERIFY(deltas.load() >= 3 && deltas.load() < 100);
    }

    void fallsBackToNextModel()
    {
        auto down = std::make_shared<RemoteChatModel>(options(ChatWire::OpenAi, "status-503", "f1", "first"), m_http);
        auto missing = std::make_shared<RemoteChatModel>(options(ChatWire::Anthropic, "status-404", "f1", "second"), m_http);
        auto good = std::make_shared<RemoteChatModel>(options(ChatWire::Ollama, "ollama-stream", "f1", "third"), m_http);
        FallbackChatModel chain({down, missing, good});
        std::string streamed;
        auto answer = chain.chat(question(), [&](std::string_view d) { streamed += d; }, {});
        QVERIFY2(answer.has_value(), answer ? "" : answer.error().message().c_str());
        QCOMPARE(streamed, kStreamText);
        QCOMPARE(answer->provider, std::string("ollama"));
        QCOMPARE(answer->skipped.size(), std::size_t(2));
        QVERIFY(answer->skipped[0].starts_with("openai:first: "));
        QVERIFY(answer->skipped[0].find("503") != std::string::npos);
        QVERIFY(answer->skipped[1].find("404") != std::string::npos);
        // 503 is retried (3 attempts), 404 is not.
        QCOMPARE(m_server.stats("status-503", "f1")["requests"].get<int>(), 3);
        QCOMPARE(m_server.stats("status-404", "f1")["requests"].get<int>(), 1);
    }

    void noFallbackAfterTextWasStreamed()
    {
        auto partial = std::make_shared<RemoteChatModel>(options(ChatWire::Anthropic, "anthropic-stream-error", "g1"), m_http);
        auto good = std::make_shared<RemoteChatModel>(options(ChatWire::OpenAi, "openai-stream", "g1"), m_http);
        FallbackChatModel chain({partial, good});
        std::string streamed;
        auto answer = chain.chat(question(), [&](std::string_view d) { streamed += d; }, {});
        QVERIFY(!answer.has_value());
        QCOMPARE(answer.error().code, ErrorCode::Provider);
        QCOMPARE(streamed, std::string("H\u00e9llo, w\u00f6"));
        QCOMPARE(m_server.stats("openai-stream", "g1")["requests"].get<int>(), 0);
    }

    void factoryParsesSpecsAndNeedsKeys()
    {
        qunsetenv("ANTHROPIC_API_KEY");
        EnvSecretStore env;
        ChatModelSettings settings;
        auto noKey = makeChatModel("anthropic:claude-x", settings, env, m_http);
        QVERIFY(!noKey.has_value());
        QCOMPARE(noKey.error().code, ErrorCode::NotFound);
        QVERIFY(!makeChatModel("nonsense", settings, env, m_http).has_value());
        QVERIFY(!makeChatModel("acme:model", settings, env, m_http).has_value());
        auto extractive = makeChatModel("extractive", settings, env, m_http);
        QVERIFY(extractive.has_value());
        QCOMPARE((*extractive)->name(), std::string("extractive:overlap-v1"));
        settings.baseUrl = m_server.url("/openai-stream/h1/v1");
        auto chain = makeChatModel("llamacpp:a,ollama:b", settings, env, m_http);
        QVERIFY(chain.has_value());
        QCOMPARE((*chain)->name(), std::string("llamacpp:a,ollama:b"));
        auto answer = (*chain)->chat(question(), {}, {});
        QVERIFY(answer.has_value());
        QCOMPARE(answer->text, kStreamText);
    }

    void remoteRerankScores_data()
    {
        QTest::addColumn<int>("wire");
        QTest::addColumn<QString>("scenario");
        QTest::newRow("cohere") << int(RerankWire::Cohere) << "rerank";
        QTest::newRow("tei") << int(RerankWire::Tei) << "rerank-tei";
    }
    void remoteRerankScores()
    {
        QFETCH(int, wire);
        QFETCH(QString, scenario);
        RemoteRerankerOptions o;
        o.wire = RerankWire(wire);
        o.baseUrl = m_server.url("/" + scenario.toStdString() + "/r1/v1");
        o.model = "rerank-test";
        o.maxCandidatesPerRequest = 2;  // exercises batching: scores must land at their input's position
        RemoteReranker reranker(o, m_http);
        const std::vector<std::string> docs{"nothing here", "alpha beta", "alpha", "beta gamma alpha delta"};
        auto scores = reranker.function()("alpha beta gamma delta", docs, {});
        QVERIFY2(scores.has_value(), scores ? "" : scores.error().message().c_str());
        QCOMPARE(*scores, (std::vector<double>{0.0, 0.5, 0.25, 1.0}));
    }

    void rerankMissingResultIsAnError()
    {
        RemoteRerankerOptions o;
        o.baseUrl = m_server.url("/rerank-short/r2/v1");
        const std::vector<std::string> docs{"a", "b", "c"};
        auto scores = RemoteReranker(o, m_http).score("a", docs, {});
        QVERIFY(!scores.has_value());
        QCOMPARE(scores.error().code, ErrorCode::Parse);
    }
};

QTEST_GUILESS_MAIN(TestChatModels)
#include "tst_chatmodels.moc"
