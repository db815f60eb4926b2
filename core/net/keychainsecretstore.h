#pragma once
// KeychainSecretStore: keys in the OS keychain through QtKeychain (on Linux the
// Secret Service over D-Bus: GNOME Keyring, KWallet; Keychain on macOS; Credential
// Manager on Windows), under one service name. Never falls back to plain-text
// storage. Thread affinity: QtKeychain jobs must all run on one thread with a running
// event loop (its job queue and libsecret's callbacks live there), so every job runs
// on the thread that constructed this store, normally the main thread; other threads
// (jobs) may call it and wait for the answer. Construct it after QCoreApplication.
#include "core/net/secretstore.h"

#include <chrono>
#include <memory>

class QObject;

namespace rag {

class KeychainSecretStore final : public SecretStore {
public:
    explicit KeychainSecretStore(std::string service = "ragworkbench",
                                 std::chrono::milliseconds timeout = std::chrono::seconds(120));
    ~KeychainSecretStore() override;

    Result<std::string> read(const std::string &name) const override;
    Result<void> write(const std::string &name, const std::string &secret) override;
    Result<void> remove(const std::string &name) override;
    std::string describe() const override { return "OS keychain"; }

    enum class Operation { Read, Write, Remove };

private:
    Result<std::string> run(Operation operation, const std::string &name, const std::string &secret) const;

    std::string m_service;
    std::chrono::milliseconds m_timeout;    // an unlock prompt may wait on the user
    std::unique_ptr<QObject> m_home;        // lives on the constructing thread; jobs run there
};

} // namespace rag
