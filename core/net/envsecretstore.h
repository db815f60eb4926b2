#pragma once
// EnvSecretStore: keys from environment variables, for the CLI, CI and containers.
// A name that already looks like a variable ("OPENAI_API_KEY") is used as is; any
// other name maps to NAME_API_KEY ("openai" -> OPENAI_API_KEY, "together-ai" ->
// TOGETHER_AI_API_KEY). Read-only: variables are set outside the app. Stateless,
// thread-safe.
#include "core/net/secretstore.h"

namespace rag {

class EnvSecretStore final : public SecretStore {
public:
    static std::string variableFor(const std::string &name);

    Result<std::string> read(const std::string &name) const override;
    Result<void> write(const std::string &name, const std::string &secret) override;
    Result<void> remove(const std::string &name) override;
    std::string describe() const override { return "environment"; }
};

} // namespace rag
