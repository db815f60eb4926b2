// RetryPolicy on a fake clock with an injected random source: which statuses and
// errors retry, the full-jitter bounds, Retry-After in every form and its cap, the
// attempt budget, and an interruptible backoff on the real clock.
#include "core/net/retrypolicy.h"
#include "fakeclock.h"

#include <QTest>

#include <atomic>
#include <random>
#include <thread>

using namespace rag;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

Q_DECLARE_METATYPE(std::optional<long long>)

namespace {

HttpResponse response(int status, std::vector<HttpHeader> headers = {})
{
    return HttpResponse{status, std::move(headers), {}};
}

// An attempt function that replays a script of results and counts calls.
struct Script {
    std::vector<Result<HttpResponse>> steps;
    int calls = 0;
    RetryPolicy::Attempt attempt()
    {
        return [this](int n) -> Result<HttpResponse> {
            ++calls;
            if (n != calls)
                return fail(ErrorCode::Internal, "attempt numbers out of order");
            return steps.at(std::min<std::size_t>(std::size_t(n - 1), steps.size() - 1));
        };
    }
};

std::chrono::system_clock::time_point utc(int year, int month, int day, int h, int m, int s)
{
    using namespace std::chrono;
    return sys_days(std::chrono::year(year) / month / day) + hours(h) + minutes(m) + seconds(s);
}

} // namespace

class TestRetryPolicy : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void retryableStatuses_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("retry");
        for (int s : {408, 429, 500, 502, 503, 504, 529})
            QTest::addRow("%d", s) << s << true;
        for (int s : {200, 301, 400, 401, 403, 404, 409, 413, 422, 501, 505})
            QTest::addRow("%d", s) << s << false;
    }

    void retryableStatuses()
    {
        QFETCH(int, status);
        QFETCH(bool, retry);
        QCOMPARE(RetryPolicy::isRetryableStatus(status), retry);
    }

    void retryableErrors()
    {
        QVERIFY(RetryPolicy::isRetryableError(Error{ErrorCode::Network, "reset", ""}));
        for (ErrorCode code : {ErrorCode::Cancelled, ErrorCode::InvalidArgument, ErrorCode::TooLarge,
                               ErrorCode::Provider, ErrorCode::Parse})
            QVERIFY(!RetryPolicy::isRetryableError(Error{code, "", ""}));
    }

    void backoffCeiling_data()
    {
        QTest::addColumn<int>("retry");
        QTest::addColumn<long long>("ceiling");
        QTest::newRow("0") << 0 << 500LL;
        QTest::newRow("1") << 1 << 1000LL;
        QTest::newRow("2") << 2 << 2000LL;
        QTest::newRow("5") << 5 << 16000LL;
        QTest::newRow("6 capped") << 6 << 20000LL;
        QTest::newRow("40 capped") << 40 << 20000LL;
        QTest::newRow("huge capped") << 1000 << 20000LL;
    }

    void backoffCeiling()
    {
        QFETCH(int, retry);
        QFETCH(long long, ceiling);
        const RetryPolicy policy(RetryOptions{4, 500ms, 20s, 60s});
        QCOMPARE(policy.backoffCeiling(retry).count(), ceiling);
    }

    void fullJitterUsesTheRandomSource_data()
    {
        QTest::addColumn<double>("random");
        QTest::addColumn<int>("retry");
        QTest::addColumn<long long>("delay");
        QTest::newRow("zero") << 0.0 << 3 << 0LL;
        QTest::newRow("half") << 0.5 << 0 << 250LL;
        QTest::newRow("half retry 2") << 0.5 << 2 << 1000LL;
        QTest::newRow("almost one") << 0.999 << 1 << 999LL;
        QTest::newRow("capped") << 0.25 << 10 << 5000LL;
    }

    void fullJitterUsesTheRandomSource()
    {
        QFETCH(double, random);
        QFETCH(int, retry);
        QFETCH(long long, delay);
        const RetryPolicy policy(RetryOptions{4, 500ms, 20s, 60s}, {}, [random] { return random; });
        QCOMPARE(policy.backoffDelay(retry).count(), delay);
    }

    void defaultJitterStaysInBounds()
    {
        const RetryPolicy policy(RetryOptions{4, 100ms, 5s, 60s});
        for (int retry = 0; retry < 8; ++retry) {
            const long long ceiling = policy.backoffCeiling(retry).count();
            double sum = 0;
            constexpr int kDraws = 2000;
            for (int i = 0; i < kDraws; ++i) {
                const long long d = policy.backoffDelay(retry).count();
                QVERIFY2(d >= 0 && d <= ceiling, qPrintable(QString("%1 > %2").arg(d).arg(ceiling)));
                sum += double(d);
            }
            // Uniform on [0, ceiling]: the mean sits near the middle (not a fixed delay).
            const double mean = sum / kDraws;
            QVERIFY2(mean > 0.4 * double(ceiling) && mean < 0.6 * double(ceiling), qPrintable(QString::number(mean)));
        }
    }

    void parsesRetryAfter_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<std::optional<long long>>("ms");
        const std::optional<long long> none;
        QTest::newRow("seconds") << "120" << std::optional<long long>(120000);
        QTest::newRow("spaces") << "  3 " << std::optional<long long>(3000);
        QTest::newRow("zero") << "0" << std::optional<long long>(0);
        QTest::newRow("fraction") << "1.5" << std::optional<long long>(1500);
        QTest::newRow("IMF-fixdate") << "Sun, 06 Nov 1994 08:49:37 GMT" << std::optional<long long>(30000);
        QTest::newRow("RFC 850") << "Sunday, 06-Nov-94 08:49:37 GMT" << std::optional<long long>(30000);
        QTest::newRow("asctime") << "Sun Nov  6 08:49:37 1994" << std::optional<long long>(30000);
        QTest::newRow("date in the past") << "Sun, 06 Nov 1994 08:00:00 GMT" << std::optional<long long>(0);
        QTest::newRow("negative") << "-5" << none;
        QTest::newRow("garbage") << "soon" << none;
        QTest::newRow("empty") << "" << none;
        QTest::newRow("huge") << "1e400" << none;
    }

    void parsesRetryAfter()
    {
        QFETCH(QString, value);
        QFETCH(std::optional<long long>, ms);
        const auto now = utc(1994, 11, 6, 8, 49, 7);
        const auto parsed = RetryPolicy::parseRetryAfter(value.toStdString(), now);
        QCOMPARE(parsed.has_value(), ms.has_value());
        if (ms)
            QCOMPARE(parsed->count(), *ms);
    }

    void retryAfterHeadersAndCap()
    {
        auto clock = std::make_shared<test::FakeClock>();
        clock->setWall(utc(2026, 1, 1, 0, 0, 0));
        const RetryPolicy policy(RetryOptions{4, 500ms, 20s, 90s}, clock);
        QCOMPARE(policy.retryAfter(response(429, {{"Retry-After", "7", false}}))->count(), 7000);
        QCOMPARE(policy.retryAfter(response(503, {{"retry-after", "Thu, 01 Jan 2026 00:00:45 GMT", false}}))->count(),
                 45000);
        // The precise OpenAI header wins over the whole-second one.
        QCOMPARE(policy.retryAfter(response(429, {{"retry-after", "1", false}, {"retry-after-ms", "250", false}}))
                     ->count(), 250);
        QCOMPARE(policy.retryAfter(response(429, {{"Retry-After", "3600", false}}))->count(), 90000);  // capped
        QVERIFY(!policy.retryAfter(response(429)).has_value());
        QVERIFY(!policy.retryAfter(response(429, {{"Retry-After", "later", false}})).has_value());
    }

    void run_data()
    {
        QTest::addColumn<QList<int>>("statuses");  // 0 = network error, -1 = cancelled, -2 = invalid argument
        QTest::addColumn<int>("maxAttempts");
        QTest::addColumn<int>("attempts");
        QTest::addColumn<int>("finalStatus");       // 0 when the outcome is an error
        QTest::newRow("success first") << QList<int>{200} << 4 << 1 << 200;
        QTest::newRow("500 500 200") << QList<int>{500, 500, 200} << 4 << 3 << 200;
        QTest::newRow("429 then 200") << QList<int>{429, 200} << 4 << 2 << 200;
        QTest::newRow("502 503 504 200") << QList<int>{502, 503, 504, 200} << 4 << 4 << 200;
        QTest::newRow("exhausted on 503") << QList<int>{503} << 4 << 4 << 503;
        QTest::newRow("one attempt only") << QList<int>{500} << 1 << 1 << 500;
        QTest::newRow("404 not retried") << QList<int>{404, 200} << 4 << 1 << 404;
        QTest::newRow("400 not retried") << QList<int>{400} << 4 << 1 << 400;
        QTest::newRow("401 not retried") << QList<int>{401} << 4 << 1 << 401;
        QTest::newRow("408 retried") << QList<int>{408, 200} << 4 << 2 << 200;
        QTest::newRow("network then 200") << QList<int>{0, 0, 200} << 4 << 3 << 200;
        QTest::newRow("network exhausted") << QList<int>{0} << 3 << 3 << 0;
        QTest::newRow("cancelled not retried") << QList<int>{-1, 200} << 4 << 1 << 0;
        QTest::newRow("bad URL not retried") << QList<int>{-2, 200} << 4 << 1 << 0;
    }

    void run()
    {
        QFETCH(QList<int>, statuses);
        QFETCH(int, maxAttempts);
        QFETCH(int, attempts);
        QFETCH(int, finalStatus);
        Script script;
        for (int s : statuses) {
            if (s == 0)
                script.steps.push_back(fail(ErrorCode::Network, "connection reset"));
            else if (s == -1)
                script.steps.push_back(fail(ErrorCode::Cancelled, "cancelled"));
            else if (s == -2)
                script.steps.push_back(fail(ErrorCode::InvalidArgument, "bad URL"));
            else
                script.steps.push_back(response(s));
        }
        auto clock = std::make_shared<test::FakeClock>();
        const RetryPolicy policy(RetryOptions{maxAttempts, 100ms, 10s, 60s}, clock, [] { return 0.5; });
        std::vector<RetryEvent> events;
        const RetryOutcome outcome = policy.run(script.attempt(), JobContext(), [&](const RetryEvent &e) {
            events.push_back(e);
        });
        QCOMPARE(script.calls, attempts);
        QCOMPARE(outcome.attempts, attempts);
        QCOMPARE(outcome.result.has_value(), finalStatus != 0);
        if (finalStatus)
            QCOMPARE(outcome.result->status, finalStatus);
        // One wait per retry: half of each full-jitter window (random = 0.5).
        const auto sleeps = clock->sleeps();
        QCOMPARE(int(sleeps.size()), attempts - 1);
        QCOMPARE(int(events.size()), attempts - 1);
        for (std::size_t i = 0; i < sleeps.size(); ++i) {
            QCOMPARE(sleeps[i].count(), policy.backoffCeiling(int(i)).count() / 2);
            QCOMPARE(events[i].delay, sleeps[i]);
            QCOMPARE(events[i].attempt, int(i) + 1);
            QVERIFY(!events[i].fromRetryAfter);
        }
    }

    void honoursRetryAfterBetweenAttempts()
    {
        Script script;
        script.steps = {response(429, {{"Retry-After", "2", false}}), response(503, {{"Retry-After", "600", false}}),
                        response(200)};
        auto clock = std::make_shared<test::FakeClock>();
        const RetryPolicy policy(RetryOptions{4, 100ms, 10s, 5s}, clock, [] { return 0.9; });
        std::vector<RetryEvent> events;
        const auto outcome = policy.run(script.attempt(), JobContext(), [&](const RetryEvent &e) {
            events.push_back(e);
        });
        QVERIFY(outcome.result && outcome.result->ok());
        QCOMPARE(clock->sleeps(), (std::vector<milliseconds>{2000ms, 5000ms}));  // second one capped
        QVERIFY(events[0].fromRetryAfter && events[1].fromRetryAfter);
        QCOMPARE(events[0].status, 429);
        QCOMPARE(events[0].reason, std::string("HTTP 429"));
    }

    void mayRetryVetoes()
    {
        Script script;
        script.steps = {fail(ErrorCode::Network, "reset mid-stream"), response(200)};
        const RetryPolicy policy(RetryOptions{4, 1ms, 1ms, 1ms}, std::make_shared<test::FakeClock>());
        const auto outcome = policy.run(script.attempt(), JobContext(), {}, [] { return false; });
        QCOMPARE(script.calls, 1);
        QVERIFY(!outcome.result);
        QCOMPARE(outcome.result.error().code, ErrorCode::Network);
    }

    void cancelDuringBackoffIsPrompt()
    {
        Script script;
        script.steps = {response(429, {{"Retry-After", "30", false}}), response(200)};
        const RetryPolicy policy(RetryOptions{4, 100ms, 10s, 60s});  // the real clock
        CancelToken token;
        std::atomic<std::chrono::steady_clock::time_point> cancelledAt{};
        std::thread canceller([&] {
            std::this_thread::sleep_for(150ms);
            cancelledAt = std::chrono::steady_clock::now();
            token.cancel();
        });
        const auto outcome = policy.run(script.attempt(), JobContext(token, {}), {}, {}, "acme");
        const auto returnedAt = std::chrono::steady_clock::now();
        canceller.join();
        QVERIFY(!outcome.result);
        QCOMPARE(outcome.result.error().code, ErrorCode::Cancelled);
        QCOMPARE(outcome.result.error().source, std::string("acme"));
        QCOMPARE(script.calls, 1);
        const auto latency = std::chrono::duration_cast<milliseconds>(returnedAt - cancelledAt.load()).count();
        QVERIFY2(latency < 200, qPrintable(QString::number(latency)));
    }
};

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"
