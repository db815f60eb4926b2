// The project file: creation, schema versioning, refusal of foreign and newer files.
#include "core/store/database.h"
#include "core/store/project.h"
#include "core/store/schema.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace rag;

class TestProject : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void createsCurrentSchema()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("p.ragwb")).toStdString();
        auto project = Project::open(path);
        QVERIFY2(project, project ? "" : project.error().message().c_str());
        QCOMPARE(*schemaVersion((*project)->db()), kSchemaVersion);
        auto created = (*project)->meta("created_at");
        QVERIFY(created && created->size() >= 20);
        auto mode = (*project)->db().prepare("PRAGMA journal_mode");
        QVERIFY(mode && *mode->step());
        QCOMPARE(mode->columnText(0), std::string("wal"));
    }

    void reopenKeepsData()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("p.ragwb")).toStdString();
        {
            auto project = Project::open(path);
            QVERIFY(project);
            QVERIFY((*project)->setMeta("name", "demo"));
        }
        auto again = Project::openExisting(path);
        QVERIFY(again);
        QCOMPARE(*(*again)->meta("name"), std::string("demo"));
    }

    void refusesNewerSchemaWithoutTouchingIt()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("p.ragwb")).toStdString();
        {
            auto project = Project::open(path);
            QVERIFY(project);
            QVERIFY((*project)->db().exec("PRAGMA user_version = " + std::to_string(kSchemaVersion + 5)));
        }
        auto reopened = Project::open(path);
        QVERIFY(!reopened);
        QCOMPARE(reopened.error().code, ErrorCode::SchemaTooNew);
        QVERIFY(reopened.error().detail.find("newer") != std::string::npos);
        QCOMPARE(reopened.error().source, path);
        auto db = Database::open(path, Database::Mode::ReadOnly);
        QVERIFY(db);
        QCOMPARE(*schemaVersion(**db), kSchemaVersion + 5);  // untouched
    }

    void refusesForeignFiles()
    {
        QTemporaryDir dir;
        const QString text = dir.filePath(QStringLiteral("notes.txt"));
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'x'));
        f.close();
        auto fromText = Project::open(text.toStdString());
        QVERIFY(!fromText);
        QCOMPARE(fromText.error().code, ErrorCode::Corrupt);

        const std::string other = dir.filePath(QStringLiteral("other.sqlite")).toStdString();
        {
            auto db = Database::open(other);
            QVERIFY(db && (*db)->exec("CREATE TABLE t(x)"));
        }
        auto fromOther = Project::open(other);
        QVERIFY(!fromOther);
        QCOMPARE(fromOther.error().code, ErrorCode::Corrupt);
        QVERIFY(fromOther.error().detail.find("not a RAG Workbench project") != std::string::npos);

        auto missing = Project::openExisting(dir.filePath(QStringLiteral("nope.ragwb")).toStdString());
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
    }
};

QTEST_GUILESS_MAIN(TestProject)
#include "tst_project.moc"
