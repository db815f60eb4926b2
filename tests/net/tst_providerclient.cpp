// ProviderClient end to end against the scripted server: attempt counts per status,
// backoff delays inside their bounds, Retry-After (seconds, date, cap), cancellation
// in a backoff, provider messages in errors, Parse errors naming the provider,
// streams retried only before their first byte, decoded chat streams, the fallback
// chain, the shared rate limit, and keys absent from every error and log line.
#include "core/net/chatstreamdecoder.h"
#include "core/net/fallbackchain.h"
#include "core/net/providerclient.h"
#include "testserver.h"

#include <QLoggingCategory>
#include <QMutex>
#include <QTcpServer>
#include <QTest>

#include <atomic>
#include <thread>

using namespace rag;
using namespace std::chrono_literals;
using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

namespace {

const std::string kStreamText = "H\u00e9llo, w\u00f6rld \u2014 \u2713 \u65e5\u672c\u8a9e \U0001F642\nline2 \"quoted\" \\ end";
const std::string kSecret = "sk-proj-SECRET-9f8e7d6c5b4a3210";

QMutex g_logMutex;
QStringList g_log;

void captureLog(QtMsgType, const QMessageLogContext &, const QString &message)
{
    QMutexLocker lock(&g_logMutex);
    g_log << message;
}

long long msSince(SteadyClock::time_point t0)
{
    return std::chrono::duration_cast<milliseconds>(SteadyClock::now() - t0).count();
}

} // namespace

class TestProviderClient : public QObject {
    Q_OBJECT

private:
    test::TestServer m_server;
    std::shared_ptr<HttpClient> m_http = std::make_shared<HttpClient>();
    int m_id = 0;

    // A fresh id per request keeps the server's attempt counters separate.
    std::string nextId() { return "p" + std::to_string(++m_id); }

    ProviderClient client(RetryOptions retry, std::shared_ptr<RateLimiter> limiter = {}) const
    {
        return ProviderClient("acme", m_http, RetryPolicy(retry), std::move(limiter));
    }

    HttpRequest post(const std::string &scenario, const std::string &id) const
    {
        HttpRequest r;
        r.url = m_server.url("/" + scenario + "/" + id + "/v1/chat/completions");
        r.headers = {HttpHeader::bearer(kSecret)};
        r.body = "{}";
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        test::clearProxyEnvironment();
        const QString error = m_server.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void attemptsAndErrors_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<int>("maxAttempts");
        QTest::addColumn<int>("attempts");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("detail");
        QTest::newRow("500 twice then ok") << "fail-then-ok-500-2" << 4 << 3 << true << "";
        QTest::newRow("502 then ok") << "fail-then-ok-502-1" << 4 << 2 << true << "";
        QTest::newRow("503 then ok") << "fail-then-ok-503-1" << 4 << 2 << true << "";
        QTest::newRow("504 then ok") << "fail-then-ok-504-1" << 4 << 2 << true << "";
        QTest::newRow("408 then ok") << "fail-then-ok-408-1" << 4 << 2 << true << "";
        QTest::newRow("429 twice then ok") << "fail-then-ok-429-2" << 4 << 3 << true << "";
        QTest::newRow("500 exhausts budget") << "status-500" << 3 << 3 << false
                                             << "HTTP 500 Internal Server Error: scripted 500 error (gave up after 3 attempts)";
        QTest::newRow("404 once") << "status-404" << 4 << 1 << false << "HTTP 404 Not Found: scripted 404 error";
        QTest::newRow("400 once") << "status-400" << 4 << 1 << false << "HTTP 400 Bad Request: scripted 400 error";
        QTest::newRow("401 once") << "status-401" << 4 << 1 << false << "HTTP 401 Unauthorized: scripted 401 error";
        QTest::newRow("422 once") << "status-422" << 4 << 1 << false << "HTTP 422 Unprocessable Entity: scripted 422 error";
        QTest::newRow("501 once") << "status-501" << 4 << 1 << false << "HTTP 501 Not Implemented: scripted 501 error";
        QTest::newRow("Anthropic 529") << "anthropic-status-529" << 2 << 2 << false
                                       << "HTTP 529 Overloaded: Overloaded (gave up after 2 attempts)";
        QTest::newRow("Ollama message") << "ollama-status-404" << 4 << 1 << false
                                        << "HTTP 404 Not Found: model 'llama9' not found, try pulling it first";
        QTest::newRow("Cohere message") << "cohere-status-400" << 4 << 1 << false
                                        << "HTTP 400 Bad Request: invalid request: texts must not be empty";
        QTest::newRow("plain-text 502") << "text-status-502" << 2 << 2 << false
                                        << "HTTP 502 Bad Gateway: upstream connect error or disconnect/reset before headers (gave up after 2 attempts)";
    }

    void attemptsAndErrors()
    {
        QFETCH(QString, scenario);
        QFETCH(int, maxAttempts);
        QFETCH(int, attempts);
        QFETCH(bool, ok);
        QFETCH(QString, detail);
        const std::string id = nextId();
        const RetryOptions retry{maxAttempts, 20ms, 200ms, 1s};
        std::vector<RetryEvent> events;
        const auto result = client(retry).send(post(scenario.toStdString(), id), 0, JobContext(),
                                               [&](const RetryEvent &e) { events.push_back(e); });
        QCOMPARE(m_server.stats(scenario.toStdString(), id)["requests"].get<int>(), attempts);
        QCOMPARE(int(events.size()), attempts - 1);
        QCOMPARE(result.has_value(), ok);
        if (!ok) {
            QCOMPARE(result.error().code, ErrorCode::Provider);
            QCOMPARE(QString::fromStdString(result.error().detail), detail);
            QCOMPARE(result.error().source, std::string("acme (127.0.0.1)"));
        } else {
            QCOMPARE(result->status, 200);
        }
        // Full jitter: each wait lies in [0, min(cap, base * 2^retry)].
        const RetryPolicy policy(retry);
        for (std::size_t i = 0; i < events.size(); ++i) {
            QVERIFY(!events[i].fromRetryAfter);
            QVERIFY2(events[i].delay >= 0ms && events[i].delay <= policy.backoffCeiling(int(i)),
                     qPrintable(QString::number(events[i].delay.count())));
        }
    }

    void honoursRetryAfterSeconds()
    {
        const std::string id = nextId();
        std::vector<RetryEvent> events;
        const auto t0 = SteadyClock::now();
        const auto result = client(RetryOptions{4, 10ms, 100ms, 10s})
                                .send(post("retry-after-seconds-1-1", id), 0, JobContext(),
                                      [&](const RetryEvent &e) { events.push_back(e); });
        const long long elapsed = msSince(t0);
        QVERIFY2(result, result ? "" : result.error().message().c_str());
        QCOMPARE(events.size(), std::size_t(1));
        QVERIFY(events[0].fromRetryAfter);
        QCOMPARE(events[0].delay, 1000ms);  // not the 10-100 ms the backoff alone would wait
        QVERIFY2(elapsed >= 1000, qPrintable(QString::number(elapsed)));
        QCOMPARE(m_server.stats("retry-after-seconds-1-1", id)["requests"].get<int>(), 2);
    }

    void honoursRetryAfterDate()
    {
        const std::string id = nextId();
        std::vector<RetryEvent> events;
        const auto t0 = SteadyClock::now();
        const auto result = client(RetryOptions{4, 10ms, 100ms, 10s})
                                .send(post("retry-after-date-2", id), 0, JobContext(),
                                      [&](const RetryEvent &e) { events.push_back(e); });
        QVERIFY(result);
        QCOMPARE(events.size(), std::size_t(1));
        QVERIFY(events[0].fromRetryAfter);
        // An HTTP date has whole seconds: "now + 2 s" is between 1 and 2 s away.
        QVERIFY2(events[0].delay >= 1000ms && events[0].delay <= 2000ms,
                 qPrintable(QString::number(events[0].delay.count())));
        QVERIFY(msSince(t0) >= events[0].delay.count());
    }

    void capsRetryAfter()
    {
        const std::string id = nextId();
        std::vector<RetryEvent> events;
        const auto t0 = SteadyClock::now();
        const auto result = client(RetryOptions{4, 10ms, 100ms, 250ms})
                                .send(post("retry-after-seconds-30-1", id), 0, JobContext(),
                                      [&](const RetryEvent &e) { events.push_back(e); });
        QVERIFY(result);
        QCOMPARE(events.at(0).delay, 250ms);
        QVERIFY(msSince(t0) < 5000);
    }

    void cancelDuringBackoff()
    {
        const std::string id = nextId();
        CancelToken token;
        std::atomic<SteadyClock::time_point> cancelledAt{};
        std::thread canceller([&] {
            std::this_thread::sleep_for(200ms);
            cancelledAt = SteadyClock::now();
            token.cancel();
        });
        const auto result = client(RetryOptions{4, 10ms, 100ms, 60s})
                                .send(post("retry-after-seconds-30-1", id), 0, JobContext(token, {}));
        const auto returnedAt = SteadyClock::now();
        canceller.join();
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::Cancelled);
        const auto latency = std::chrono::duration_cast<milliseconds>(returnedAt - cancelledAt.load()).count();
        qInfo("cancel during a 30 s Retry-After wait returned after %lld ms", static_cast<long long>(latency));
        QVERIFY2(latency < 200, qPrintable(QString::number(latency)));
        QCOMPARE(m_server.stats("retry-after-seconds-30-1", id)["requests"].get<int>(), 1);
    }

    void retriesNetworkErrors()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const int port = probe.serverPort();
        probe.close();
        HttpRequest request;
        request.url = "http://127.0.0.1:" + std::to_string(port) + "/v1/embeddings";
        int retries = 0;
        const auto result = client(RetryOptions{3, 5ms, 20ms, 1s}).send(request, 0, JobContext(), [&](const RetryEvent &e) {
            ++retries;
            QCOMPARE(e.status, 0);
        });
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::Network);
        QCOMPARE(retries, 2);
        QVERIFY2(result.error().detail.ends_with("(gave up after 3 attempts)"), result.error().detail.c_str());
        QCOMPARE(result.error().source, std::string("acme (127.0.0.1)"));
    }

    void malformedJsonIsAParseError()
    {
        const std::string id = nextId();
        HttpRequest request = post("malformed", id);
        const auto result = client(RetryOptions{}).sendJson(request, {{"model", "m"}}, 0, JobContext());
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::Parse);
        QCOMPARE(result.error().source, std::string("acme (127.0.0.1)"));
        QVERIFY2(result.error().message().starts_with("acme (127.0.0.1): the response is not valid JSON"),
                 result.error().message().c_str());
    }

    void sendJsonRoundTrip()
    {
        const auto result = client(RetryOptions{}).sendJson(post("echo", nextId()), {{"model", "m"}, {"n", 2}}, 0,
                                                            JobContext());
        QVERIFY(result);
        QCOMPARE((*result)["headers"]["content-type"].get<std::string>(), std::string("application/json"));
        const auto sent = nlohmann::json::parse((*result)["body"].get<std::string>());
        QVERIFY2(sent == (nlohmann::json{{"model", "m"}, {"n", 2}}), sent.dump().c_str());
    }

    void streamsDecodedText_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<int>("dialect");
        QTest::addColumn<int>("attempts");
        QTest::addColumn<QString>("finishReason");
        QTest::newRow("OpenAI") << "openai-stream" << int(ChatDialect::OpenAi) << 1 << "stop";
        QTest::newRow("OpenAI after a 503") << "fail-then-stream-503-1" << int(ChatDialect::OpenAi) << 2 << "stop";
        QTest::newRow("OpenAI after two 429s") << "fail-then-stream-429-2" << int(ChatDialect::OpenAi) << 3 << "stop";
        QTest::newRow("Anthropic") << "anthropic-stream" << int(ChatDialect::Anthropic) << 1 << "end_turn";
    }

    void streamsDecodedText()
    {
        QFETCH(QString, scenario);
        QFETCH(int, dialect);
        QFETCH(int, attempts);
        QFETCH(QString, finishReason);
        const std::string id = nextId();
        ChatStreamDecoder decoder(ChatDialect(dialect), "acme");
        std::string streamed;
        std::optional<Error> decodeError;
        const auto result = client(RetryOptions{4, 5ms, 20ms, 1s})
                                .streamEvents(post(scenario.toStdString(), id), 0, [&](const SseEvent &e) {
                                    auto text = decoder.decode(e);
                                    if (!text) {
                                        decodeError = text.error();
                                        return false;
                                    }
                                    streamed += *text;
                                    return true;
                                }, JobContext());
        QVERIFY2(result, result ? "" : result.error().message().c_str());
        QVERIFY(!decodeError);
        const auto summary = decoder.finish();
        QVERIFY2(summary, summary ? "" : summary.error().message().c_str());
        QCOMPARE(streamed, kStreamText);
        QCOMPARE(summary->text, kStreamText);
        QCOMPARE(QString::fromStdString(summary->finishReason), finishReason);
        QVERIFY(summary->inputTokens > 0 && summary->outputTokens > 0);
        QCOMPARE(m_server.stats(scenario.toStdString(), id)["requests"].get<int>(), attempts);
    }

    void streamErrorsAreReported()
    {
        ChatStreamDecoder decoder(ChatDialect::Anthropic, "anthropic");
        std::optional<Error> decodeError;
        const auto result = client(RetryOptions{}).streamEvents(post("anthropic-stream-error", nextId()), 0,
                                                                [&](const SseEvent &e) {
            auto text = decoder.decode(e);
            if (!text)
                decodeError = text.error();
            return text.has_value();
        }, JobContext());
        QVERIFY(result);  // the transfer itself was fine
        QVERIFY(decodeError);
        QCOMPARE(decodeError->code, ErrorCode::Provider);
        QCOMPARE(decodeError->detail, std::string("error in stream: Overloaded"));
        QVERIFY(!decoder.finish());
    }

    // Once text reached the caller, a cut stream is not retried: a second attempt
    // would deliver the same text twice.
    void cutStreamIsNotRetried()
    {
        const std::string id = nextId();
        ChatStreamDecoder decoder(ChatDialect::OpenAi, "acme");
        const auto result = client(RetryOptions{4, 5ms, 20ms, 1s})
                                .streamEvents(post("truncated-stream", id), 0, [&](const SseEvent &e) {
                                    return decoder.decode(e).has_value();
                                }, JobContext());
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::Network);
        QCOMPARE(m_server.stats("truncated-stream", id)["requests"].get<int>(), 1);
        QVERIFY(!decoder.summary().text.empty());
        const auto finished = decoder.finish();
        QVERIFY(!finished);
        QCOMPARE(finished.error().code, ErrorCode::Network);
    }

    void fallsBackToTheNextModel()
    {
        const std::string id = nextId();
        const ProviderClient provider = client(RetryOptions{2, 5ms, 20ms, 1s});
        const FallbackChain chain({"down-primary", "missing-secondary", "good-tertiary"});
        const std::function<Result<std::string>(const std::string &)> call = [&](const std::string &model) -> Result<std::string> {
            auto json = provider.sendJson(post("models", id), {{"model", model}}, 0, JobContext());
            if (!json)
                return std::unexpected(json.error());
            return (*json)["choices"][0]["message"]["content"].get<std::string>();
        };
        const auto answer = chain.run(call, JobContext());
        QVERIFY2(answer, answer ? "" : answer.error().message().c_str());
        QCOMPARE(answer->model, std::string("good-tertiary"));
        QCOMPARE(answer->index, std::size_t(2));
        QCOMPARE(answer->value, std::string("answered by good-tertiary"));
        QCOMPARE(answer->failures.size(), std::size_t(2));
        QCOMPARE(answer->failures[0].detail,
                 std::string("HTTP 503 Service Unavailable: The model down-primary is overloaded (gave up after 2 attempts)"));
        QCOMPARE(answer->failures[1].detail,
                 std::string("HTTP 404 Not Found: The model `missing-secondary` does not exist"));
        // 2 attempts on the overloaded model, 1 on the missing one, 1 on the good one.
        QCOMPARE(m_server.stats("models", id)["requests"].get<int>(), 4);

        const FallbackChain hopeless({"down-a", "missing-b"});
        const auto none = hopeless.run(call, JobContext());
        QVERIFY(!none);
        QCOMPARE(none.error().code, ErrorCode::Provider);
        QVERIFY2(none.error().detail.starts_with("all 2 models failed: down-a: acme (127.0.0.1): HTTP 503"),
                 none.error().detail.c_str());
        QVERIFY(none.error().detail.find("missing-b: acme (127.0.0.1): HTTP 404") != std::string::npos);
    }

    void fallbackStopsOnCancelAndBadRequests()
    {
        int calls = 0;
        const FallbackChain chain({"a", "b"});
        const std::function<Result<int>(const std::string &)> cancelled = [&](const std::string &) -> Result<int> {
            ++calls;
            return fail(ErrorCode::Cancelled, "cancelled");
        };
        QCOMPARE(chain.run(cancelled, JobContext()).error().code, ErrorCode::Cancelled);
        QCOMPARE(calls, 1);
        const std::function<Result<int>(const std::string &)> invalid = [&](const std::string &) -> Result<int> {
            ++calls;
            return fail(ErrorCode::InvalidArgument, "no messages");
        };
        QCOMPARE(chain.run(invalid, JobContext()).error().code, ErrorCode::InvalidArgument);
        QCOMPARE(calls, 2);
        QCOMPARE(FallbackChain({}).run(invalid, JobContext()).error().code, ErrorCode::InvalidArgument);
    }

    void sharedRateLimit()
    {
        // 20 requests/s with a 1 s burst: 30 requests from two clients sharing the
        // limiter need at least (30 - 20) / 20 = 0.5 s.
        auto limiter = std::make_shared<RateLimiter>(RateLimits{1200, 0, 1s});
        const ProviderClient a = client(RetryOptions{}, limiter);
        const ProviderClient b = client(RetryOptions{}, limiter);
        const std::string id = nextId();
        const auto t0 = SteadyClock::now();
        for (int i = 0; i < 15; ++i) {
            QVERIFY(a.send(post("ok", id), 10, JobContext()));
            QVERIFY(b.send(post("ok", id), 10, JobContext()));
        }
        const long long elapsed = msSince(t0);
        QVERIFY2(elapsed >= 480, qPrintable(QString::number(elapsed)));
        QCOMPARE(m_server.stats("ok", id)["requests"].get<int>(), 30);
    }

    void keysNeverInErrorsOrLogs()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("rag.net.debug=true\nrag.net.info=true"));
        const auto previous = qInstallMessageHandler(captureLog);
        std::vector<Error> errors;
        const ProviderClient provider = client(RetryOptions{2, 5ms, 10ms, 50ms});
        for (const char *scenario : {"echo-key-401", "status-500", "malformed", "truncated-length",
                                     "retry-after-seconds-1-5", "anthropic-status-529"}) {
            HttpRequest request = post(scenario, nextId());
            request.headers.push_back(HttpHeader::secretValue("x-api-key", kSecret));
            if (auto r = provider.sendJson(request, {{"model", "m"}}, 0, JobContext()); !r)
                errors.push_back(r.error());
        }
        qInstallMessageHandler(previous);
        QLoggingCategory::setFilterRules(QString());

        QCOMPARE(errors.size(), std::size_t(6));
        // The server quoted the key back; the error keeps the sentence, not the key.
        QCOMPARE(errors[0].detail, std::string("HTTP 401 Unauthorized: Incorrect API key provided: ****. You can find "
                                               "your API key at https://example.invalid/keys."));
        for (const Error &e : errors) {
            QVERIFY2(e.message().find(kSecret) == std::string::npos, e.message().c_str());
            QVERIFY2(e.message().find("SECRET") == std::string::npos, e.message().c_str());
        }
        QMutexLocker lock(&g_logMutex);
        const QString all = g_log.join('\n');
        QVERIFY2(g_log.size() >= 6, qPrintable(all));
        QVERIFY2(!all.contains("SECRET"), qPrintable(all));
        QVERIFY2(all.contains("Authorization: Bearer ****"), qPrintable(all));
        QVERIFY2(all.contains("retrying in"), qPrintable(all));
    }
};

QTEST_GUILESS_MAIN(TestProviderClient)
#include "tst_providerclient.moc"
