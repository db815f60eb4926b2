#pragma once
// SecretChain: where the GUI finds API keys — the OS keychain first, then the
// environment (OPENAI_API_KEY, ...), so a key exported for the CLI works in the app
// too. Writes and removals go to the keychain only. Thread-safe as its parts are;
// owns both stores. Construct on the GUI thread (the keychain's home thread).
#include "core/net/secretstore.h"

#include <memory>

namespace rag {

class SecretChain final : public SecretStore {
public:
    SecretChain(std::unique_ptr<SecretStore> primary, std::unique_ptr<SecretStore> fallback);
    // The keychain (service "ragworkbench") over the environment.
    static std::shared_ptr<SecretChain> keychainThenEnvironment();

    Result<std::string> read(const std::string &name) const override;
    Result<void> write(const std::string &name, const std::string &secret) override;
    Result<void> remove(const std::string &name) override;
    std::string describe() const override;

private:
    std::unique_ptr<SecretStore> m_primary;
    std::unique_ptr<SecretStore> m_fallback;
};

} // namespace rag
