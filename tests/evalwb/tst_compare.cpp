// ragwb compare end to end on a real SciFact BM25 run: a run compared with
// itself (delta 0, p = 1, exit 0), a run that loses known-relevant results
// (flagged, exit 3 with --fail-on-regression), a loss too small for any paired
// test to detect (within noise, exit 0), the Markdown/CSV outputs, refusals,
// and a span-labelled QA set through evalset import/run, sweep and runs export/import.
#include "../cli/ragwbprocess.h"

#include "core/eval/beirreader.h"
#include "core/eval/evalreport.h"
#include "core/eval/metrics.h"
#include "core/eval/trecformat.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace rag;

namespace {

using rag::test::Ran;
using rag::test::ragwb;
using rag::test::readJson;

const QString kScifact = QStringLiteral(RAG_SHARED_DIR "/datasets/scifact");
const std::vector<std::string> kMetrics = {"ndcg@10", "recall@100", "mrr", "map", "p@10", "hit@10"};

// Removes up to `count` of the query's known-relevant documents, best-ranked first.
int dropRelevant(Ranking &ranking, const std::map<std::string, int> &judged, int count)
{
    int dropped = 0;
    std::erase_if(ranking, [&](const ScoredDoc &d) {
        const auto it = judged.find(d.docId);
        if (dropped < count && it != judged.end() && it->second >= 1) {
            ++dropped;
            return true;
        }
        return false;
    });
    return dropped;
}

} // namespace

class TestCompare : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    EvalSet m_set;
    Run m_run;
    QString m_a;  // the baseline report, re-derived from the TREC run file

    QString path(const char *name) const { return m_dir.filePath(QLatin1String(name)); }

    QString saveReport(const Run &run, const char *name) const
    {
        std::vector<MetricSpec> specs;
        for (const std::string &m : kMetrics)
            specs.push_back(*MetricSpec::parse(m));
        const EvalReport report = EvalReport::fromMetrics(m_set, evaluate(m_set.qrels, run, specs), run);
        const QString out = path(name);
        const auto saved = report.save(out.toStdString());
        return saved ? out : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(kScifact + QStringLiteral("/corpus.jsonl")),
                 "SciFact missing from /work/shared/datasets: run packaging/setup.sh");
        const QString json = path("ragwb.json");
        const QString trec = path("bm25.run");
        const Ran r = ragwb({QStringLiteral("eval"), QStringLiteral("--beir"), kScifact, QStringLiteral("--json"), json,
                             QStringLiteral("--trec-run"), trec, QStringLiteral("--project"), path("sf.ragwb"),
                             QStringLiteral("--quiet")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        auto set = readBeirEvalSet(kScifact.toStdString(), "test");
        QVERIFY2(set, set ? "" : set.error().message().c_str());
        m_set = *set;
        auto run = readTrecRun(trec.toStdString());
        QVERIFY2(run, run ? "" : run.error().message().c_str());
        m_run = *run;
        m_a = saveReport(m_run, "A.json");
        QVERIFY(!m_a.isEmpty());
        // The TREC run file reproduces the engine's own numbers exactly.
        const QJsonObject engine = readJson(json).value(QStringLiteral("metrics")).toObject();
        const QJsonObject derived = readJson(m_a).value(QStringLiteral("metrics")).toObject();
        for (const std::string &m : kMetrics)
            QCOMPARE(derived.value(QString::fromStdString(m)).toDouble(),
                     engine.value(QString::fromStdString(m)).toDouble());
    }

    void selfComparisonIsZeroWithPOne()
    {
        const QString out = path("self.json");
        const Ran r = ragwb({QStringLiteral("compare"), m_a, m_a, QStringLiteral("--json"), out,
                             QStringLiteral("--fail-on-regression")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject metrics = readJson(out).value(QStringLiteral("metrics")).toObject();
        QCOMPARE(metrics.size(), qsizetype(kMetrics.size()));
        for (const QString &name : metrics.keys()) {
            const QJsonObject row = metrics.value(name).toObject();
            QCOMPARE(row.value(QStringLiteral("delta")).toDouble(), 0.0);
            QCOMPARE(row.value(QStringLiteral("p_value")).toDouble(), 1.0);
            QCOMPARE(row.value(QStringLiteral("ci95")).toArray().at(0).toDouble(), 0.0);
            QCOMPARE(row.value(QStringLiteral("ci95")).toArray().at(1).toDouble(), 0.0);
            QCOMPARE(row.value(QStringLiteral("significant")).toBool(), false);
            QCOMPARE(row.value(QStringLiteral("a")).toDouble(), row.value(QStringLiteral("b")).toDouble());
            QCOMPARE(row.value(QStringLiteral("n")).toInt(), 300);
        }
    }

    void droppedRelevantResultsAreFlagged()
    {
        // Every query loses up to 5 of its known-relevant results, best-ranked first.
        Run worse = m_run;
        int dropped = 0;
        for (auto &[qid, ranking] : worse)
            dropped += dropRelevant(ranking, m_set.qrels.at(qid), 5);
        QVERIFY(dropped > 300);
        const QString b = saveReport(worse, "B-dropped.json");
        const QString out = path("dropped.json");
        const Ran gated = ragwb({QStringLiteral("compare"), m_a, b, QStringLiteral("--json"), out,
                                 QStringLiteral("--fail-on-regression"), QStringLiteral("--metrics"),
                                 QStringLiteral("ndcg@10,recall@100")});
        QCOMPARE(gated.exitCode, 3);
        QVERIFY2(gated.err.contains(QStringLiteral("ndcg@10 is significantly worse")), qPrintable(gated.err));
        const QJsonObject ndcg = readJson(out).value(QStringLiteral("metrics")).toObject().value(QStringLiteral("ndcg@10")).toObject();
        QVERIFY(ndcg.value(QStringLiteral("delta")).toDouble() < -0.5);
        QVERIFY(ndcg.value(QStringLiteral("p_value")).toDouble() < 0.001);
        QVERIFY(ndcg.value(QStringLiteral("ci95")).toArray().at(1).toDouble() < 0.0);
        QCOMPARE(ndcg.value(QStringLiteral("verdict")).toString(), QStringLiteral("worse"));
        // Without --fail-on-regression the regression is reported but does not fail.
        QCOMPARE(ragwb({QStringLiteral("compare"), m_a, b}).exitCode, 0);
        // Reversed, B is the better run: never a regression.
        QCOMPARE(ragwb({QStringLiteral("compare"), b, m_a, QStringLiteral("--fail-on-regression")}).exitCode, 0);
    }

    void fiveQueriesLosingOneResultIsWithinNoise()
    {
        // Five queries each lose their best-ranked relevant document from the top 10:
        // only 5 paired differences are non-zero, so a two-sided sign-flip test
        // cannot go below 2 / 2^5 = 0.0625: within noise, exit 0.
        Run worse = m_run;
        int changed = 0;
        for (auto &[qid, ranking] : worse) {
            if (changed == 5)
                break;
            const auto &judged = m_set.qrels.at(qid);
            const bool inTop10 = std::any_of(ranking.begin(), ranking.begin() + std::min<std::size_t>(10, ranking.size()),
                                             [&](const ScoredDoc &d) { return judged.count(d.docId) && judged.at(d.docId) >= 1; });
            if (inTop10)
                changed += dropRelevant(ranking, judged, 1);
        }
        QCOMPARE(changed, 5);
        const QString b = saveReport(worse, "B-five.json");
        const QString out = path("five.json");
        const QString md = path("five.md");
        const QString csv = path("five.csv");
        const Ran r = ragwb({QStringLiteral("compare"), m_a, b, QStringLiteral("--json"), out, QStringLiteral("--markdown"),
                             md, QStringLiteral("--csv"), csv, QStringLiteral("--fail-on-regression")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject ndcg = readJson(out).value(QStringLiteral("metrics")).toObject().value(QStringLiteral("ndcg@10")).toObject();
        QVERIFY(ndcg.value(QStringLiteral("delta")).toDouble() < 0.0);
        const double p = ndcg.value(QStringLiteral("p_value")).toDouble();
        QVERIFY2(p > 0.05 && p < 0.08, qPrintable(QString::number(p)));
        QCOMPARE(ndcg.value(QStringLiteral("significant")).toBool(), false);
        QCOMPARE(ndcg.value(QStringLiteral("verdict")).toString(), QStringLiteral("within noise"));
        QVERIFY(ndcg.value(QStringLiteral("queries_for_power")).toInt() > 300);
        QFile mdFile(md), csvFile(csv);
        QVERIFY(mdFile.open(QIODevice::ReadOnly) && csvFile.open(QIODevice::ReadOnly));
        const QString mdText = QString::fromUtf8(mdFile.readAll());
        QVERIFY(mdText.contains(QStringLiteral("| ndcg@10 |")));
        QVERIFY(mdText.contains(QStringLiteral("sign-flip")));
        const QStringList csvLines = QString::fromUtf8(csvFile.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(csvLines.size(), qsizetype(kMetrics.size() + 1));
        QVERIFY(csvLines.at(0).startsWith(QStringLiteral("metric,n,mean_a,mean_b,delta")));
    }

    void refusesMismatchedInputs()
    {
        QJsonObject other = readJson(m_a);
        QJsonObject info = other.value(QStringLiteral("eval_set")).toObject();
        info[QStringLiteral("hash")] = QStringLiteral("0000");
        other[QStringLiteral("eval_set")] = info;
        QFile f(path("other.json"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument(other).toJson());
        f.close();
        const Ran mismatch = ragwb({QStringLiteral("compare"), m_a, path("other.json")});
        QCOMPARE(mismatch.exitCode, 1);
        QVERIFY2(mismatch.err.contains(QStringLiteral("different eval sets")), qPrintable(mismatch.err));
        QCOMPARE(ragwb({QStringLiteral("compare"), m_a}).exitCode, 2);
        QCOMPARE(ragwb({QStringLiteral("compare"), m_a, m_a, QStringLiteral("--metrics"), QStringLiteral("ndcg@5")}).exitCode, 2);
        QCOMPARE(ragwb({QStringLiteral("compare"), m_a, path("missing.json")}).exitCode, 1);
    }

    // A QA set over the SciFact project: 20 test queries, their judged documents,
    // plus a span on each first relevant document; imported, run, swept, exported.
    void qaSetThroughTheCli()
    {
        QFile qa(path("qa.jsonl"));
        QVERIFY(qa.open(QIODevice::WriteOnly));
        int written = 0;
        for (const EvalQuery &q : m_set.queries) {
            if (written == 20)
                break;
            QJsonArray docs;
            for (const auto &[doc, rel] : m_set.qrels.at(q.id))
                if (rel >= 1)
                    docs.append(QString::fromStdString(doc));
            const QJsonObject span{{QStringLiteral("doc_id"), docs.at(0)}, {QStringLiteral("start"), 0},
                                   {QStringLiteral("end"), 50}, {QStringLiteral("relevance"), 2}};
            const QJsonObject line{{QStringLiteral("id"), QString::fromStdString(q.id)},
                                   {QStringLiteral("question"), QString::fromStdString(q.text)},
                                   {QStringLiteral("relevant_doc_ids"), docs},
                                   {QStringLiteral("relevant_spans"), QJsonArray{span}}};
            qa.write(QJsonDocument(line).toJson(QJsonDocument::Compact) + "\n");
            ++written;
        }
        qa.close();
        const QString project = path("sf.ragwb");
        const Ran imported = ragwb({QStringLiteral("evalset"), QStringLiteral("import"), path("qa.jsonl"),
                                    QStringLiteral("--project"), project});
        QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
        QVERIFY2(imported.out.contains(QStringLiteral("20 queries")) && imported.out.contains(QStringLiteral("(20 spans)")),
                 qPrintable(imported.out));
        const QString report = path("qa-run.json");
        const Ran run = ragwb({QStringLiteral("evalset"), QStringLiteral("run"), QStringLiteral("--project"), project,
                               QStringLiteral("--eval-set"), QStringLiteral("qa"), QStringLiteral("--json"), report,
                               QStringLiteral("--quiet")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QJsonObject json = readJson(report);
        QCOMPARE(json.value(QStringLiteral("queries")).toInt(), 20);
        const QJsonObject metrics = json.value(QStringLiteral("metrics")).toObject();
        QVERIFY(metrics.contains(QStringLiteral("chunk_ndcg@10")));
        QVERIFY(metrics.value(QStringLiteral("ndcg@10")).toDouble() > 0.4);
        const QJsonArray top = json.value(QStringLiteral("retrieved")).toObject().begin()->toArray();
        QCOMPARE(top.size(), qsizetype(10));
        QCOMPARE(top.at(0).toObject().value(QStringLiteral("keyword_rank")).toInt(), 1);

        const QString sweep = path("sweep.json");
        const Ran swept = ragwb({QStringLiteral("sweep"), QStringLiteral("--project"), project, QStringLiteral("--eval-set"),
                                 QStringLiteral("qa"), QStringLiteral("--chunk-sizes"), QStringLiteral("2000,1000"),
                                 QStringLiteral("--json"), sweep, QStringLiteral("--quiet")});
        QVERIFY2(swept.exitCode == 0, qPrintable(swept.err));
        const QJsonArray points = readJson(sweep).value(QStringLiteral("points")).toArray();
        QCOMPARE(points.size(), qsizetype(2));
        // The 2000-character point is the pipeline just run: same numbers.
        QCOMPARE(points.at(0).toObject().value(QStringLiteral("metrics")).toObject().value(QStringLiteral("ndcg@10")).toDouble(),
                 metrics.value(QStringLiteral("ndcg@10")).toDouble());

        const QString exported = path("runs.json");
        QCOMPARE(ragwb({QStringLiteral("runs"), QStringLiteral("export"), exported, QStringLiteral("--project"), project}).exitCode, 0);
        QCOMPARE(ragwb({QStringLiteral("init"), path("empty.ragwb")}).exitCode, 0);
        const Ran in = ragwb({QStringLiteral("runs"), QStringLiteral("import"), exported, QStringLiteral("--project"),
                              path("empty.ragwb")});
        QVERIFY2(in.exitCode == 0 && in.out.contains(QStringLiteral("imported 4 runs")), qPrintable(in.out + in.err));
    }
};

QTEST_GUILESS_MAIN(TestCompare)
#include "tst_compare.moc"
