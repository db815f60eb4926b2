// HttpClient against the scripted Node server: request/response plumbing, SSE
// streams reassembled exactly, idle and total timeouts, truncation, cancellation
// latency (measured), TLS verification, proxies from the environment, and that no
// key reaches a log line.
#include "core/net/httpclient.h"
#include "testserver.h"

#include <QLoggingCategory>
#include <QMutex>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

using namespace rag;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kStreamText = "H\u00e9llo, w\u00f6rld \u2014 \u2713 \u65e5\u672c\u8a9e \U0001F642\nline2 \"quoted\" \\ end";
const std::string kSecret = "sk-test-SECRET-0123456789abcdef";

QMutex g_logMutex;
QStringList g_log;

void captureLog(QtMsgType, const QMessageLogContext &, const QString &message)
{
    QMutexLocker lock(&g_logMutex);
    g_log << message;
}

long long msBetween(Clock::time_point a, Clock::time_point b)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count();
}

HttpRequest get(const std::string &url)
{
    HttpRequest r;
    r.method = HttpMethod::Get;
    r.url = url;
    r.source = "testprov";
    return r;
}

// Text of an OpenAI chat.completion.chunk stream; "[DONE]" sets `done`.
std::string openAiText(const std::vector<SseEvent> &events, bool &done)
{
    std::string text;
    done = false;
    for (const SseEvent &e : events) {
        if (e.data == "[DONE]") {
            done = true;
            continue;
        }
        const auto json = nlohmann::json::parse(e.data);
        for (const auto &choice : json["choices"]) {
            if (choice["delta"].contains("content"))
                text += choice["delta"]["content"].get<std::string>();
        }
    }
    return text;
}

} // namespace

class TestHttpClient : public QObject {
    Q_OBJECT

private:
    test::TestServer m_server;
    QTemporaryDir m_tlsDir;
    HttpClient m_client;

private Q_SLOTS:
    void initTestCase()
    {
        test::clearProxyEnvironment();
        QVERIFY(m_tlsDir.isValid());
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
                      {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                       "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", m_tlsDir.filePath("key.pem"), "-out",
                       m_tlsDir.filePath("cert.pem")});
        QVERIFY2(openssl.waitForFinished(60000) && openssl.exitCode() == 0,
                 "openssl could not make a test certificate; run packaging/setup.sh");
        const QString error = m_server.start({"--tls-cert", m_tlsDir.filePath("cert.pem"), "--tls-key",
                                              m_tlsDir.filePath("key.pem")});
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void sendsMethodHeadersAndBody_data()
    {
        QTest::addColumn<int>("method");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("GET") << int(HttpMethod::Get) << "GET" << QByteArray();
        QTest::newRow("POST") << int(HttpMethod::Post) << "POST" << QByteArray("{\"input\":\"\xC3\xA9\"}");
        QTest::newRow("POST empty") << int(HttpMethod::Post) << "POST" << QByteArray();
        QTest::newRow("PUT") << int(HttpMethod::Put) << "PUT" << QByteArray("put-body");
        QTest::newRow("PATCH") << int(HttpMethod::Patch) << "PATCH" << QByteArray("{}");
        QTest::newRow("DELETE") << int(HttpMethod::Delete) << "DELETE" << QByteArray();
        QTest::newRow("large POST") << int(HttpMethod::Post) << "POST" << QByteArray(3 << 20, 'x');
    }

    void sendsMethodHeadersAndBody()
    {
        QFETCH(int, method);
        QFETCH(QString, name);
        QFETCH(QByteArray, body);
        HttpRequest request;
        request.method = HttpMethod(method);
        request.url = m_server.url("/echo/m?q=1");
        request.body = body.toStdString();
        request.headers = {{"X-Custom", "v1", false}, HttpHeader::bearer(kSecret)};
        const auto t0 = Clock::now();
        const auto response = m_client.request(request, JobContext());
        QVERIFY2(response, response ? "" : response.error().message().c_str());
        // A large body must not stall on "Expect: 100-continue".
        QVERIFY(msBetween(t0, Clock::now()) < 900);
        QCOMPARE(response->status, 200);
        const auto echo = nlohmann::json::parse(response->body);
        QCOMPARE(QString::fromStdString(echo["method"]), name);
        QCOMPARE(echo["url"].get<std::string>(), std::string("/echo/m?q=1"));
        QCOMPARE(echo["body"].get<std::string>(), body.toStdString());
        QCOMPARE(echo["headers"]["x-custom"].get<std::string>(), std::string("v1"));
        QCOMPARE(echo["headers"]["authorization"].get<std::string>(), "Bearer " + kSecret);
        QVERIFY(!echo["headers"].contains("expect"));
        QVERIFY(QString::fromStdString(echo["headers"]["user-agent"]).startsWith("RagWorkbench/"));
        QCOMPARE(response->header("CONTENT-TYPE").value_or(""), std::string("application/json"));
    }

    void returnsHttpErrorsAsValues()
    {
        const auto response = m_client.request(get(m_server.url("/status-404/v")), JobContext());
        QVERIFY(response);
        QCOMPARE(response->status, 404);
        QVERIFY(!response->ok());
        QVERIFY(response->body.find("scripted 404 error") != std::string::npos);
        const auto limited = m_client.request(get(m_server.url("/retry-after-seconds-3-1/v")), JobContext());
        QVERIFY(limited);
        QCOMPARE(limited->status, 429);
        QCOMPARE(limited->header("retry-after").value_or(""), std::string("3"));
    }

    void reusesConnections()
    {
        HttpClient client;
        const auto a = client.request(get(m_server.url("/echo/reuse")), JobContext());
        const auto b = client.request(get(m_server.url("/echo/reuse")), JobContext());
        QVERIFY(a && b);
        QCOMPARE(nlohmann::json::parse(a->body)["remotePort"].get<int>(),
                 nlohmann::json::parse(b->body)["remotePort"].get<int>());
    }

    void streamsOpenAiChunks()
    {
        std::vector<SseEvent> events;
        const auto response = m_client.streamEvents(get(m_server.url("/openai-stream/a")), [&](const SseEvent &e) {
            events.push_back(e);
            return true;
        }, JobContext());
        QVERIFY2(response, response ? "" : response.error().message().c_str());
        QCOMPARE(response->status, 200);
        QVERIFY(response->body.empty());
        QCOMPARE(events.size(), std::size_t(12));  // role, 8 pieces, finish, usage, [DONE]
        bool done = false;
        QCOMPARE(openAiText(events, done), kStreamText);
        QVERIFY(done);
    }

    void streamsAnthropicEvents()
    {
        std::vector<SseEvent> events;
        const auto response = m_client.streamEvents(get(m_server.url("/anthropic-stream/a")), [&](const SseEvent &e) {
            events.push_back(e);
            return true;
        }, JobContext());
        QVERIFY2(response, response ? "" : response.error().message().c_str());
        std::string text;
        QStringList names;
        for (const SseEvent &e : events) {
            names << QString::fromStdString(e.event);
            const auto json = nlohmann::json::parse(e.data);
            QCOMPARE(json["type"].get<std::string>(), e.event);
            if (e.event == "content_block_delta")
                text += json["delta"]["text"].get<std::string>();
        }
        QCOMPARE(text, kStreamText);
        QCOMPARE(names.first(), QStringLiteral("message_start"));
        QCOMPARE(names.last(), QStringLiteral("message_stop"));
        QVERIFY(names.contains("ping"));
    }

    void rawStreamArrivesIncrementally()
    {
        int calls = 0;
        std::string bytes;
        const auto response = m_client.stream(get(m_server.url("/openai-stream/raw")), [&](std::string_view b) {
            ++calls;
            bytes.append(b);
            return true;
        }, JobContext());
        QVERIFY(response);
        QVERIFY2(calls > 10, qPrintable(QString::number(calls)));
        SseParser parser;
        bool done = false;
        QCOMPARE(openAiText(parser.feed(bytes), done), kStreamText);
        QVERIFY(done);
    }

    void consumerCanStopAStream()
    {
        int seen = 0;
        const auto response = m_client.streamEvents(get(m_server.url("/openai-stream/stop")), [&](const SseEvent &) {
            return ++seen < 3;
        }, JobContext());
        QVERIFY(response);
        QCOMPARE(seen, 3);
    }

    void idleTimeoutFiresOnStalledStream()
    {
        HttpRequest request = get(m_server.url("/stall-stream/idle"));
        request.timeouts.idle = 300ms;
        std::vector<SseEvent> events;
        const auto t0 = Clock::now();
        const auto response = m_client.streamEvents(request, [&](const SseEvent &e) {
            events.push_back(e);
            return true;
        }, JobContext());
        const long long elapsed = msBetween(t0, Clock::now());
        QVERIFY(!response);
        QCOMPARE(response.error().code, ErrorCode::Network);
        QVERIFY2(response.error().detail.find("idle timeout") != std::string::npos, response.error().detail.c_str());
        QCOMPARE(response.error().source, std::string("testprov (127.0.0.1)"));
        QCOMPARE(events.size(), std::size_t(1));  // what came before the stall was delivered
        QVERIFY2(elapsed >= 300 && elapsed < 1500, qPrintable(QString::number(elapsed)));
    }

    void totalTimeout()
    {
        HttpRequest request = get(m_server.url("/hang/total"));
        request.timeouts.total = 400ms;
        request.timeouts.idle = 0ms;
        const auto t0 = Clock::now();
        const auto response = m_client.request(request, JobContext());
        const long long elapsed = msBetween(t0, Clock::now());
        QVERIFY(!response);
        QCOMPARE(response.error().code, ErrorCode::Network);
        QVERIFY2(response.error().detail.starts_with("timed out"), response.error().detail.c_str());
        QVERIFY2(elapsed >= 390 && elapsed < 1500, qPrintable(QString::number(elapsed)));
    }

    void cutOffBodiesAreNetworkErrors_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("events");
        QTest::addColumn<QString>("detail");
        QTest::newRow("chunked stream cut") << "/truncated-stream/t" << true << "part of the body was delivered";
        QTest::newRow("short Content-Length") << "/truncated-length/t" << false << "";
        QTest::newRow("stream ends mid-event") << "/openai-stream-unterminated/t" << true << "ended mid-event";
    }

    void cutOffBodiesAreNetworkErrors()
    {
        QFETCH(QString, path);
        QFETCH(bool, events);
        QFETCH(QString, detail);
        const HttpRequest request = get(m_server.url(path.toStdString()));
        int delivered = 0;
        const auto response = events ? m_client.streamEvents(request, [&](const SseEvent &) {
            ++delivered;
            return true;
        }, JobContext()) : m_client.request(request, JobContext());
        QVERIFY(!response);
        QCOMPARE(response.error().code, ErrorCode::Network);
        QVERIFY2(response.error().detail.find(detail.toStdString()) != std::string::npos,
                 response.error().detail.c_str());
        if (path.startsWith("/truncated-stream"))
            QVERIFY(delivered > 0);
    }

    void cancellationWithin200ms_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("streaming");
        QTest::newRow("waiting for headers") << "/hang/c" << false;
        QTest::newRow("mid-stream") << "/stall-stream/c" << true;
    }

    void cancellationWithin200ms()
    {
        QFETCH(QString, path);
        QFETCH(bool, streaming);
        CancelToken token;
        const JobContext ctx(token, {});
        std::atomic<Clock::time_point> cancelledAt{};
        std::thread canceller([&] {
            std::this_thread::sleep_for(300ms);
            cancelledAt = Clock::now();
            token.cancel();
        });
        const HttpRequest request = get(m_server.url(path.toStdString()));
        const auto response = streaming
            ? m_client.streamEvents(request, [](const SseEvent &) { return true; }, ctx)
            : m_client.request(request, ctx);
        const auto returnedAt = Clock::now();
        canceller.join();
        QVERIFY(!response);
        QCOMPARE(response.error().code, ErrorCode::Cancelled);
        const long long latency = msBetween(cancelledAt.load(), returnedAt);
        qInfo("cancellation latency (%s): %lld ms", qPrintable(path), latency);
        QVERIFY2(latency < 200, qPrintable(QString::number(latency)));
    }

    void cancelledBeforeStartSendsNothing()
    {
        CancelToken token;
        token.cancel();
        const auto response = m_client.request(get(m_server.url("/ok/precancel")), JobContext(token, {}));
        QVERIFY(!response);
        QCOMPARE(response.error().code, ErrorCode::Cancelled);
        QCOMPARE(m_server.stats("ok", "precancel")["requests"].get<int>(), 0);
    }

    void connectionRefused()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const int port = probe.serverPort();
        probe.close();
        HttpRequest request = get("http://127.0.0.1:" + std::to_string(port) + "/x");
        request.source = "acme";
        const auto response = m_client.request(request, JobContext());
        QVERIFY(!response);
        QCOMPARE(response.error().code, ErrorCode::Network);
        QCOMPARE(response.error().source, std::string("acme (127.0.0.1)"));
    }

    void rejectsBadUrls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::newRow("empty") << "";
        QTest::newRow("not a URL") << "not a url";
        QTest::newRow("ftp") << "ftp://127.0.0.1/file";
        QTest::newRow("file") << "file:///etc/passwd";
    }

    void rejectsBadUrls()
    {
        QFETCH(QString, url);
        const auto response = m_client.request(get(url.toStdString()), JobContext());
        QVERIFY(!response);
        QCOMPARE(response.error().code, ErrorCode::InvalidArgument);
    }

    void limitsResponseSize()
    {
        HttpClientOptions options;
        options.maxResponseBytes = 64;
        HttpClient small(options);
        const auto response = small.request(get(m_server.url("/echo/big")), JobContext());
        QVERIFY(!response);
        QCOMPARE(response.error().code, ErrorCode::TooLarge);
    }

    void concurrentCallers()
    {
        constexpr int kThreads = 6;
        constexpr int kEach = 10;
        std::atomic<int> good{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < kEach; ++i) {
                    HttpRequest request;
                    request.url = m_server.url("/echo/conc");
                    request.body = "t" + std::to_string(t) + "i" + std::to_string(i);
                    const auto response = m_client.request(request, JobContext());
                    if (response && nlohmann::json::parse(response->body)["body"] == request.body)
                        ++good;
                }
            });
        }
        for (auto &t : threads)
            t.join();
        QCOMPARE(good.load(), kThreads * kEach);
    }

    void verifiesTls()
    {
        const auto untrusted = m_client.request(get(m_server.httpsUrl("/ok/tls")), JobContext());
        QVERIFY(!untrusted);
        QCOMPARE(untrusted.error().code, ErrorCode::Network);
        QVERIFY2(untrusted.error().detail.find("certificate") != std::string::npos, untrusted.error().detail.c_str());

        HttpClientOptions options;
        options.caBundle = m_tlsDir.filePath("cert.pem").toStdString();
        HttpClient trusting(options);
        const auto trusted = trusting.request(get(m_server.httpsUrl("/ok/tls")), JobContext());
        QVERIFY2(trusted, trusted ? "" : trusted.error().message().c_str());
        QCOMPARE(trusted->status, 200);
    }

    // libcurl reads the proxy from the environment on every transfer: http_proxy
    // (lowercase only), https_proxy/HTTPS_PROXY, all_proxy, and no_proxy exceptions.
    void proxyFromEnvironment()
    {
        const std::string proxy = m_server.url("");
        qputenv("http_proxy", QByteArray::fromStdString(proxy));
        HttpClient client;
        const auto viaProxy = client.request(get("http://proxied.invalid/v1/models"), JobContext());
        QVERIFY2(viaProxy, viaProxy ? "" : viaProxy.error().message().c_str());
        const auto json = nlohmann::json::parse(viaProxy->body);
        QVERIFY(json["proxied"].get<bool>());
        QCOMPARE(json["url"].get<std::string>(), std::string("http://proxied.invalid/v1/models"));

        // A dead proxy fails the request unless no_proxy exempts the host.
        qputenv("http_proxy", "http://127.0.0.1:1");
        const auto dead = HttpClient().request(get(m_server.url("/ok/p1")), JobContext());
        QVERIFY(!dead);
        QCOMPARE(dead.error().code, ErrorCode::Network);
        qputenv("no_proxy", "127.0.0.1");
        const auto exempt = HttpClient().request(get(m_server.url("/ok/p2")), JobContext());
        QVERIFY2(exempt, exempt ? "" : exempt.error().message().c_str());
        QCOMPARE(exempt->status, 200);
        test::clearProxyEnvironment();

        // Uppercase HTTP_PROXY is ignored by libcurl for http:// (the CGI "httpoxy" rule).
        qputenv("HTTP_PROXY", QByteArray::fromStdString(proxy));
        const auto ignored = HttpClient().request(get("http://proxied.invalid/x"), JobContext());
        test::clearProxyEnvironment();
        QVERIFY(!ignored);
        QCOMPARE(ignored.error().code, ErrorCode::Network);
    }

    void keysNeverReachTheLog()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("rag.net.debug=true\nrag.net.info=true"));
        const auto previous = qInstallMessageHandler(captureLog);
        HttpRequest request = get(m_server.url("/echo/log"));
        request.headers = {HttpHeader::bearer(kSecret), HttpHeader::secretValue("x-api-key", kSecret)};
        request.url += "?token=" + kSecret;  // even a key pasted into the URL
        const auto ok = m_client.request(request, JobContext());
        request.url = "http://127.0.0.1:1/refused?k=" + kSecret;
        const auto refused = m_client.request(request, JobContext());
        qInstallMessageHandler(previous);
        QLoggingCategory::setFilterRules(QString());

        QVERIFY(ok);
        QVERIFY(!refused);
        QVERIFY(refused.error().message().find(kSecret) == std::string::npos);
        QMutexLocker lock(&g_logMutex);
        QVERIFY2(g_log.size() >= 3, qPrintable(g_log.join('\n')));
        const QString all = g_log.join('\n');
        QVERIFY2(!all.contains(QString::fromStdString(kSecret)), qPrintable(all));
        QVERIFY2(all.contains("Authorization: Bearer ****"), qPrintable(all));
        QVERIFY2(all.contains("x-api-key: ****"), qPrintable(all));
    }
};

QTEST_GUILESS_MAIN(TestHttpClient)
#include "tst_httpclient.moc"
