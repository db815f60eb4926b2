#include "core/net/retrypolicy.h"

#include "core/common/logging.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <curl/curl.h>
#include <random>

namespace rag {

namespace {

using std::chrono::milliseconds;

std::string_view trim(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

// A non-negative decimal number ("2", "0.5"); nullopt for anything else.
std::optional<double> parseNumber(std::string_view text)
{
    if (text.empty() || !std::ranges::all_of(text, [](char c) { return (c >= '0' && c <= '9') || c == '.'; }))
        return std::nullopt;
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

milliseconds fromMs(double ms)
{
    // Clamp before converting: a hostile "Retry-After: 1e300" must not overflow.
    return milliseconds(static_cast<long long>(std::min(ms, 1e12)));
}

} // namespace

RetryPolicy::RetryPolicy(RetryOptions options, std::shared_ptr<const Clock> clock, Random random)
    : m_options(options)
    , m_clock(clock ? std::move(clock) : SystemClock::shared())
    , m_random(std::move(random))
    , m_randomMutex(std::make_shared<std::mutex>())
{
    m_options.maxAttempts = std::max(1, m_options.maxAttempts);
    if (!m_random) {
        auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
        m_random = [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
    }
}

bool RetryPolicy::isRetryableStatus(int status)
{
    switch (status) {
    case 408: // request timeout
    case 429: // rate limited
    case 500:
    case 502:
    case 503:
    case 504:
    case 529: // Anthropic: overloaded
        return true;
    default:
        return false;
    }
}

bool RetryPolicy::isRetryableError(const Error &error)
{
    return error.code == ErrorCode::Network;
}

milliseconds RetryPolicy::backoffCeiling(int retry) const
{
    const double exponential = static_cast<double>(m_options.baseDelay.count()) * std::exp2(std::clamp(retry, 0, 62));
    return milliseconds(static_cast<long long>(std::min(exponential, static_cast<double>(m_options.maxDelay.count()))));
}

milliseconds RetryPolicy::backoffDelay(int retry) const
{
    const double r = std::clamp(random01(), 0.0, 1.0);
    return milliseconds(static_cast<long long>(r * static_cast<double>(backoffCeiling(retry).count())));
}

double RetryPolicy::random01() const
{
    std::lock_guard guard(*m_randomMutex);
    return m_random();
}

std::optional<milliseconds> RetryPolicy::parseRetryAfter(std::string_view value,
                                                         std::chrono::system_clock::time_point now)
{
    value = trim(value);
    if (value.empty())
        return std::nullopt;
    if (const auto seconds = parseNumber(value))
        return fromMs(*seconds * 1000.0);
    const std::string text(value);
    const time_t when = curl_getdate(text.c_str(), nullptr);
    if (when == -1)
        return std::nullopt;
    const auto delta = std::chrono::system_clock::from_time_t(when) - now;
    return std::max(milliseconds(0), std::chrono::ceil<milliseconds>(delta));
}

std::optional<milliseconds> RetryPolicy::retryAfter(const HttpResponse &response) const
{
    std::optional<milliseconds> wait;
    // OpenAI sends the precise "retry-after-ms" next to the whole-second "retry-after".
    if (const auto ms = response.header("retry-after-ms")) {
        if (const auto number = parseNumber(trim(*ms)))
            wait = fromMs(*number);
    }
    if (!wait) {
        if (const auto header = response.header("retry-after"))
            wait = parseRetryAfter(*header, m_clock->wallNow());
    }
    if (wait)
        wait = std::min(*wait, m_options.maxRetryAfter);
    return wait;
}

RetryOutcome RetryPolicy::run(const Attempt &attempt, const JobContext &ctx, const Observer &observer,
                              const MayRetry &mayRetry, std::string_view label) const
{
    for (int n = 1;; ++n) {
        Result<HttpResponse> result = attempt(n);
        RetryEvent event;
        event.attempt = n;
        if (result) {
            if (result->ok() || !isRetryableStatus(result->status))
                return RetryOutcome{std::move(result), n};
            event.status = result->status;
            event.reason = "HTTP " + std::to_string(result->status);
        } else {
            if (!isRetryableError(result.error()))
                return RetryOutcome{std::move(result), n};
            event.reason = result.error().detail;
        }
        if (n >= m_options.maxAttempts || (mayRetry && !mayRetry()))
            return RetryOutcome{std::move(result), n};

        const auto serverWait = result ? retryAfter(*result) : std::nullopt;
        event.fromRetryAfter = serverWait.has_value();
        event.delay = serverWait ? *serverWait : backoffDelay(n - 1);
        qCInfo(lcNet, "%.*s: attempt %d/%d failed (%s); retrying in %lld ms%s", static_cast<int>(label.size()),
               label.data(), n, m_options.maxAttempts, event.reason.c_str(),
               static_cast<long long>(event.delay.count()), event.fromRetryAfter ? " (Retry-After)" : "");
        if (observer)
            observer(event);
        if (!m_clock->sleepFor(event.delay, ctx)) {
            return RetryOutcome{fail(ErrorCode::Cancelled, "cancelled while waiting to retry", std::string(label)), n};
        }
    }
}

} // namespace rag
