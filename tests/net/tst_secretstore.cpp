// Secret stores: environment variables (names, trimming, read-only), and the OS
// keychain through QtKeychain against a real Secret Service: a private D-Bus session
// bus with gnome-keyring-daemon, started and stopped by this test.
#include "core/net/envsecretstore.h"
#ifdef RAG_HAVE_QTKEYCHAIN
#include "core/net/keychainsecretstore.h"
#endif

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>

using namespace rag;

class TestSecretStore : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_home;
    QProcess m_bus;
    QProcess m_keyring;

private Q_SLOTS:
    void variableNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("variable");
        QTest::newRow("provider") << "openai" << "OPENAI_API_KEY";
        QTest::newRow("dashed") << "together-ai" << "TOGETHER_AI_API_KEY";
        QTest::newRow("dotted") << "my.vllm" << "MY_VLLM_API_KEY";
        QTest::newRow("already a variable") << "ANTHROPIC_API_KEY" << "ANTHROPIC_API_KEY";
        QTest::newRow("custom variable") << "CORP_LLM_TOKEN2" << "CORP_LLM_TOKEN2";
    }

    void variableNames()
    {
        QFETCH(QString, name);
        QFETCH(QString, variable);
        QCOMPARE(QString::fromStdString(EnvSecretStore::variableFor(name.toStdString())), variable);
    }

    void readsEnvironment()
    {
        qputenv("RAGWB_TEST_API_KEY", "  sk-env-123456\n");
        EnvSecretStore store;
        QCOMPARE(store.read("ragwb-test").value_or(""), std::string("sk-env-123456"));
        QCOMPARE(store.read("RAGWB_TEST_API_KEY").value_or(""), std::string("sk-env-123456"));
        qunsetenv("RAGWB_TEST_API_KEY");
        const auto missing = store.read("ragwb-test");
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
        QCOMPARE(missing.error().message(), std::string("ragwb-test: the environment variable RAGWB_TEST_API_KEY is not set"));
        qputenv("RAGWB_TEST_API_KEY", " \n");
        QCOMPARE(store.read("ragwb-test").error().code, ErrorCode::NotFound);
        qunsetenv("RAGWB_TEST_API_KEY");
        QCOMPARE(store.write("ragwb-test", "x").error().code, ErrorCode::Unsupported);
        QCOMPARE(store.remove("ragwb-test").error().code, ErrorCode::Unsupported);
    }

#ifdef RAG_HAVE_QTKEYCHAIN
    void keychainRoundTrip()
    {
        const QString dbus = QStandardPaths::findExecutable("dbus-daemon");
        const QString keyringDaemon = QStandardPaths::findExecutable("gnome-keyring-daemon");
        QVERIFY2(!dbus.isEmpty() && !keyringDaemon.isEmpty(),
                 "dbus-daemon and gnome-keyring-daemon are needed; run packaging/setup.sh");
        QVERIFY(m_home.isValid());
        for (const char *dir : {"data", "run", "home"})
            QVERIFY(QDir(m_home.path()).mkpath(dir));
        QFile::setPermissions(m_home.filePath("run"), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);

        // A private session bus, so the test neither needs nor touches a desktop session.
        m_bus.start(dbus, {"--session", "--nofork", "--print-address=1"});
        QVERIFY(m_bus.waitForStarted(10000));
        while (!m_bus.canReadLine())
            QVERIFY2(m_bus.waitForReadyRead(10000), "dbus-daemon printed no address");
        const QByteArray address = m_bus.readLine().trimmed();
        qputenv("DBUS_SESSION_BUS_ADDRESS", address);
        qunsetenv("XDG_CURRENT_DESKTOP");  // QtKeychain then picks the Secret Service (libsecret)

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("DBUS_SESSION_BUS_ADDRESS", QString::fromUtf8(address));
        env.insert("XDG_DATA_HOME", m_home.filePath("data"));
        env.insert("XDG_RUNTIME_DIR", m_home.filePath("run"));
        env.insert("HOME", m_home.filePath("home"));
        m_keyring.setProcessEnvironment(env);
        m_keyring.start(keyringDaemon, {"--foreground", "--unlock", "--components=secrets"});
        QVERIFY(m_keyring.waitForStarted(10000));
        m_keyring.write("test-keyring-password");
        m_keyring.closeWriteChannel();
        QTRY_VERIFY_WITH_TIMEOUT(
            QDBusConnection::sessionBus().interface()->isServiceRegistered("org.freedesktop.secrets").value(), 15000);

        const std::string key = "sk-keychain-7f6e5d4c3b2a";
        KeychainSecretStore store("ragworkbench-test", std::chrono::seconds(10));
        // Used from a job thread, as the engine does.
        Result<void> written = fail(ErrorCode::Internal, "not run");
        Result<std::string> read = fail(ErrorCode::Internal, "not run");
        // From a job thread, as the engine calls it, while this (main) thread runs its
        // event loop as the app's does: libsecret answers on the main GLib context.
        std::atomic_bool done{false};
        std::thread job([&] {
            written = store.write("openai", key);
            read = store.read("openai");
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done.load(), 20000);
        job.join();
        QVERIFY2(written, written ? "" : written.error().message().c_str());
        QVERIFY2(read, read ? "" : read.error().message().c_str());
        QCOMPARE(*read, key);

        const auto absent = store.read("no-such-provider");
        QVERIFY(!absent);
        QCOMPARE(absent.error().code, ErrorCode::NotFound);
        QCOMPARE(absent.error().source, std::string("no-such-provider"));

        const auto deleted = store.remove("openai");
        QVERIFY2(deleted, deleted ? "" : deleted.error().message().c_str());
        const auto removed = store.read("openai");
        QVERIFY(!removed);
        QCOMPARE(removed.error().code, ErrorCode::NotFound);
        QVERIFY(removed.error().message().find(key) == std::string::npos);
    }
#endif

    void cleanupTestCase()
    {
        for (QProcess *p : {&m_keyring, &m_bus}) {
            if (p->state() != QProcess::NotRunning) {
                p->terminate();
                if (!p->waitForFinished(3000)) {
                    p->kill();
                    p->waitForFinished(3000);
                }
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"
