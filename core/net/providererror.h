#pragma once
// Turning a provider's HTTP error answer into an Error: the status, its reason
// phrase and the message the provider put in the body, whichever of the common
// shapes it uses. Stateless functions; thread-safe.
#include "core/common/result.h"
#include "core/net/httptypes.h"
#include "core/net/redactor.h"

#include <optional>
#include <string>
#include <string_view>

namespace rag {

// The human message inside an error body, if it is JSON in one of the shapes
// providers use: {"error":{"message":..}} (OpenAI and compatibles, Anthropic inside
// {"type":"error",..}), {"error":".."} (Ollama, llama.cpp), {"message":..} (Cohere),
// {"detail":..} (FastAPI servers such as TEI). Plain-text bodies give their first line.
std::optional<std::string> extractProviderMessage(std::string_view body);

// "Not Found", "Too Many Requests", ...; empty for an unknown status.
const char *httpReasonPhrase(int status);

// ErrorCode::Provider with "HTTP 429 Too Many Requests: <message>[ (gave up after N
// attempts)]"; the detail passes through `redactor` (servers do echo keys back).
Error httpStatusError(const HttpResponse &response, std::string source, const Redactor &redactor,
                      int attempts = 1);

} // namespace rag
