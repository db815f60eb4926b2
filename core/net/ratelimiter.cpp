#include "core/net/ratelimiter.h"

#include <algorithm>
#include <cmath>

namespace rag {

namespace {

using std::chrono::milliseconds;

} // namespace

RateLimiter::RateLimiter(RateLimits limits, std::shared_ptr<const Clock> clock)
    : m_limits(limits)
    , m_clock(clock ? std::move(clock) : SystemClock::shared())
{
    const double window = static_cast<double>(std::max<long long>(1, m_limits.burst.count()));
    const auto makeBucket = [window](double perMinute) {
        Bucket b;
        if (perMinute > 0) {
            b.perMs = perMinute / 60'000.0;
            b.capacity = std::max(1.0, perMinute * window / 60.0);
            b.level = b.capacity;
        }
        return b;
    };
    m_requests = makeBucket(m_limits.requestsPerMinute);
    m_tokens = makeBucket(m_limits.tokensPerMinute);
    m_lastRefill = m_clock->now();
}

void RateLimiter::refill(std::chrono::steady_clock::time_point now) const
{
    const double elapsedMs = std::chrono::duration<double, std::milli>(now - m_lastRefill).count();
    if (elapsedMs <= 0)
        return;
    m_lastRefill = now;
    for (Bucket *b : {&m_requests, &m_tokens}) {
        if (b->capacity > 0)
            b->level = std::min(b->capacity, b->level + elapsedMs * b->perMs);
    }
}

double RateLimiter::shortfallMs(const Bucket &bucket, double amount)
{
    if (bucket.capacity <= 0)
        return 0;
    const double needed = std::min(amount, bucket.capacity);
    return bucket.level >= needed ? 0 : (needed - bucket.level) / bucket.perMs;
}

milliseconds RateLimiter::waitTime(std::int64_t tokens) const
{
    std::lock_guard guard(m_mutex);
    refill(m_clock->now());
    const double ms = std::max(shortfallMs(m_requests, 1), shortfallMs(m_tokens, static_cast<double>(tokens)));
    return milliseconds(static_cast<long long>(std::ceil(ms)));
}

Result<void> RateLimiter::acquire(std::int64_t tokens, const JobContext &ctx)
{
    tokens = std::max<std::int64_t>(0, tokens);
    while (true) {
        double waitMs = 0;
        {
            std::lock_guard guard(m_mutex);
            refill(m_clock->now());
            waitMs = std::max(shortfallMs(m_requests, 1), shortfallMs(m_tokens, static_cast<double>(tokens)));
            if (waitMs <= 0) {
                if (m_requests.capacity > 0)
                    m_requests.level -= 1;
                if (m_tokens.capacity > 0)
                    m_tokens.level -= static_cast<double>(tokens);
                return {};
            }
        }
        if (ctx.cancelled() || !m_clock->sleepFor(milliseconds(static_cast<long long>(std::ceil(waitMs))), ctx))
            return fail(ErrorCode::Cancelled, "cancelled while waiting for the rate limit");
    }
}

} // namespace rag
