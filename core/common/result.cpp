#include "core/common/result.h"

namespace rag {

const char *errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument: return "invalid-argument";
    case ErrorCode::NotFound: return "not-found";
    case ErrorCode::Io: return "io";
    case ErrorCode::Parse: return "parse";
    case ErrorCode::Unsupported: return "unsupported";
    case ErrorCode::Empty: return "empty";
    case ErrorCode::Binary: return "binary";
    case ErrorCode::TooLarge: return "too-large";
    case ErrorCode::Corrupt: return "corrupt";
    case ErrorCode::SchemaTooNew: return "schema-too-new";
    case ErrorCode::Database: return "database";
    case ErrorCode::Mismatch: return "mismatch";
    case ErrorCode::Cancelled: return "cancelled";
    case ErrorCode::Network: return "network";
    case ErrorCode::Provider: return "provider";
    case ErrorCode::Internal: return "internal";
    }
    return "unknown";
}

std::string Error::message() const
{
    return source.empty() ? detail : source + ": " + detail;
}

} // namespace rag
