// ragworkbench: the desktop workbench. main() only builds the object graph:
// settings, translator, job runner, project session, window (and the demo).
#include "app/gui/demorunner.h"
#include "core/jobs/jobrunner.h"
#include "ui/appsettings.h"
#include "ui/mainwindow.h"
#include "ui/projectsession.h"

#include <QApplication>
#include <QThread>
#include <QCommandLineParser>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QStandardPaths>
#include <QTranslator>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("RAG Workbench"));
    QApplication::setApplicationName(QStringLiteral("ragworkbench"));
    QApplication::setApplicationVersion(QStringLiteral(RAG_VERSION));

    QSettings settings;
    const rag::AppSettings appSettings = rag::AppSettings::load(settings);
    QTranslator translator;
    const QLocale locale = appSettings.language.isEmpty() ? QLocale() : QLocale(appSettings.language);
    if (translator.load(locale, QStringLiteral("ragworkbench"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&translator);
    QTranslator qtTranslator;
    if (qtTranslator.load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                          QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Build and evaluate retrieval-augmented generation pipelines."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({QStringLiteral("demo"), QApplication::translate("main", "Open the bundled demo project (built on first use).")});
    parser.addOption({QStringLiteral("project"), QApplication::translate("main", "Project file to open (with --demo: where the demo project lives)."),
                      QStringLiteral("file")});
    parser.addOption({QStringLiteral("screenshot-dir"),
                      QApplication::translate("main", "With --demo: render each pane to DIR/<pane>.png after a query, then quit."),
                      QStringLiteral("dir")});
    parser.process(app);

    rag::JobRunner runner;
    runner.setWorkerPriority(QThread::IdlePriority);
    rag::ProjectSession session(runner);
    rag::MainWindow window(session, settings);
    window.show();

    std::unique_ptr<rag::DemoRunner> demo;
    if (parser.isSet(QStringLiteral("demo"))) {
        QString project = parser.value(QStringLiteral("project"));
        if (project.isEmpty())
            project = QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("demo.ragwb"));
        const QString shots = parser.value(QStringLiteral("screenshot-dir"));
        demo = std::make_unique<rag::DemoRunner>(session, window, project, rag::findDemoCorpus(), shots);
        if (!shots.isEmpty())
            QObject::connect(demo.get(), &rag::DemoRunner::finished, &app, [](int code) { QApplication::exit(code); });
        else
            QObject::connect(demo.get(), &rag::DemoRunner::finished, &app, [](int code) {
                if (code != 0)
                    QApplication::exit(code);
            });
        demo->start();
    } else if (parser.isSet(QStringLiteral("project"))) {
        session.open(parser.value(QStringLiteral("project")));
    } else {
        window.restoreLastProject();
    }
    const int code = QApplication::exec();
    runner.cancelAll();
    runner.waitForAll();
    return code;
}
