#pragma once
// JobRunner: runs all long engine work on a thread pool, with throttled progress,
// throughput, ETA, cancellation, latest-wins groups and cancel-and-wait on
// shutdown.
//
// Lives on (and is called from) the thread that created it, normally the GUI
// thread. A job is a function of a JobContext returning Result<T>; it takes a
// value snapshot of its inputs and never touches widgets or models. The result
// is delivered on the receiver's thread, and only while the receiver is alive
// (QPointer). Jobs in the same latest-wins group supersede each other: starting
// one cancels the older one, whose result is dropped. Modelled on hotspot's
// JobTracker and Qt Creator's Utils::Async.
#include "core/common/result.h"
#include "core/jobs/jobcontext.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QThread>
#include <QThreadPool>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <vector>

namespace rag {

enum class JobState { Running, Succeeded, Failed, Cancelled, Superseded };
const char *jobStateName(JobState state);

struct JobInfo {
    std::uint64_t id = 0;
    std::string title;
    std::string group;        // latest-wins group; empty for independent jobs
    JobState state = JobState::Running;
    ProgressReport progress;
    double itemsPerSecond = 0;
    double etaSeconds = -1;   // -1 when unknown
    std::int64_t elapsedMs = 0;
    Error error;              // when Failed
};

class JobRunner : public QObject {
    Q_OBJECT
public:
    explicit JobRunner(QObject *parent = nullptr);
    ~JobRunner() override;  // cancels every job and waits for them

    template <typename T>
    std::uint64_t start(std::string title, std::function<Result<T>(const JobContext &)> work, QObject *receiver,
                        std::function<void(Result<T>)> onDone, std::string group = {})
    {
        auto result = std::make_shared<Result<T>>(std::unexpected(Error{ErrorCode::Cancelled, "not run", {}}));
        auto run = [work = std::move(work), result](const JobContext &ctx) {
            *result = work(ctx);
            return result->has_value() ? std::optional<Error>() : std::optional<Error>(result->error());
        };
        QPointer<QObject> guard(receiver);
        auto deliver = [guard, onDone = std::move(onDone), result]() {
            if (guard && onDone)
                onDone(std::move(*result));
        };
        return startErased(std::move(title), std::move(group), std::move(run), receiver, std::move(deliver));
    }

    // Scheduling priority of the worker threads while they run a job. The GUI
    // uses QThread::IdlePriority (SCHED_IDLE on Linux) so that long builds never
    // take a core from the event loop; the CLI and tests keep NormalPriority.
    void setWorkerPriority(QThread::Priority priority) { m_workerPriority = priority; }

    void cancel(std::uint64_t id);
    void cancelAll();
    // Blocks until no job is running (used on shutdown and by tests).
    void waitForAll();

    std::vector<JobInfo> jobs() const;
    JobInfo job(std::uint64_t id) const;
    int runningCount() const;
    // Forgets finished jobs (the job list in the GUI shows the last ones only).
    void pruneFinished(std::size_t keep);

Q_SIGNALS:
    void jobAdded(quint64 id);
    void jobChanged(quint64 id);
    void jobFinished(quint64 id);

private:
    struct Entry {
        JobInfo info;
        CancelToken token;
        QElapsedTimer timer;
    };
    using ErasedWork = std::function<std::optional<Error>(const JobContext &)>;
    std::uint64_t startErased(std::string title, std::string group, ErasedWork work, QObject *receiver,
                              std::function<void()> deliver);
    void onProgress(std::uint64_t id, const ProgressReport &report);
    void onDone(std::uint64_t id, std::optional<Error> error, QObject *receiver, std::function<void()> deliver);

    QThreadPool m_pool;
    std::map<std::uint64_t, Entry> m_jobs;
    std::map<std::string, std::uint64_t> m_latestInGroup;
    std::uint64_t m_nextId = 1;
    QThread::Priority m_workerPriority = QThread::NormalPriority;
};

} // namespace rag
