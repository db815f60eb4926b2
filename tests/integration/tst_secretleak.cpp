// The secret-leak test: runs ragwb ask, embed, a remote-embedder index build, a
// dense query, a judged evaluation and a run export with a known key through the
// scripted server (including one that echoes the key back in an error), then searches the project file (and its WAL),
// every file under the test HOME (QSettings, caches), stdout and stderr with all
// logging on: none may contain the key.
#include "../net/testserver.h"
#include "core/common/assets.h"

#include <QDirIterator>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QByteArray kKey = "sk-LEAKTEST-7f3a9c2e5b1d4086";

struct Ran {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

} // namespace

class TestSecretLeak : public QObject {
    Q_OBJECT

private:
    rag::test::TestServer m_server;
    QTemporaryDir m_dir;
    QByteArray m_transcript;  // every byte any command printed

    Ran ragwb(const QStringList &args)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        // The real assets (tokenizer ranks) stay where setup.sh put them; only HOME moves.
        env.insert(QStringLiteral("RAGWB_ASSET_DIR"), QString::fromStdString(rag::assetDir()));
        env.insert(QStringLiteral("HOME"), m_dir.filePath(QStringLiteral("home")));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("home/.config")));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), m_dir.filePath(QStringLiteral("home/.cache")));
        env.insert(QStringLiteral("OPENAI_API_KEY"), QString::fromLatin1(kKey));
        env.insert(QStringLiteral("OPENAI_BASE_URL"), QString::fromStdString(m_server.url("/embed/idx/v1")));
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("rag.*=true"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(RAGWB_EXECUTABLE), args);
        p.waitForFinished(120000);
        Ran r{p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
        m_transcript += r.out + r.err;
        return r;
    }

    QString project() const { return m_dir.filePath(QStringLiteral("leak.ragwb")); }

private Q_SLOTS:
    void initTestCase()
    {
        rag::test::clearProxyEnvironment();
        QVERIFY(m_dir.isValid());
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("home/.config"))));
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("docs"))));
        const QString error = m_server.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QFile doc(m_dir.filePath(QStringLiteral("docs/cells.txt")));
        QVERIFY(doc.open(QIODevice::WriteOnly));
        doc.write("The mitochondrion is the powerhouse of the cell. It converts nutrients into ATP energy.\n\n"
                  "Ribosomes build proteins. The nucleus stores the genome of the cell.\n");
        doc.close();
        Ran r = ragwb({QStringLiteral("ingest"), project(), m_dir.filePath(QStringLiteral("docs")), QStringLiteral("--quiet")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = ragwb({QStringLiteral("chunk"), project(), QStringLiteral("--name"), QStringLiteral("cs"), QStringLiteral("--quiet")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = ragwb({QStringLiteral("index"), project(), QStringLiteral("--chunk-set"), QStringLiteral("cs"), QStringLiteral("--kind"),
                   QStringLiteral("bm25"), QStringLiteral("--quiet")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    void askStreamsThroughTheServer()
    {
        const Ran r = ragwb({QStringLiteral("ask"), project(), QStringLiteral("What converts nutrients into energy?"),
                             QStringLiteral("--chat"), QStringLiteral("openai:gpt-test"), QStringLiteral("--base-url"),
                             QString::fromStdString(m_server.url("/openai-stream/ask/v1"))});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.startsWith(QByteArray("H\xc3\xa9llo, w\xc3\xb6rld")));
        QVERIFY(r.err.contains("usage 9 in / 12 out"));
        QCOMPARE(m_server.stats("openai-stream", "ask")["requests"].get<int>(), 1);
    }

    void askExtractiveOffline()
    {
        const Ran r = ragwb({QStringLiteral("ask"), project(), QStringLiteral("What converts nutrients into energy?")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("It converts nutrients into ATP energy. [1]"), r.out.constData());
        QVERIFY(r.err.contains("--- cited chunks ---"));
    }

    void echoedKeyIsRedacted()
    {
        const Ran r = ragwb({QStringLiteral("ask"), project(), QStringLiteral("anything"), QStringLiteral("--chat"),
                             QStringLiteral("openai:gpt-test"), QStringLiteral("--base-url"),
                             QString::fromStdString(m_server.url("/echo-key-401/ask/v1"))});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("401"), r.err.constData());
    }

    void embedRemote()
    {
        QFile texts(m_dir.filePath(QStringLiteral("texts.txt")));
        QVERIFY(texts.open(QIODevice::WriteOnly));
        texts.write("first text\nsecond text\n");
        texts.close();
        const Ran r = ragwb({QStringLiteral("embed"), QStringLiteral("--embedder"), QStringLiteral("openai:embed-test"),
                             QStringLiteral("--base-url"), QString::fromStdString(m_server.url("/embed/cli/v1")),
                             QStringLiteral("--texts"), texts.fileName()});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.out.count('\n'), 2);
        QCOMPARE(r.out.split('\n').first().count(',') + 1, 8);  // the server's 8-dimensional vectors
    }

    void remoteEmbedderIndexAndQuery()
    {
        Ran r = ragwb({QStringLiteral("index"), project(), QStringLiteral("--chunk-set"), QStringLiteral("cs"),
                       QStringLiteral("--kind"), QStringLiteral("flat"),
                       QStringLiteral("--embedder"), QStringLiteral("openai:embed-test"), QStringLiteral("--quiet")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = ragwb({QStringLiteral("query"), project(), QStringLiteral("nucleus genome"), QStringLiteral("--retriever"),
                   QStringLiteral("dense"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("\"results\""));
        QVERIFY(m_server.stats("embed", "idx")["requests"].get<int>() >= 3);  // probe, build, query
    }

    // A judged evaluation with a remote judge and answerer (key from OPENAI_API_KEY),
    // then every run exported: the run record and the export must not hold the key.
    void judgedRunAndExport()
    {
        QFile qa(m_dir.filePath(QStringLiteral("qa.jsonl")));
        QVERIFY(qa.open(QIODevice::WriteOnly));
        qa.write(R"({"id": "q1", "question": "What converts nutrients into energy?", "answer": "The mitochondrion converts nutrients into ATP energy.", "relevant_doc_ids": ["cells.txt"]})"
                 "\n");
        qa.close();
        Ran r = ragwb({QStringLiteral("evalset"), QStringLiteral("import"), QStringLiteral("--project"), project(),
                       qa.fileName()});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString judgeUrl = QString::fromStdString(m_server.url("/judge/leak/v1"));
        r = ragwb({QStringLiteral("judge"), QStringLiteral("--project"), project(), QStringLiteral("--eval-set"),
                   QStringLiteral("qa"), QStringLiteral("--judge"), QStringLiteral("openai:judge-test"),
                   QStringLiteral("--base-url"), judgeUrl, QStringLiteral("--answer-with"),
                   QStringLiteral("openai:answer-test"), QStringLiteral("--answer-base-url"),
                   QString::fromStdString(m_server.url("/openai-stream/judged/v1")), QStringLiteral("--json"),
                   m_dir.filePath(QStringLiteral("judged.json"))});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(m_server.stats("judge", "leak")["requests"].get<int>() >= 4);  // four metrics judged
        r = ragwb({QStringLiteral("runs"), QStringLiteral("export"), QStringLiteral("--project"), project(),
                   m_dir.filePath(QStringLiteral("runs-export.json"))});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile exported(m_dir.filePath(QStringLiteral("runs-export.json")));
        QVERIFY(exported.open(QIODevice::ReadOnly));
        QVERIFY(exported.readAll().contains("judge-test"));  // the judged run is in the export
    }

    void noFileOrOutputHoldsTheKey()
    {
        QVERIFY(!m_transcript.isEmpty());
        QVERIFY2(!m_transcript.contains(kKey), "a command printed the key");
        int files = 0;
        QDirIterator it(m_dir.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY2(!f.readAll().contains(kKey), qPrintable(path + " holds the key"));
            ++files;
        }
        QVERIFY(files >= 5);  // the document, the texts, the project file, the judged report, the export
    }
};

QTEST_GUILESS_MAIN(TestSecretLeak)
#include "tst_secretleak.moc"
