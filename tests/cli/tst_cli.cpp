// ragwb end to end: SciFact BM25 against the published baselines, the JSON
// report against an independent trec_eval re-implementation run on the TREC
// run file, the CI gate's exit codes, project reuse, per-file import errors,
// and Cranfield.
#include "ragwbprocess.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <map>

namespace {

using rag::test::Ran;
using rag::test::ragwb;
using rag::test::readJson;

const QString kScifact = QStringLiteral(RAG_SHARED_DIR "/datasets/scifact");

} // namespace

class TestCli : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void scifactBm25MatchesPublishedBaselinesAndTrecEval()
    {
        QVERIFY2(QFile::exists(kScifact + QStringLiteral("/corpus.jsonl")), "SciFact missing from ../shared/datasets");
        const QString json = m_dir.filePath(QStringLiteral("bm25.json"));
        const QString run = m_dir.filePath(QStringLiteral("bm25.run"));
        const Ran r = ragwb({QStringLiteral("eval"), QStringLiteral("--beir"), QStringLiteral("../shared/datasets/scifact"),
                             QStringLiteral("--split"), QStringLiteral("test"), QStringLiteral("--retriever"),
                             QStringLiteral("bm25"), QStringLiteral("--json"), json, QStringLiteral("--trec-run"), run,
                             QStringLiteral("--quiet")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject report = readJson(json);
        QCOMPARE(report.value(QStringLiteral("queries")).toInt(), 300);
        const QJsonObject metrics = report.value(QStringLiteral("metrics")).toObject();
        const double ndcg = metrics.value(QStringLiteral("ndcg@10")).toDouble();
        const double recall = metrics.value(QStringLiteral("recall@100")).toDouble();
        qInfo("SciFact test BM25: nDCG@10 %.4f, Recall@100 %.4f (published 0.665 BEIR, 0.679/0.925 Anserini flat)", ndcg,
              recall);
        QVERIFY(ndcg >= 0.645 && ndcg <= 0.70);
        QVERIFY(recall >= 0.88);
        for (const char *name : {"mrr", "map", "p@10", "hit@10"})
            QVERIFY(metrics.contains(QLatin1String(name)));

        // At least 100 results for every query in the run file.
        QFile runFile(run);
        QVERIFY(runFile.open(QIODevice::ReadOnly));
        std::map<QString, int> perQuery;
        while (!runFile.atEnd())
            ++perQuery[QString::fromUtf8(runFile.readLine()).section(QLatin1Char(' '), 0, 0)];
        QCOMPARE(perQuery.size(), std::size_t(300));
        for (const auto &[qid, n] : perQuery)
            QVERIFY2(n >= 100, qPrintable(qid));

        // The JSON agrees with an independent trec_eval computation over the run file.
        const QString qrels = m_dir.filePath(QStringLiteral("test.qrels"));
        QFile in(kScifact + QStringLiteral("/qrels/test.tsv"));
        QFile outQrels(qrels);
        QVERIFY(in.open(QIODevice::ReadOnly) && outQrels.open(QIODevice::WriteOnly));
        in.readLine();
        while (!in.atEnd()) {
            const QStringList cols = QString::fromUtf8(in.readLine()).trimmed().split(QLatin1Char('\t'));
            outQrels.write(QStringLiteral("%1 0 %2 %3\n").arg(cols[0], cols[1], cols[2]).toUtf8());
        }
        outQrels.close();
        QProcess py;
        py.start(QStringLiteral("python3"), {QStringLiteral(RAG_SOURCE_DIR "/tests/reference/trec_eval.py"), qrels, run,
                                             QStringLiteral("--metrics"), QStringLiteral("ndcg@10,recall@100,mrr,map,p@10,hit@10")});
        QVERIFY(py.waitForFinished(120000));
        QCOMPARE(py.exitCode(), 0);
        const QJsonObject reference = QJsonDocument::fromJson(py.readAllStandardOutput()).object().value(QStringLiteral("mean")).toObject();
        for (const QString &name : reference.keys())
            QVERIFY2(qAbs(reference.value(name).toDouble() - metrics.value(name).toDouble()) <= 1e-4, qPrintable(name));
    }

    void gateExitCodes()
    {
        const QStringList base = {QStringLiteral("eval"), QStringLiteral("--beir"), QStringLiteral("resources/demo"),
                                  QStringLiteral("--retriever"), QStringLiteral("bm25"), QStringLiteral("--quiet")};
        const Ran pass = ragwb(base + QStringList{QStringLiteral("--fail-under"), QStringLiteral("ndcg@10=0.30")});
        QCOMPARE(pass.exitCode, 0);
        const Ran below = ragwb(base + QStringList{QStringLiteral("--fail-under"), QStringLiteral("ndcg@10=0.99")});
        QCOMPARE(below.exitCode, 3);
        QVERIFY(below.err.contains(QStringLiteral("below 0.9900")));
        const Ran usage = ragwb({QStringLiteral("eval"), QStringLiteral("--retriever"), QStringLiteral("bm25")});
        QCOMPARE(usage.exitCode, 2);
        const Ran badMetric = ragwb(base + QStringList{QStringLiteral("--fail-under"), QStringLiteral("ndcg@10")});
        QCOMPARE(badMetric.exitCode, 2);
        const Ran missing = ragwb({QStringLiteral("eval"), QStringLiteral("--beir"), QStringLiteral("/no/such/folder")});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains(QStringLiteral("/no/such/folder")));
        QCOMPARE(ragwb({QStringLiteral("nonsense")}).exitCode, 2);
        QCOMPARE(ragwb({QStringLiteral("eval"), QStringLiteral("--help")}).exitCode, 0);
    }

    void projectIsKeptAndReused()
    {
        const QString project = m_dir.filePath(QStringLiteral("demo.ragwb"));
        const QStringList args = {QStringLiteral("eval"), QStringLiteral("--beir"), QStringLiteral("resources/demo"),
                                  QStringLiteral("--retriever"), QStringLiteral("hybrid"), QStringLiteral("--embedder"),
                                  QStringLiteral("lexical"), QStringLiteral("--project"), project};
        const Ran first = ragwb(args);
        QVERIFY2(first.exitCode == 0, qPrintable(first.err));
        QVERIFY2(first.err.contains(QStringLiteral("building hnsw")), qPrintable(first.err));
        const Ran second = ragwb(args);
        QVERIFY2(second.exitCode == 0, qPrintable(second.err));
        // Nothing is chunked, embedded or indexed again; the metrics are identical.
        QVERIFY2(!second.err.contains(QStringLiteral("building")), qPrintable(second.err));
        QVERIFY(!second.err.contains(QStringLiteral("chunking")));
        QCOMPARE(second.out, first.out);
        const Ran info = ragwb({QStringLiteral("info"), project});
        QCOMPARE(info.exitCode, 0);
        QVERIFY(info.out.contains(QStringLiteral("chunk sets: 1")));
        QVERIFY(info.out.contains(QStringLiteral("indexes: 2")));
        QVERIFY(info.out.contains(QStringLiteral("runs: 2")));
    }

    void ingestReportsEachBadFileAndKeepsTheRest()
    {
        QTemporaryDir docs;
        auto write = [&](const QString &name, const QByteArray &bytes) {
            QFile f(docs.filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes);
        };
        write(QStringLiteral("good.md"), "# Title\n\nSome real text about retrieval.\n");
        write(QStringLiteral("empty.txt"), "   \n\n");
        write(QStringLiteral("binary.txt"), QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
        write(QStringLiteral("broken.pdf"), "%PDF-1.4\nthis is not really a pdf");
        write(QStringLiteral("records.jsonl"), "{\"id\":\"a\",\"text\":\"first\"}\n{broken\n{\"id\":\"b\",\"text\":\"second\"}\n");
        const QString project = m_dir.filePath(QStringLiteral("ingest.ragwb"));
        const Ran r = ragwb({QStringLiteral("ingest"), project, docs.path(), QStringLiteral("--quiet")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        QVERIFY(r.out.contains(QStringLiteral("failed     ") + docs.filePath(QStringLiteral("empty.txt"))));
        QVERIFY(r.out.contains(QStringLiteral("failed     ") + docs.filePath(QStringLiteral("binary.txt"))));
        QVERIFY(r.out.contains(QStringLiteral("failed     ") + docs.filePath(QStringLiteral("broken.pdf"))));
        QVERIFY(r.out.contains(QStringLiteral("records.jsonl:2")));
        QVERIFY2(r.out.contains(QStringLiteral("2 imported, 0 replaced, 0 unchanged, 3 failed; 3 documents added")), qPrintable(r.out));
        const Ran again = ragwb({QStringLiteral("ingest"), project, docs.path(), QStringLiteral("--quiet")});
        QVERIFY(again.out.contains(QStringLiteral("0 imported, 0 replaced, 2 unchanged, 3 failed; 0 documents added")));
    }

    void cranfieldMap()
    {
        const Ran r = ragwb({QStringLiteral("eval"), QStringLiteral("--cranfield"), QStringLiteral("../shared/datasets/cranfield"),
                             QStringLiteral("--relevance"), QStringLiteral("binary-all"), QStringLiteral("--metrics"),
                             QStringLiteral("map,ndcg@10,recall@100"), QStringLiteral("--quiet")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString line = r.out.split(QLatin1Char('\n')).filter(QStringLiteral("map")).value(0);
        const double map = line.section(QLatin1Char(' '), -1).toDouble();
        qInfo("Cranfield BM25 (Porter), all listed pairs relevant: MAP %.4f (unstemmed reference 0.379)", map);
        QVERIFY(map > 0.37 && map < 0.47);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
