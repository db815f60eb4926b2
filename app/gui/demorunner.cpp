#include "app/gui/demorunner.h"

#include "core/embed/uselite.h"
#include "core/jobs/jobrunner.h"
#include "ui/documentspane.h"
#include "ui/evaluatepane.h"
#include "ui/indexpane.h"
#include "ui/mainwindow.h"
#include "ui/playgroundpane.h"
#include "ui/projectsession.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLineEdit>
#include <QPixmap>
#include <QTimer>

#include <cstdio>

namespace rag {

namespace {
const QString kChunkSet = QStringLiteral("guide");

ChunkerConfig demoChunker()
{
    ChunkerConfig config;
    config.strategy = ChunkStrategy::Recursive;
    config.size = 800;
    config.overlap = 100;
    return config;
}

std::string demoEmbedder()
{
    return QFileInfo::exists(QString::fromStdString(defaultUseLiteDir())) ? "use-lite" : "lexical";
}
} // namespace

QString findDemoCorpus()
{
    const QStringList candidates = {
        QStringLiteral(RAG_SOURCE_DIR "/resources/demo/corpus.jsonl"),
        QCoreApplication::applicationDirPath() + QStringLiteral("/../share/ragworkbench/demo/corpus.jsonl"),
    };
    for (const QString &c : candidates)
        if (QFileInfo::exists(c))
            return QFileInfo(c).absoluteFilePath();
    return {};
}

DemoRunner::DemoRunner(ProjectSession &session, MainWindow &window, QString projectPath, QString corpusPath,
                       QString screenshotDir, QObject *parent)
    : QObject(parent), m_session(session), m_window(window), m_project(std::move(projectPath)),
      m_corpus(std::move(corpusPath)), m_screenshots(std::move(screenshotDir))
{
    connect(&m_session, &ProjectSession::opened, this, [this] {
        if (m_step == Step::Open)
            advance();
    });
    connect(&m_session, &ProjectSession::importFinished, this, [this](const IngestSummary &s) {
        if (m_step != Step::Import)
            return;
        if (s.failed > 0 && s.imported + s.replaced + s.unchanged == 0)
            return fail(tr("the demo corpus could not be imported: %1")
                            .arg(QString::fromStdString(s.files.empty() ? std::string() : s.files.front().error.message())));
        advance();
    });
    connect(&m_session, &ProjectSession::chunkSetBuilt, this, [this] {
        if (m_step == Step::Chunk)
            advance();
    });
    connect(&m_session, &ProjectSession::indexBuilt, this, [this] {
        if (m_step == Step::Bm25 || m_step == Step::Dense)
            advance();
    });
    connect(&m_session, &ProjectSession::stateChanged, this, [this] {
        // The refresh after the last build: the panes now list every index.
        if (m_step == Step::Refresh && !m_session.state()->snapshot.indexes.empty()
            && m_session.state()->snapshot.indexes.size() >= 2)
            advance();
    });
    connect(&m_session, &ProjectSession::failed, this,
            [this](const QString &title, const QString &message) { fail(title + QStringLiteral(": ") + message); });
    connect(m_window.playgroundPane(), &PlaygroundPane::resultsShown, this, [this] {
        if (m_step == Step::Query)
            advance();
    });
    connect(m_window.indexPane(), &IndexPane::sweepFinished, this, [this] {
        if (m_step == Step::Sweep)
            advance();
    });
    connect(m_window.evaluatePane(), &EvaluatePane::comparisonShown, this, [this] {
        if (m_step == Step::Compare && m_window.evaluatePane()->view().runs.size() >= 3)
            advance();
    });
}

void DemoRunner::start()
{
    if (m_corpus.isEmpty())
        return fail(tr("the demo corpus (resources/demo/corpus.jsonl) was not found"));
    QDir().mkpath(QFileInfo(m_project).absolutePath());
    m_step = Step::Open;
    m_session.open(m_project);
}

void DemoRunner::advance()
{
    switch (m_step) {
    case Step::Open:
        m_step = Step::Import;
        m_session.importPaths({m_corpus});
        break;
    case Step::Import: {
        m_step = Step::Chunk;
        m_session.buildChunkSet(kChunkSet, demoChunker());
        break;
    }
    case Step::Chunk: {
        m_step = Step::Bm25;
        IndexBuildSpec spec;
        spec.chunkSet = kChunkSet.toStdString();
        spec.kind = "bm25";
        m_session.buildIndex(spec);
        break;
    }
    case Step::Bm25: {
        m_step = Step::Dense;
        IndexBuildSpec spec;
        spec.chunkSet = kChunkSet.toStdString();
        spec.kind = "hnsw";
        spec.embedder = demoEmbedder();
        m_session.buildIndex(spec);
        break;
    }
    case Step::Dense:
        m_step = Step::Refresh;
        break;  // the session refreshes after every build; stateChanged advances
    case Step::Refresh:
        if (m_screenshots.isEmpty()) {
            m_step = Step::Done;
            Q_EMIT finished(0);
            return;
        }
        m_step = Step::Query;
        m_window.showPane(MainWindow::Pane::Playground);
        m_window.playgroundPane()->queryEdit()->setText(QStringLiteral("How do I build an HNSW index and tune ef_search?"));
        m_window.playgroundPane()->search();
        break;
    case Step::Query:
        m_step = Step::Sweep;
        m_window.indexPane()->runSweep();
        break;
    case Step::Sweep: {
        m_step = Step::Evaluate;
        const std::size_t existing = m_session.state() ? m_session.state()->snapshot.runs.size() : 0;
        m_runsToRecord = existing >= 3 ? 0 : 3;
        m_runsRecorded = 0;
        recordRun();
        break;
    }
    case Step::Evaluate:
        m_step = Step::Compare;
        m_window.showPane(MainWindow::Pane::Evaluate);
        m_window.evaluatePane()->baselineBox()->setCurrentIndex(0);
        m_window.evaluatePane()->reload();
        break;
    case Step::Compare:
        m_step = Step::Done;
        // Let the lanes lay out and the document preview finish before grabbing.
        QTimer::singleShot(800, this, &DemoRunner::takeScreenshots);
        break;
    case Step::Done:
        break;
    }
}

void DemoRunner::takeScreenshots()
{
    QDir().mkpath(m_screenshots);
    // A fixed size so the README's screenshots do not depend on the screen.
    m_window.resize(1600, 1000);
    const struct {
        MainWindow::Pane pane;
        const char *file;
    } panes[] = {{MainWindow::Pane::Documents, "documents.png"},
                 {MainWindow::Pane::Index, "index.png"},
                 {MainWindow::Pane::Playground, "playground.png"},
                 {MainWindow::Pane::Evaluate, "evaluate.png"}};
    for (const auto &p : panes) {
        m_window.showPane(p.pane);
        QCoreApplication::processEvents();
        const QString path = QDir(m_screenshots).filePath(QString::fromLatin1(p.file));
        if (!m_window.grab().save(path))
            return fail(tr("could not write %1").arg(path));
        std::fprintf(stdout, "%s\n", qPrintable(path));
    }
    Q_EMIT finished(0);
}

void DemoRunner::recordRun()
{
    if (m_runsRecorded >= m_runsToRecord)
        return advance();
    static const struct {
        Lane lane;
        const char *label;
    } kRuns[] = {{Lane::Keyword, "bm25"}, {Lane::Dense, "dense"}, {Lane::Hybrid, "hybrid"}};
    const auto &run = kRuns[m_runsRecorded];
    BeirEvalSpec spec;
    spec.folder = QFileInfo(m_corpus).absolutePath().toStdString();
    spec.split = "test";
    spec.pipeline.lane = run.lane;
    spec.pipeline.chunkerJson = demoChunker().canonicalJson();
    if (run.lane != Lane::Keyword)
        spec.pipeline.embedder = demoEmbedder();
    spec.label = run.label;
    const Workbench wb = m_session.workbench();
    m_session.runner().start<EvalOutcome>(
        tr("Evaluate %1 on the demo eval set").arg(QString::fromLatin1(run.label)).toStdString(),
        [wb, spec](const JobContext &ctx) { return wb.evaluateBeir(spec, ctx); }, this,
        [this](Result<EvalOutcome> outcome) {
            if (!outcome)
                return fail(tr("evaluation failed: %1").arg(QString::fromStdString(outcome.error().message())));
            ++m_runsRecorded;
            recordRun();
        },
        "demo-evaluate");
}

void DemoRunner::fail(const QString &message)
{
    if (m_step == Step::Done && m_screenshots.isEmpty())
        return;
    std::fprintf(stderr, "ragworkbench --demo: %s\n", qPrintable(message));
    m_step = Step::Done;
    Q_EMIT finished(1);
}

} // namespace rag
