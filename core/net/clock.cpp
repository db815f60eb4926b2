#include "core/net/clock.h"

#include <algorithm>
#include <thread>

namespace rag {

std::chrono::steady_clock::time_point SystemClock::now() const
{
    return std::chrono::steady_clock::now();
}

std::chrono::system_clock::time_point SystemClock::wallNow() const
{
    return std::chrono::system_clock::now();
}

bool SystemClock::sleepFor(std::chrono::milliseconds duration, const JobContext &ctx) const
{
    const auto deadline = std::chrono::steady_clock::now() + duration;
    while (!ctx.cancelled()) {
        const auto left = deadline - std::chrono::steady_clock::now();
        if (left <= std::chrono::steady_clock::duration::zero())
            return true;
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(left, kSlice));
    }
    return false;
}

std::shared_ptr<const Clock> SystemClock::shared()
{
    static const auto clock = std::make_shared<const SystemClock>();
    return clock;
}

} // namespace rag
