// RateLimiter: exact waits on a fake clock for the request and token buckets, debt
// for oversized requests, interruptible waits, and a shared budget across threads
// on the real clock.
#include "core/net/ratelimiter.h"
#include "fakeclock.h"

#include <QTest>

#include <atomic>
#include <thread>

using namespace rag;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

class TestRateLimiter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void requestsPerMinute()
    {
        auto clock = std::make_shared<test::FakeClock>();
        RateLimiter limiter(RateLimits{60, 0, 60s}, clock);  // one per second, a minute's burst
        for (int i = 0; i < 60; ++i)
            QVERIFY(limiter.acquire(0, JobContext()));
        QCOMPARE(clock->elapsedMs(), 0LL);
        QCOMPARE(limiter.waitTime(0), 1000ms);
        QVERIFY(limiter.acquire(0, JobContext()));
        QCOMPARE(clock->elapsedMs(), 1000LL);
        QVERIFY(limiter.acquire(0, JobContext()));
        QCOMPARE(clock->elapsedMs(), 2000LL);
    }

    void burstWindowLimitsCapacity()
    {
        auto clock = std::make_shared<test::FakeClock>();
        RateLimiter limiter(RateLimits{600, 0, 1s}, clock);  // 10 per second, 10 at once
        for (int i = 0; i < 10; ++i)
            QVERIFY(limiter.acquire(0, JobContext()));
        QCOMPARE(clock->elapsedMs(), 0LL);
        QVERIFY(limiter.acquire(0, JobContext()));
        QCOMPARE(clock->elapsedMs(), 100LL);
        clock->advance(10s);  // idle time refills only up to capacity
        for (int i = 0; i < 10; ++i)
            QVERIFY(limiter.acquire(0, JobContext()));
        QCOMPARE(clock->elapsedMs(), 10100LL);
        QCOMPARE(limiter.waitTime(0), 100ms);
    }

    void tokensPerMinute_data()
    {
        QTest::addColumn<double>("tpm");
        QTest::addColumn<QList<int>>("requests");
        QTest::addColumn<long long>("elapsed");
        // 1000 TPM refills one token per 60 ms.
        QTest::newRow("fits") << 1000.0 << QList<int>{400, 600} << 0LL;
        QTest::newRow("waits for 200 tokens") << 1000.0 << QList<int>{600, 600} << 12000LL;
        QTest::newRow("oversized goes into debt") << 1000.0 << QList<int>{5000, 1} << 4001LL * 60;
        QTest::newRow("oversized waits for a full bucket") << 1000.0 << QList<int>{10, 5000} << 600LL;
    }

    void tokensPerMinute()
    {
        QFETCH(double, tpm);
        QFETCH(QList<int>, requests);
        QFETCH(long long, elapsed);
        auto clock = std::make_shared<test::FakeClock>();
        RateLimiter limiter(RateLimits{0, tpm, 60s}, clock);
        for (int tokens : requests)
            QVERIFY(limiter.acquire(tokens, JobContext()));
        QCOMPARE(clock->elapsedMs(), elapsed);
    }

    void bothLimitsApply()
    {
        auto clock = std::make_shared<test::FakeClock>();
        RateLimiter limiter(RateLimits{60, 6000, 60s}, clock);  // 1 req/s, 100 tokens/s
        QVERIFY(limiter.acquire(6000, JobContext()));            // empties the token bucket
        QCOMPARE(limiter.waitTime(100), 1000ms);                 // tokens are the tighter limit
        QVERIFY(limiter.acquire(100, JobContext()));
        QCOMPARE(clock->elapsedMs(), 1000LL);
    }

    void unlimitedNeverWaits()
    {
        auto clock = std::make_shared<test::FakeClock>();
        RateLimiter limiter(RateLimits{}, clock);
        for (int i = 0; i < 1000; ++i)
            QVERIFY(limiter.acquire(100000, JobContext()));
        QCOMPARE(clock->elapsedMs(), 0LL);
    }

    void cancelWhileWaiting()
    {
        RateLimiter limiter(RateLimits{1, 0, 60s});  // real clock; the next slot is a minute away
        QVERIFY(limiter.acquire(0, JobContext()));
        CancelToken token;
        std::atomic<std::chrono::steady_clock::time_point> cancelledAt{};
        std::thread canceller([&] {
            std::this_thread::sleep_for(100ms);
            cancelledAt = std::chrono::steady_clock::now();
            token.cancel();
        });
        const auto result = limiter.acquire(0, JobContext(token, {}));
        const auto returnedAt = std::chrono::steady_clock::now();
        canceller.join();
        QVERIFY(!result);
        QCOMPARE(result.error().code, ErrorCode::Cancelled);
        const auto latency = std::chrono::duration_cast<milliseconds>(returnedAt - cancelledAt.load()).count();
        QVERIFY2(latency < 200, qPrintable(QString::number(latency)));
    }

    // Four threads share one budget of 100 requests/s: with 20 requests left in the
    // bucket, 120 more need (120 - 20) / 100 = 1 s however the threads interleave.
    void sharedAcrossThreads()
    {
        RateLimiter shared(RateLimits{6000, 0, 1s});
        // Drain 80 of the 100-request burst so 20 remain, then race.
        for (int i = 0; i < 80; ++i)
            QVERIFY(shared.acquire(0, JobContext()));
        std::atomic<int> admitted{0};
        const auto t0 = std::chrono::steady_clock::now();
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&] {
                for (int i = 0; i < 30; ++i) {
                    if (shared.acquire(0, JobContext()))
                        ++admitted;
                }
            });
        }
        for (auto &t : threads)
            t.join();
        const auto elapsed = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - t0).count();
        QCOMPARE(admitted.load(), 120);
        QVERIFY2(elapsed >= 950 && elapsed < 2500, qPrintable(QString::number(elapsed)));
    }
};

QTEST_GUILESS_MAIN(TestRateLimiter)
#include "tst_ratelimiter.moc"
