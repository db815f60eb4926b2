#pragma once
// Runs the ragwb executable of the including test (RAGWB_EXECUTABLE) in the source
// tree, so relative paths such as resources/demo resolve, and reads its JSON
// outputs. Shared by the end-to-end CLI tests (tests/cli, tests/evalwb).
// Test-thread only; every call starts and waits for one process.
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>

#include <initializer_list>
#include <utility>

namespace rag::test {

struct Ran {
    int exitCode = -1;  // -1 when the process did not finish in time
    QString out;
    QString err;
};

inline Ran ragwb(const QStringList &args, int timeoutMs = 400000)
{
    QProcess p;
    p.setWorkingDirectory(QStringLiteral(RAG_SOURCE_DIR));
    p.start(QStringLiteral(RAGWB_EXECUTABLE), args);
    if (!p.waitForFinished(timeoutMs))
        return {};
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

inline QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

// Writes each (file name, content) into `dir`, then `ragwb init` + `ingest` of
// `corpus` + `evalset import` of `qaSet` into dir/p.ragwb. Returns the first
// failure's message, empty on success.
inline QString buildQaProject(const QString &dir, std::initializer_list<std::pair<const char *, const char *>> files,
                              const QString &corpus, const QString &qaSet)
{
    for (const auto &[name, text] : files) {
        QFile f(dir + QLatin1Char('/') + QString::fromLatin1(name));
        if (!f.open(QIODevice::WriteOnly) || f.write(text) < 0)
            return QStringLiteral("cannot write ") + f.fileName();
    }
    const QString project = dir + QStringLiteral("/p.ragwb");
    for (const QStringList &args : {QStringList{QStringLiteral("init"), project},
                                    QStringList{QStringLiteral("ingest"), project, dir + QLatin1Char('/') + corpus},
                                    QStringList{QStringLiteral("evalset"), QStringLiteral("import"), QStringLiteral("--project"),
                                                project, dir + QLatin1Char('/') + qaSet}}) {
        const Ran r = ragwb(args);
        if (r.exitCode != 0)
            return args.join(QLatin1Char(' ')) + QStringLiteral(": ") + r.err;
    }
    return {};
}

} // namespace rag::test
