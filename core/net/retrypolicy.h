#pragma once
// RetryPolicy: decides whether a failed HTTP attempt is worth repeating and how long
// to wait first. Retries 408, 429, 500, 502, 503, 504 and 529 (Anthropic's
// "overloaded") and transport (Network) errors; never other 4xx. Waits follow the
// server's Retry-After (retry-after-ms, seconds or an HTTP date, capped) or else
// exponential backoff with full jitter: uniform(0, min(maxDelay, base * 2^retry)).
// Waits are interruptible: a cancel during a backoff returns Cancelled at once.
// Copyable and thread-safe; the random source and clock are injectable for tests.
#include "core/common/result.h"
#include "core/jobs/jobcontext.h"
#include "core/net/clock.h"
#include "core/net/httptypes.h"

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace rag {

struct RetryOptions {
    int maxAttempts = 4;                              // including the first one
    std::chrono::milliseconds baseDelay{500};
    std::chrono::milliseconds maxDelay{20'000};       // cap of the exponential window
    std::chrono::milliseconds maxRetryAfter{60'000};  // a server's Retry-After is honoured up to this
};

// What the policy reports before each wait (for logs, progress and tests).
struct RetryEvent {
    int attempt = 0;           // the 1-based attempt that just failed
    int status = 0;            // its HTTP status, 0 for a transport error
    std::chrono::milliseconds delay{0};
    bool fromRetryAfter = false;
    std::string reason;        // "HTTP 429" or the transport error's detail
};

struct RetryOutcome {
    // The last attempt's result: a transfer error, or a response of any status
    // (2xx, a non-retryable status, or the retryable status that exhausted the budget).
    Result<HttpResponse> result;
    int attempts = 0;
};

class RetryPolicy {
public:
    using Random = std::function<double()>;  // uniform in [0, 1); called under a lock
    using Attempt = std::function<Result<HttpResponse>(int attempt)>;
    using Observer = std::function<void(const RetryEvent &)>;
    using MayRetry = std::function<bool()>;  // false vetoes further attempts (a stream already delivered data)

    explicit RetryPolicy(RetryOptions options = {}, std::shared_ptr<const Clock> clock = {}, Random random = {});

    static bool isRetryableStatus(int status);
    static bool isRetryableError(const Error &error);

    // min(maxDelay, baseDelay * 2^retry) for the 0-based retry number.
    std::chrono::milliseconds backoffCeiling(int retry) const;
    // uniform(0, backoffCeiling(retry)): "full jitter".
    std::chrono::milliseconds backoffDelay(int retry) const;
    // The server-requested wait, capped at maxRetryAfter; nullopt when absent or unreadable.
    std::optional<std::chrono::milliseconds> retryAfter(const HttpResponse &response) const;
    // A Retry-After value: delay-seconds or an HTTP date (IMF-fixdate, RFC 850, asctime).
    static std::optional<std::chrono::milliseconds> parseRetryAfter(std::string_view value,
                                                                    std::chrono::system_clock::time_point now);

    // Calls attempt(1), attempt(2), ... until a non-retryable result, success, or
    // maxAttempts; sleeps between attempts on the clock. Cancelled while waiting gives
    // a Cancelled error. `label` names the caller in log lines.
    RetryOutcome run(const Attempt &attempt, const JobContext &ctx, const Observer &observer = {},
                     const MayRetry &mayRetry = {}, std::string_view label = {}) const;

    const RetryOptions &options() const { return m_options; }
    const Clock &clock() const { return *m_clock; }

private:
    double random01() const;

    RetryOptions m_options;
    std::shared_ptr<const Clock> m_clock;
    Random m_random;
    std::shared_ptr<std::mutex> m_randomMutex;
};

} // namespace rag
