#pragma once
// SecretStore: where API keys come from. Keys never live in the project file,
// settings, logs or exports; a provider config holds only the key's *name*
// ("openai") and asks a SecretStore for the value right before a request, passing
// it on as a secret HttpHeader. Implementations are thread-safe.
#include "core/common/result.h"

#include <string>

namespace rag {

class SecretStore {
public:
    virtual ~SecretStore() = default;

    // The secret stored under `name`; NotFound when there is none. Error details
    // name the entry, never a value.
    virtual Result<std::string> read(const std::string &name) const = 0;
    virtual Result<void> write(const std::string &name, const std::string &secret) = 0;
    virtual Result<void> remove(const std::string &name) = 0;

    // "environment", "OS keychain": for messages such as "no key for openai in the ...".
    virtual std::string describe() const = 0;
};

} // namespace rag
