#include "ui/mainwindow.h"

#include "core/jobs/jobrunner.h"
#include "ui/documentspane.h"
#include "ui/evaluatepane.h"
#include "ui/indexpane.h"
#include "ui/jobdock.h"
#include "ui/playgroundpane.h"
#include "ui/projectsession.h"
#include "ui/secretchain.h"
#include "ui/settingsdialog.h"
#include "ui/theme.h"

#include <QAction>
#include <QCloseEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>

namespace rag {

namespace {
constexpr int kRecentMax = 8;
const QString kRecentKey = QStringLiteral("projects/recent");
const QString kLastKey = QStringLiteral("projects/last");
} // namespace

MainWindow::MainWindow(ProjectSession &session, QSettings &settings, QWidget *parent)
    : QMainWindow(parent), m_session(session), m_settings(settings), m_appSettings(AppSettings::load(settings)),
      m_secrets(SecretChain::keychainThenEnvironment()), m_tabs(new QTabWidget), m_documents(new DocumentsPane(session)), m_index(new IndexPane(session)),
      m_playground(new PlaygroundPane(session)),
      m_evaluate(new EvaluatePane(session)), m_jobs(new JobDock(session.runner(), this)),
      m_projectLabel(new QLabel), m_jobLabel(new QLabel)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("RAG Workbench"));
    setAcceptDrops(true);
    m_tabs->setObjectName(QStringLiteral("paneTabs"));
    m_tabs->addTab(m_documents, tr("&Documents"));
    m_tabs->addTab(m_index, tr("I&ndex"));
    m_tabs->addTab(m_playground, tr("&Playground"));
    m_tabs->addTab(m_evaluate, tr("&Evaluate"));
    setCentralWidget(m_tabs);
    addDockWidget(Qt::BottomDockWidgetArea, m_jobs);
    statusBar()->addWidget(m_projectLabel, 1);
    statusBar()->addPermanentWidget(m_jobLabel);
    m_projectLabel->setText(tr("No project open — File ▸ New or Open, or drop files after opening one"));
    createMenus();
    m_playground->setSecretStore(m_secrets);
    m_evaluate->setSecretStore(m_secrets);
    connect(m_playground, &PlaygroundPane::modelSettingsRequested, this, &MainWindow::openModelSettings);
    connect(m_evaluate, &EvaluatePane::modelSettingsRequested, this, &MainWindow::openModelSettings);
    applySettings();

    connect(&m_session, &ProjectSession::opened, this, &MainWindow::onOpened);
    connect(&m_session, &ProjectSession::failed, this, [this](const QString &title, const QString &message) {
        statusBar()->showMessage(tr("%1 failed: %2").arg(title, message), 15000);
    });
    connect(&m_session, &ProjectSession::importFinished, this, [this](const IngestSummary &s) {
        statusBar()->showMessage(tr("Import: %1 imported, %2 replaced, %3 unchanged, %4 failed")
                                     .arg(s.imported).arg(s.replaced).arg(s.unchanged).arg(s.failed), 10000);
    });
    // A drill-down query opens in the Playground and runs there.
    connect(m_evaluate, &EvaluatePane::openQuery, this, [this](const QString &text) {
        showPane(Pane::Playground);
        m_playground->queryEdit()->setText(text);
        m_playground->search();
    });
    connect(m_jobs, &JobDock::runningCountChanged, this, [this](int running) {
        m_jobLabel->setText(running > 0 ? tr("%n job(s) running", nullptr, running) : QString());
    });

    resize(1280, 800);
    restoreGeometry(m_settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(m_settings.value(QStringLiteral("window/state")).toByteArray());
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New project…"), QKeySequence::New, this, &MainWindow::newProject);
    file->addAction(tr("&Open project…"), QKeySequence::Open, this, &MainWindow::openProject);
    m_recent = file->addMenu(tr("Open &recent"));
    file->addSeparator();
    file->addAction(tr("&Import files…"), QKeySequence(Qt::CTRL | Qt::Key_I), m_documents, &DocumentsPane::chooseFiles);
    file->addAction(tr("Import &folder…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I), m_documents,
                    &DocumentsPane::chooseFolder);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *settings = edit->addAction(tr("&Settings…"), this, &MainWindow::openSettings);
    settings->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Comma), QKeySequence(QKeySequence::Preferences)});

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Documents"), QKeySequence(Qt::CTRL | Qt::Key_1), this, [this] { showPane(Pane::Documents); });
    view->addAction(tr("&Index"), QKeySequence(Qt::CTRL | Qt::Key_2), this, [this] { showPane(Pane::Index); });
    view->addAction(tr("&Playground"), QKeySequence(Qt::CTRL | Qt::Key_3), this, [this] { showPane(Pane::Playground); });
    view->addAction(tr("&Evaluate"), QKeySequence(Qt::CTRL | Qt::Key_4), this, [this] { showPane(Pane::Evaluate); });
    QAction *jobs = m_jobs->toggleViewAction();
    jobs->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_J));
    view->addAction(jobs);

    QMenu *run = menuBar()->addMenu(tr("&Run"));
    run->addAction(tr("&Build index"), QKeySequence(Qt::CTRL | Qt::Key_B), m_index, &IndexPane::build);
    run->addAction(tr("&Query"), QKeySequence(Qt::CTRL | Qt::Key_L), this, [this] {
        showPane(Pane::Playground);
        m_playground->findChild<QWidget *>(QStringLiteral("queryEdit"))->setFocus();
    });
    run->addAction(tr("New &evaluation run…"), QKeySequence(Qt::CTRL | Qt::Key_E), this, [this] {
        showPane(Pane::Evaluate);
        m_evaluate->openNewRunDialog();
    });
    run->addAction(tr("&Cancel all jobs"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Period), this,
                   [this] { m_session.runner().cancelAll(); });
    rebuildRecentMenu();
}

void MainWindow::showPane(Pane pane)
{
    m_tabs->setCurrentIndex(int(pane));
}

void MainWindow::applySettings()
{
    applyTheme(m_appSettings.theme);
    m_documents->setDefaultConfig(m_appSettings.chunking);
    m_index->setDefaults(m_appSettings.embedder, m_appSettings.M, m_appSettings.efConstruction, m_appSettings.efSearch);
    m_playground->setModelSettings(m_appSettings.models);
    m_evaluate->setModelSettings(m_appSettings.models);
}

void MainWindow::restoreLastProject()
{
    const QString last = m_settings.value(kLastKey).toString();
    if (!last.isEmpty() && QFileInfo::exists(last))
        m_session.open(last);
}

void MainWindow::newProject()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("New project"),
                                                      QDir(m_appSettings.dataFolder).filePath(QStringLiteral("project.ragwb")),
                                                      tr("RAG Workbench projects (*.ragwb)"));
    if (!path.isEmpty())
        m_session.open(path.endsWith(QLatin1String(".ragwb")) ? path : path + QStringLiteral(".ragwb"));
}

void MainWindow::openProject()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open project"), m_appSettings.dataFolder,
                                                      tr("RAG Workbench projects (*.ragwb);;All files (*)"));
    if (!path.isEmpty())
        m_session.open(path);
}

void MainWindow::openSettings()
{
    runSettingsDialog(false);
}

void MainWindow::openModelSettings()
{
    runSettingsDialog(true);
}

void MainWindow::runSettingsDialog(bool modelsPage)
{
    SettingsDialog dialog(m_appSettings, this, m_secrets);
    if (modelsPage)
        dialog.showModelsPage();
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_appSettings = dialog.settings();
    m_appSettings.save(m_settings);
    applySettings();
}

void MainWindow::onOpened(const QString &path)
{
    setWindowTitle(tr("%1 — RAG Workbench").arg(QFileInfo(path).fileName()));
    m_projectLabel->setText(path);
    m_settings.setValue(kLastKey, path);
    QStringList recent = m_settings.value(kRecentKey).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kRecentMax)
        recent.removeLast();
    m_settings.setValue(kRecentKey, recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recent->clear();
    const QStringList recent = m_settings.value(kRecentKey).toStringList();
    for (const QString &path : recent)
        m_recent->addAction(path, this, [this, path] { m_session.open(path); });
    m_recent->setEnabled(!recent.isEmpty());
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (m_session.isOpen() && event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    QStringList paths;
    for (const QUrl &url : event->mimeData()->urls())
        if (url.isLocalFile())
            paths << url.toLocalFile();
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    showPane(Pane::Documents);
    m_session.importPaths(paths);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    m_settings.setValue(QStringLiteral("window/state"), saveState());
    QMainWindow::closeEvent(event);
}

} // namespace rag
