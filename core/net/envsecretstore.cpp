#include "core/net/envsecretstore.h"

#include <QByteArray>
#include <QtGlobal>

#include <algorithm>
#include <cctype>

namespace rag {

std::string EnvSecretStore::variableFor(const std::string &name)
{
    const bool isVariable = !name.empty() && std::ranges::all_of(name, [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
    if (isVariable)
        return name;
    std::string variable;
    for (char c : name)
        variable.push_back(std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : '_');
    return variable + "_API_KEY";
}

Result<std::string> EnvSecretStore::read(const std::string &name) const
{
    const std::string variable = variableFor(name);
    // Pasted keys often carry a trailing newline; no key contains whitespace.
    const QByteArray value = qgetenv(variable.c_str()).trimmed();
    if (value.isEmpty())
        return fail(ErrorCode::NotFound, "the environment variable " + variable + " is not set", name);
    return value.toStdString();
}

Result<void> EnvSecretStore::write(const std::string &name, const std::string &)
{
    return fail(ErrorCode::Unsupported, "environment variables are read-only here; set " + variableFor(name)
                    + " before starting the program", name);
}

Result<void> EnvSecretStore::remove(const std::string &name)
{
    return fail(ErrorCode::Unsupported, "environment variables are read-only here; unset " + variableFor(name)
                    + " before starting the program", name);
}

} // namespace rag
