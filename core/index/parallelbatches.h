#pragma once
// parallelBatches: runs fn(begin, end) over [0, count) in fixed-size batches on all
// cores, for index builds and batched searches. The calling thread works too and is
// the only one that reports progress (JobContext wants one reporting thread);
// cancellation is checked before every batch. Progress reads `alreadyDone + done`
// out of `alreadyDone + count`, for callers that did part of the work beforehand.
// Returns false when cancelled.
#include "core/jobs/jobcontext.h"

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace rag {

inline int hardwareThreads()
{
    return int(std::max(1u, std::thread::hardware_concurrency()));
}

template <typename Fn>
bool parallelBatches(std::size_t count, std::size_t batch, const JobContext &ctx, const std::string &stage,
                     Fn &&fn, int threads = hardwareThreads(), std::size_t alreadyDone = 0)
{
    const auto total = std::int64_t(count + alreadyDone);
    batch = std::max<std::size_t>(1, batch);
    const std::size_t batches = (count + batch - 1) / batch;
    threads = int(std::max<std::size_t>(1, std::min<std::size_t>(std::size_t(threads), batches)));
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> done{0};
    std::atomic<bool> stop{false};
    const auto work = [&](bool report) {
        for (;;) {
            if (stop.load(std::memory_order_relaxed) || ctx.cancelled()) {
                stop.store(true, std::memory_order_relaxed);
                return;
            }
            const std::size_t b = next.fetch_add(1, std::memory_order_relaxed);
            if (b >= batches)
                return;
            const std::size_t begin = b * batch;
            const std::size_t end = std::min(count, begin + batch);
            fn(begin, end);
            const std::size_t finished = done.fetch_add(end - begin) + (end - begin);
            if (report && !stage.empty())
                ctx.progress(std::int64_t(alreadyDone + finished), total, stage);
        }
    };
    std::vector<std::thread> workers;
    for (int t = 1; t < threads; ++t)
        workers.emplace_back(work, false);
    work(true);
    for (auto &w : workers)
        w.join();
    if (stop.load() || ctx.cancelled())
        return false;
    if (!stage.empty())
        ctx.progress(total, total, stage);
    return true;
}

} // namespace rag
