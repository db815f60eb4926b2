#pragma once
// AppSettings: the user's defaults (chunking, embedder, index parameters, data
// folder, language, theme) as a value, loaded from and saved to QSettings.
// Plain value; read and written on the GUI thread.
#include "core/chunking/chunkerconfig.h"

#include <QString>

class QSettings;

namespace rag {

enum class Theme { System, Light, Dark };

struct AppSettings {
    ChunkerConfig chunking;
    QString embedder = QStringLiteral("use-lite");
    int M = 16;
    int efConstruction = 200;
    int efSearch = 128;
    QString dataFolder;   // where new projects are proposed; empty: Documents
    QString language;     // "" (system), "en", "de"
    Theme theme = Theme::System;

    static AppSettings load(const QSettings &settings);
    void save(QSettings &settings) const;
};

} // namespace rag
