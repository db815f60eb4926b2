#include "ui/appsettings.h"

#include <QSettings>
#include <QStandardPaths>

#include <algorithm>

namespace rag {

ModelSettings ModelSettings::load(const QSettings &s)
{
    ModelSettings m;
    m.chatModel = s.value(QStringLiteral("models/chat"), m.chatModel).toString().trimmed();
    if (m.chatModel.isEmpty())
        m.chatModel = QStringLiteral("extractive");
    m.chatBaseUrl = s.value(QStringLiteral("models/chatBaseUrl")).toString().trimmed();
    m.reranker = s.value(QStringLiteral("models/reranker")).toString().trimmed();
    m.rerankerBaseUrl = s.value(QStringLiteral("models/rerankerBaseUrl")).toString().trimmed();
    m.rerankDepth = std::clamp(s.value(QStringLiteral("models/rerankDepth"), m.rerankDepth).toInt(), 1, 100);
    m.contextBudget = std::clamp(s.value(QStringLiteral("models/contextBudget"), m.contextBudget).toInt(), 256, 1000000);
    m.answerTopK = std::clamp(s.value(QStringLiteral("models/answerTopK"), m.answerTopK).toInt(), 1, 100);
    return m;
}

void ModelSettings::save(QSettings &s) const
{
    s.setValue(QStringLiteral("models/chat"), chatModel);
    s.setValue(QStringLiteral("models/chatBaseUrl"), chatBaseUrl);
    s.setValue(QStringLiteral("models/reranker"), reranker);
    s.setValue(QStringLiteral("models/rerankerBaseUrl"), rerankerBaseUrl);
    s.setValue(QStringLiteral("models/rerankDepth"), rerankDepth);
    s.setValue(QStringLiteral("models/contextBudget"), contextBudget);
    s.setValue(QStringLiteral("models/answerTopK"), answerTopK);
}

AppSettings AppSettings::load(const QSettings &s)
{
    AppSettings a;
    const auto strategy = chunkStrategyFromName(
        s.value(QStringLiteral("chunking/strategy"), QString::fromLatin1(chunkStrategyName(a.chunking.strategy))).toString().toStdString());
    if (strategy)
        a.chunking.strategy = *strategy;
    const auto unit = chunkUnitFromName(
        s.value(QStringLiteral("chunking/unit"), QString::fromLatin1(chunkUnitName(a.chunking.unit))).toString().toStdString());
    if (unit)
        a.chunking.unit = *unit;
    a.chunking.size = s.value(QStringLiteral("chunking/size"), qint64(a.chunking.size)).toLongLong();
    a.chunking.overlap = s.value(QStringLiteral("chunking/overlap"), qint64(a.chunking.overlap)).toLongLong();
    a.embedder = s.value(QStringLiteral("index/embedder"), a.embedder).toString();
    a.M = s.value(QStringLiteral("index/M"), a.M).toInt();
    a.efConstruction = s.value(QStringLiteral("index/efConstruction"), a.efConstruction).toInt();
    a.efSearch = s.value(QStringLiteral("index/efSearch"), a.efSearch).toInt();
    a.dataFolder = s.value(QStringLiteral("paths/dataFolder"),
                           QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)).toString();
    a.language = s.value(QStringLiteral("ui/language")).toString();
    a.theme = Theme(std::clamp(s.value(QStringLiteral("ui/theme"), 0).toInt(), 0, 2));
    a.models = ModelSettings::load(s);
    return a;
}

void AppSettings::save(QSettings &s) const
{
    s.setValue(QStringLiteral("chunking/strategy"), QString::fromLatin1(chunkStrategyName(chunking.strategy)));
    s.setValue(QStringLiteral("chunking/unit"), QString::fromLatin1(chunkUnitName(chunking.unit)));
    s.setValue(QStringLiteral("chunking/size"), qint64(chunking.size));
    s.setValue(QStringLiteral("chunking/overlap"), qint64(chunking.overlap));
    s.setValue(QStringLiteral("index/embedder"), embedder);
    s.setValue(QStringLiteral("index/M"), M);
    s.setValue(QStringLiteral("index/efConstruction"), efConstruction);
    s.setValue(QStringLiteral("index/efSearch"), efSearch);
    s.setValue(QStringLiteral("paths/dataFolder"), dataFolder);
    s.setValue(QStringLiteral("ui/language"), language);
    s.setValue(QStringLiteral("ui/theme"), int(theme));
    models.save(s);
}

} // namespace rag
