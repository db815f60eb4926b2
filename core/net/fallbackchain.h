#pragma once
// FallbackChain: try model A, then B, ... until one answers. Each call has already
// been retried by its ProviderClient, so a failure seen here is final for that model
// (non-retryable, or retries exhausted); the chain moves on for Provider, Network,
// Parse, TooLarge and Mismatch errors, and stops at once on Cancelled and on
// InvalidArgument (a request the caller built wrong fails on every model alike).
// Stateless apart from the model list; run() may be called from any thread.
#include "core/common/result.h"
#include "core/jobs/jobcontext.h"

#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace rag {

template <typename T>
struct FallbackAnswer {
    T value;
    std::string model;           // the model that answered
    std::size_t index = 0;       // its position in the chain (0 = the first choice)
    std::vector<Error> failures; // why each earlier model was skipped, in order
};

class FallbackChain {
public:
    explicit FallbackChain(std::vector<std::string> models) : m_models(std::move(models)) {}

    static bool shouldFallBack(const Error &error)
    {
        return error.code != ErrorCode::Cancelled && error.code != ErrorCode::InvalidArgument;
    }

    const std::vector<std::string> &models() const { return m_models; }

    // call(model) -> Result<T>. When every model fails, the error carries the last
    // failure's code and a detail listing each model's reason.
    template <typename T>
    Result<FallbackAnswer<T>> run(const std::function<Result<T>(const std::string &model)> &call,
                                  const JobContext &ctx) const
    {
        if (m_models.empty())
            return fail(ErrorCode::InvalidArgument, "the fallback chain has no models");
        std::vector<Error> failures;
        for (std::size_t i = 0; i < m_models.size(); ++i) {
            if (ctx.cancelled())
                return fail(ErrorCode::Cancelled, "cancelled before trying model " + m_models[i]);
            Result<T> result = call(m_models[i]);
            if (result)
                return FallbackAnswer<T>{std::move(*result), m_models[i], i, std::move(failures)};
            if (!shouldFallBack(result.error()))
                return std::unexpected(std::move(result.error()));
            failures.push_back(std::move(result.error()));
        }
        std::string detail = "all " + std::to_string(m_models.size()) + " models failed";
        for (std::size_t i = 0; i < failures.size(); ++i)
            detail += (i == 0 ? ": " : "; ") + m_models[i] + ": " + failures[i].message();
        return fail(failures.back().code, std::move(detail), failures.back().source);
    }

private:
    std::vector<std::string> m_models;
};

} // namespace rag
