#pragma once
// AppSettings: the user's defaults (chunking, embedder, index parameters, data
// folder, language, theme, the models the Playground uses) as a value, loaded from
// and saved to QSettings. API keys are never part of it: they live in the keychain.
// Plain value; read and written on the GUI thread.
#include "core/chunking/chunkerconfig.h"

#include <QString>

class QSettings;

namespace rag {

enum class Theme { System, Light, Dark };

// The models behind the Playground's Reranked lane and answer panel (Settings → Models).
struct ModelSettings {
    QString chatModel = QStringLiteral("extractive");  // makeChatModel spec; comma list = fallback chain
    QString chatBaseUrl;                               // empty: the provider's default
    QString reranker;                                  // makeReranker spec; empty: no reranker
    QString rerankerBaseUrl;
    int rerankDepth = 20;        // hybrid (or BM25) candidates handed to the reranker
    int contextBudget = 3000;    // prompt tokens, passages included
    int answerTopK = 5;          // chunks offered to context assembly

    static ModelSettings load(const QSettings &settings);
    void save(QSettings &settings) const;
    bool operator==(const ModelSettings &) const = default;
};

struct AppSettings {
    ChunkerConfig chunking;
    QString embedder = QStringLiteral("use-lite");
    int M = 16;
    int efConstruction = 100;
    int efSearch = 128;
    QString dataFolder;   // where new projects are proposed; empty: Documents
    QString language;     // "" (system), "en", "de"
    Theme theme = Theme::System;
    ModelSettings models;

    static AppSettings load(const QSettings &settings);
    void save(QSettings &settings) const;
};

} // namespace rag
