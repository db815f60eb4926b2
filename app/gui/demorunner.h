#pragma once
// DemoRunner: `--demo` — opens (or creates) the demo project, imports the
// bundled user-guide corpus, chunks it and builds a BM25 and a dense index, all
// as jobs; with a screenshot folder it then runs a query in the Playground,
// records three evaluation runs on the demo eval set (BM25, dense, hybrid) when
// the project has fewer, compares them in the Evaluate pane against the first,
// renders each pane to <dir>/<pane>.png and quits. GUI thread; the window and
// the session are owned by main().
#include <QObject>
#include <QString>

namespace rag {

class MainWindow;
class ProjectSession;

class DemoRunner : public QObject {
    Q_OBJECT
public:
    DemoRunner(ProjectSession &session, MainWindow &window, QString projectPath, QString corpusPath,
               QString screenshotDir, QObject *parent = nullptr);
    void start();

Q_SIGNALS:
    // Emitted when the demo (and screenshots, if asked for) are done; code 0 on success.
    void finished(int code);

private:
    enum class Step { Open, Import, Chunk, Bm25, Dense, Refresh, Query, Sweep, Evaluate, Compare, Done };
    void advance();
    void fail(const QString &message);
    void takeScreenshots();
    // Records the next of the three demo runs, or compares them when done.
    void recordRun();

    ProjectSession &m_session;
    MainWindow &m_window;
    QString m_project;
    QString m_corpus;
    QString m_screenshots;
    Step m_step = Step::Open;
    int m_runsToRecord = 0;
    int m_runsRecorded = 0;
};

// The bundled demo corpus: the source tree's resources/demo (development) or the
// installed share/ragworkbench/demo; empty when neither exists.
QString findDemoCorpus();

} // namespace rag
