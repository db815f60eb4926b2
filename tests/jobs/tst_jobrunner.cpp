// JobRunner: results arrive on the caller's thread, progress is reported,
// cancellation ends a job, latest-wins drops superseded results, failures carry
// their error.
#include "core/jobs/jobrunner.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace rag;

class TestJobRunner : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void deliversResultOnCallerThread()
    {
        JobRunner runner;
        QThread *callerThread = QThread::currentThread();
        std::atomic<QThread *> workerThread{nullptr};
        int delivered = 0;
        QThread *deliveredOn = nullptr;
        runner.start<int>(
            "sum",
            [&](const JobContext &ctx) -> Result<int> {
                workerThread = QThread::currentThread();
                int sum = 0;
                for (int i = 1; i <= 100; ++i) {
                    sum += i;
                    ctx.progress(i, 100, "adding");
                }
                return sum;
            },
            this,
            [&](Result<int> r) {
                delivered = r ? *r : -1;
                deliveredOn = QThread::currentThread();
            });
        QTRY_COMPARE_WITH_TIMEOUT(delivered, 5050, 5000);
        QCOMPARE(deliveredOn, callerThread);
        QVERIFY(workerThread.load() != callerThread);
        const auto jobs = runner.jobs();
        QCOMPARE(jobs.size(), std::size_t(1));
        QCOMPARE(jobs[0].state, JobState::Succeeded);
        QCOMPARE(jobs[0].progress.done, std::int64_t(100));
        QCOMPARE(jobs[0].progress.total, std::int64_t(100));
    }

    void cancellationStopsTheJob()
    {
        JobRunner runner;
        QSignalSpy finished(&runner, &JobRunner::jobFinished);
        std::atomic_bool started{false};
        bool gotCancelled = false;
        const auto id = runner.start<int>(
            "spin",
            [&](const JobContext &ctx) -> Result<int> {
                started = true;
                while (!ctx.cancelled())
                    QThread::usleep(200);
                return fail(ErrorCode::Cancelled, "cancelled");
            },
            this, [&](Result<int> r) { gotCancelled = !r && r.error().code == ErrorCode::Cancelled; });
        QTRY_VERIFY_WITH_TIMEOUT(started.load(), 5000);
        runner.cancel(id);
        QVERIFY(finished.wait(5000));
        QCOMPARE(runner.job(id).state, JobState::Cancelled);
        QTRY_VERIFY_WITH_TIMEOUT(gotCancelled, 2000);
    }

    void latestWinsDropsOlderResult()
    {
        JobRunner runner;
        std::vector<int> delivered;
        std::atomic_bool release{false};
        auto slowJob = [&](int value) {
            return [&, value](const JobContext &ctx) -> Result<int> {
                while (!release && !ctx.cancelled())
                    QThread::usleep(200);
                return value;  // ignores its cancellation on purpose: the runner must drop it
            };
        };
        const auto first = runner.start<int>("q1", slowJob(1), this, [&](Result<int> r) { delivered.push_back(r ? *r : -1); }, "search");
        const auto second = runner.start<int>("q2", slowJob(2), this, [&](Result<int> r) { delivered.push_back(r ? *r : -1); }, "search");
        release = true;
        runner.waitForAll();
        QTRY_COMPARE_WITH_TIMEOUT(runner.runningCount(), 0, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), std::size_t(1), 5000);
        QCOMPARE(delivered.front(), 2);
        QCOMPARE(runner.job(first).state, JobState::Superseded);
        QCOMPARE(runner.job(second).state, JobState::Succeeded);
    }

    void failureCarriesError()
    {
        JobRunner runner;
        QSignalSpy finished(&runner, &JobRunner::jobFinished);
        const auto id = runner.start<int>(
            "bad", [](const JobContext &) -> Result<int> { return fail(ErrorCode::Parse, "bad header", "x.csv:3"); },
            this, [](Result<int>) {});
        QVERIFY(finished.wait(5000));
        const JobInfo info = runner.job(id);
        QCOMPARE(info.state, JobState::Failed);
        QCOMPARE(info.error.message(), std::string("x.csv:3: bad header"));
    }

    void receiverDestroyedDropsDelivery()
    {
        JobRunner runner;
        QSignalSpy finished(&runner, &JobRunner::jobFinished);
        bool called = false;
        auto *receiver = new QObject;
        runner.start<int>("x", [](const JobContext &) -> Result<int> { return 1; }, receiver,
                          [&](Result<int>) { called = true; });
        delete receiver;
        QVERIFY(finished.wait(5000));
        QTest::qWait(50);
        QVERIFY(!called);
    }
};

QTEST_GUILESS_MAIN(TestJobRunner)
#include "tst_jobrunner.moc"
