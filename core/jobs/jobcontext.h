#pragma once
// JobContext: what a long-running engine function gets to report progress and
// notice cancellation. Engine algorithms take `const JobContext &` and call
// `ctx.cancelled()` per document, batch or query, and `ctx.progress(done, total)`
// as often as they like: reports are throttled here (~10 Hz) before they reach the
// sink. A default-constructed context never cancels and reports nowhere, which is
// what tests and the CLI's quiet mode use. Thread-safe: the job's own thread calls
// progress(); any thread may call cancel().
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace rag {

struct ProgressReport {
    std::int64_t done = 0;
    std::int64_t total = 0;     // 0 when unknown
    std::string stage;          // "embedding", "building HNSW", ...
};

class CancelToken {
public:
    CancelToken() : m_flag(std::make_shared<std::atomic_bool>(false)) {}
    void cancel() const { m_flag->store(true, std::memory_order_relaxed); }
    bool isCancelled() const { return m_flag->load(std::memory_order_relaxed); }

private:
    std::shared_ptr<std::atomic_bool> m_flag;
};

class JobContext {
public:
    using Sink = std::function<void(const ProgressReport &)>;

    JobContext() = default;
    JobContext(CancelToken token, Sink sink) : m_token(std::move(token)), m_sink(std::move(sink)) {}

    bool cancelled() const { return m_token.isCancelled(); }
    const CancelToken &token() const { return m_token; }

    // Throttled: forwards at most every 100 ms, and always the final report (done == total).
    void progress(std::int64_t done, std::int64_t total, const std::string &stage = {}) const
    {
        if (!m_sink)
            return;
        const auto now = std::chrono::steady_clock::now();
        const bool final = total > 0 && done >= total;
        if (!final && now - m_lastReport < std::chrono::milliseconds(100) && stage == m_lastStage)
            return;
        m_lastReport = now;
        m_lastStage = stage;
        m_sink(ProgressReport{done, total, stage});
    }

private:
    CancelToken m_token;
    Sink m_sink;
    mutable std::chrono::steady_clock::time_point m_lastReport{};
    mutable std::string m_lastStage;
};

} // namespace rag
