#pragma once
// Clock: the time source and the interruptible sleep that retries and rate limits
// wait with. Behind an interface so tests can run backoff schedules and token
// buckets on a fake clock, deterministically and instantly. SystemClock is
// stateless and thread-safe; share one instance freely.
#include "core/jobs/jobcontext.h"

#include <chrono>
#include <memory>

namespace rag {

class Clock {
public:
    virtual ~Clock() = default;
    virtual std::chrono::steady_clock::time_point now() const = 0;
    // Wall-clock time, for HTTP dates (Retry-After: <date>).
    virtual std::chrono::system_clock::time_point wallNow() const = 0;
    // Waits `duration`, waking early when ctx is cancelled; false when it was.
    virtual bool sleepFor(std::chrono::milliseconds duration, const JobContext &ctx) const = 0;
};

class SystemClock final : public Clock {
public:
    // Cancellation is checked this often while sleeping.
    static constexpr std::chrono::milliseconds kSlice{10};

    std::chrono::steady_clock::time_point now() const override;
    std::chrono::system_clock::time_point wallNow() const override;
    bool sleepFor(std::chrono::milliseconds duration, const JobContext &ctx) const override;

    static std::shared_ptr<const Clock> shared();
};

} // namespace rag
