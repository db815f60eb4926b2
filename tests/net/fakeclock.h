#pragma once
// FakeClock: a Clock whose time moves only when somebody sleeps on it, so backoff
// schedules and token buckets are tested exactly and instantly. Records every sleep.
// Thread-safe (atomics and a mutex), though the tests drive it from one thread.
#include "core/net/clock.h"

#include <atomic>
#include <mutex>
#include <vector>

namespace rag::test {

class FakeClock final : public Clock {
public:
    std::chrono::steady_clock::time_point now() const override
    {
        return std::chrono::steady_clock::time_point(std::chrono::milliseconds(m_ms.load()));
    }
    std::chrono::system_clock::time_point wallNow() const override
    {
        return m_wallEpoch + std::chrono::milliseconds(m_ms.load());
    }
    bool sleepFor(std::chrono::milliseconds duration, const JobContext &ctx) const override
    {
        {
            std::lock_guard guard(m_mutex);
            m_sleeps.push_back(duration);
        }
        if (ctx.cancelled())
            return false;
        m_ms += duration.count();
        return true;
    }

    void advance(std::chrono::milliseconds d) { m_ms += d.count(); }
    void setWall(std::chrono::system_clock::time_point t) { m_wallEpoch = t - std::chrono::milliseconds(m_ms.load()); }
    std::vector<std::chrono::milliseconds> sleeps() const
    {
        std::lock_guard guard(m_mutex);
        return m_sleeps;
    }
    long long elapsedMs() const { return m_ms.load() - 1'000'000; }

private:
    mutable std::atomic<long long> m_ms{1'000'000};
    std::chrono::system_clock::time_point m_wallEpoch = std::chrono::system_clock::from_time_t(1'700'000'000);
    mutable std::mutex m_mutex;
    mutable std::vector<std::chrono::milliseconds> m_sleeps;
};

} // namespace rag::test
