#pragma once
// RateLimiter: client-side requests-per-minute and tokens-per-minute limits for one
// provider account, as two token buckets. Share one instance (shared_ptr) between
// every job that calls that provider so their requests add up against the same
// budget. Thread-safe; acquire() blocks the calling job thread, interruptibly. Not
// FIFO-fair: a waiting caller retries when its wait is over. A request larger than a
// bucket's capacity waits for a full bucket and then leaves the bucket in debt, so
// the long-run rate still holds.
#include "core/common/result.h"
#include "core/jobs/jobcontext.h"
#include "core/net/clock.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>

namespace rag {

struct RateLimits {
    double requestsPerMinute = 0;  // 0 = no limit
    double tokensPerMinute = 0;    // 0 = no limit
    // Bucket capacity as a time window: 60 s allows a full minute's budget at once;
    // providers that enforce per-second slices need a smaller window.
    std::chrono::seconds burst{60};
};

class RateLimiter {
public:
    explicit RateLimiter(RateLimits limits, std::shared_ptr<const Clock> clock = {});

    // Takes one request and `tokens` tokens, waiting until both are available.
    // Cancelled when ctx is cancelled while waiting (nothing is taken then).
    Result<void> acquire(std::int64_t tokens, const JobContext &ctx);

    // How long acquire(tokens) would wait right now (0 when it would go through).
    std::chrono::milliseconds waitTime(std::int64_t tokens) const;

    const RateLimits &limits() const { return m_limits; }

private:
    struct Bucket {
        double capacity = 0;  // 0 = unlimited
        double level = 0;
        double perMs = 0;     // refill rate
    };
    void refill(std::chrono::steady_clock::time_point now) const;
    static double shortfallMs(const Bucket &bucket, double amount);

    RateLimits m_limits;
    std::shared_ptr<const Clock> m_clock;
    mutable std::mutex m_mutex;
    mutable Bucket m_requests;
    mutable Bucket m_tokens;
    mutable std::chrono::steady_clock::time_point m_lastRefill;
};

} // namespace rag
