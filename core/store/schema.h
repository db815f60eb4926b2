#pragma once
// The project file's schema and its forward migrations.
//
// PRAGMA user_version holds the schema version; each migration moves it up by
// one inside a transaction, so a file is always at a version this build knows
// or untouched. A file from a newer build is refused (SchemaTooNew) before
// anything is written; a SQLite file of another application is refused by its
// application_id.
#include "core/common/result.h"

namespace rag {

class Database;

inline constexpr int kSchemaVersion = 2;
inline constexpr int kApplicationId = 0x52414757;  // "RAGW"

// Brings the database to kSchemaVersion (creating it when empty).
Result<void> migrateSchema(const Database &db);

// Reads the version without changing anything (0 for an empty file).
Result<int> schemaVersion(const Database &db);

} // namespace rag
