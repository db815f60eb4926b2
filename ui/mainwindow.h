#pragma once
// MainWindow: the workbench window — Documents, Index, Playground and Evaluate panes as
// tabs, the job dock, new/open/recent projects, settings, shortcuts, and file
// and folder drops that import into the open project. Restores its geometry,
// layout and last project from QSettings. GUI thread; the session and settings
// store are owned by the caller (app/).
#include "ui/appsettings.h"

#include <QMainWindow>

#include <memory>

class QLabel;
class QMenu;
class QSettings;
class QTabWidget;

namespace rag {

class DocumentsPane;
class SecretStore;
class EvaluatePane;
class IndexPane;
class JobDock;
class PlaygroundPane;
class ProjectSession;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum class Pane { Documents, Index, Playground, Evaluate };

    MainWindow(ProjectSession &session, QSettings &settings, QWidget *parent = nullptr);

    DocumentsPane *documentsPane() const { return m_documents; }
    IndexPane *indexPane() const { return m_index; }
    PlaygroundPane *playgroundPane() const { return m_playground; }
    EvaluatePane *evaluatePane() const { return m_evaluate; }
    JobDock *jobDock() const { return m_jobs; }
    void showPane(Pane pane);
    // Reopens the project of the last session, if it still exists.
    void restoreLastProject();

public Q_SLOTS:
    void newProject();
    void openProject();
    void openSettings();
    // The settings dialog on its Models page (chat model, reranker, keys).
    void openModelSettings();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void createMenus();
    void applySettings();
    void runSettingsDialog(bool modelsPage);
    void onOpened(const QString &path);
    void rebuildRecentMenu();

    ProjectSession &m_session;
    QSettings &m_settings;
    AppSettings m_appSettings;
    // API keys: the OS keychain, then the environment; shared by the Playground's
    // model jobs and the settings dialog, which stores keys (never in QSettings).
    std::shared_ptr<SecretStore> m_secrets;
    QTabWidget *m_tabs;
    DocumentsPane *m_documents;
    IndexPane *m_index;
    PlaygroundPane *m_playground;
    EvaluatePane *m_evaluate;
    JobDock *m_jobs;
    QMenu *m_recent = nullptr;
    QLabel *m_projectLabel;
    QLabel *m_jobLabel;
};

} // namespace rag
