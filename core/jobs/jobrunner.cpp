#include "core/jobs/jobrunner.h"

#include "core/common/logging.h"

#include <QMetaObject>
#include <QThread>

namespace rag {

const char *jobStateName(JobState state)
{
    switch (state) {
    case JobState::Running: return "running";
    case JobState::Succeeded: return "done";
    case JobState::Failed: return "failed";
    case JobState::Cancelled: return "cancelled";
    case JobState::Superseded: return "superseded";
    }
    return "unknown";
}

JobRunner::JobRunner(QObject *parent) : QObject(parent)
{
    m_pool.setMaxThreadCount(std::max(2, QThread::idealThreadCount()));
}

JobRunner::~JobRunner()
{
    cancelAll();
    m_pool.waitForDone();
}

std::uint64_t JobRunner::startErased(std::string title, std::string group, ErasedWork work, QObject *receiver,
                                     std::function<void()> deliver)
{
    const std::uint64_t id = m_nextId++;
    Entry &entry = m_jobs[id];
    entry.info.id = id;
    entry.info.title = std::move(title);
    entry.info.group = group;
    entry.timer.start();
    if (!group.empty()) {
        if (auto previous = m_latestInGroup.find(group); previous != m_latestInGroup.end())
            cancel(previous->second);
        m_latestInGroup[group] = id;
    }
    const CancelToken token = entry.token;
    QPointer<JobRunner> self(this);
    JobContext::Sink sink = [self, id](const ProgressReport &report) {
        QMetaObject::invokeMethod(
            self.data(), [self, id, report] { if (self) self->onProgress(id, report); }, Qt::QueuedConnection);
    };
    QPointer<QObject> target(receiver);
    const QThread::Priority priority = m_workerPriority;
    m_pool.start([self, id, token, sink, priority, work = std::move(work), target, deliver = std::move(deliver)]() mutable {
        QThread::currentThread()->setPriority(priority);
        const JobContext ctx(token, sink);
        std::optional<Error> error = work(ctx);
        QMetaObject::invokeMethod(
            self.data(),
            [self, id, error = std::move(error), target, deliver = std::move(deliver)]() mutable {
                if (self)
                    self->onDone(id, std::move(error), target.data(), std::move(deliver));
            },
            Qt::QueuedConnection);
    });
    Q_EMIT jobAdded(id);
    return id;
}

void JobRunner::onProgress(std::uint64_t id, const ProgressReport &report)
{
    auto it = m_jobs.find(id);
    if (it == m_jobs.end() || it->second.info.state != JobState::Running)
        return;
    JobInfo &info = it->second.info;
    info.progress = report;
    info.elapsedMs = it->second.timer.elapsed();
    const double seconds = double(info.elapsedMs) / 1000.0;
    info.itemsPerSecond = seconds > 0 ? double(report.done) / seconds : 0;
    info.etaSeconds = (report.total > 0 && info.itemsPerSecond > 0)
        ? double(report.total - report.done) / info.itemsPerSecond
        : -1;
    Q_EMIT jobChanged(id);
}

void JobRunner::onDone(std::uint64_t id, std::optional<Error> error, QObject *receiver, std::function<void()> deliver)
{
    auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return;
    JobInfo &info = it->second.info;
    info.elapsedMs = it->second.timer.elapsed();
    const bool superseded = !info.group.empty() && m_latestInGroup[info.group] != id;
    const bool ok = !error && !it->second.token.isCancelled();
    if (superseded)
        info.state = JobState::Superseded;
    else if (ok)
        info.state = JobState::Succeeded;
    else if (it->second.token.isCancelled() || error->code == ErrorCode::Cancelled)
        info.state = JobState::Cancelled;
    else
        info.state = JobState::Failed;
    if (info.state == JobState::Failed) {
        info.error = *error;
        qCWarning(lcJobs) << "job failed:" << info.title.c_str() << error->message().c_str();
    }
    if (info.state == JobState::Succeeded)
        info.etaSeconds = 0;
    if (!info.group.empty() && !superseded)
        m_latestInGroup.erase(info.group);
    Q_EMIT jobChanged(id);
    Q_EMIT jobFinished(id);
    // Superseded results are dropped; everything else (including failures and
    // cancellations) reaches the caller, which needs to know the job ended.
    if (!superseded && receiver)
        QMetaObject::invokeMethod(receiver, std::move(deliver), Qt::AutoConnection);
}

void JobRunner::cancel(std::uint64_t id)
{
    if (auto it = m_jobs.find(id); it != m_jobs.end())
        it->second.token.cancel();
}

void JobRunner::cancelAll()
{
    for (auto &[id, entry] : m_jobs)
        entry.token.cancel();
}

void JobRunner::waitForAll()
{
    m_pool.waitForDone();
}

std::vector<JobInfo> JobRunner::jobs() const
{
    std::vector<JobInfo> out;
    out.reserve(m_jobs.size());
    for (const auto &[id, entry] : m_jobs) {
        JobInfo info = entry.info;
        if (info.state == JobState::Running)
            info.elapsedMs = entry.timer.elapsed();
        out.push_back(std::move(info));
    }
    return out;
}

JobInfo JobRunner::job(std::uint64_t id) const
{
    auto it = m_jobs.find(id);
    return it == m_jobs.end() ? JobInfo{} : it->second.info;
}

int JobRunner::runningCount() const
{
    int n = 0;
    for (const auto &[id, entry] : m_jobs)
        n += entry.info.state == JobState::Running ? 1 : 0;
    return n;
}

void JobRunner::pruneFinished(std::size_t keep)
{
    std::size_t finished = 0;
    for (const auto &[id, entry] : m_jobs)
        finished += entry.info.state != JobState::Running ? 1 : 0;
    for (auto it = m_jobs.begin(); it != m_jobs.end() && finished > keep;) {
        if (it->second.info.state != JobState::Running) {
            it = m_jobs.erase(it);
            --finished;
        } else {
            ++it;
        }
    }
}

} // namespace rag
