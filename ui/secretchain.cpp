#include "ui/secretchain.h"

#include "core/net/envsecretstore.h"
#include "core/net/keychainsecretstore.h"

namespace rag {

SecretChain::SecretChain(std::unique_ptr<SecretStore> primary, std::unique_ptr<SecretStore> fallback)
    : m_primary(std::move(primary)), m_fallback(std::move(fallback))
{
}

std::shared_ptr<SecretChain> SecretChain::keychainThenEnvironment()
{
    // A short timeout: a keychain that does not answer must not hold a rerank for minutes.
    return std::make_shared<SecretChain>(std::make_unique<KeychainSecretStore>("ragworkbench", std::chrono::seconds(30)),
                                         std::make_unique<EnvSecretStore>());
}

Result<std::string> SecretChain::read(const std::string &name) const
{
    auto first = m_primary->read(name);
    if (first)
        return first;
    // No keychain daemon (a headless session) is no reason to ignore an exported key.
    auto second = m_fallback->read(name);
    if (second)
        return second;
    // An unreachable keychain reads as "no key": a local server needs none, and a
    // provider that does says which stores it looked in.
    if (first.error().code != ErrorCode::NotFound)
        return fail(ErrorCode::NotFound, "no key stored (" + first.error().detail + ")", name);
    return fail(ErrorCode::NotFound, "no key stored", name);
}

Result<void> SecretChain::write(const std::string &name, const std::string &secret)
{
    return m_primary->write(name, secret);
}

Result<void> SecretChain::remove(const std::string &name)
{
    return m_primary->remove(name);
}

std::string SecretChain::describe() const
{
    return m_primary->describe() + " or the " + m_fallback->describe();
}

} // namespace rag
