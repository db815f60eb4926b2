// The C++ metrics against tests/reference/trec_eval.py, an independent Python
// re-implementation of trec_eval's measures: random runs over real qrels are
// written with writeTrecRun, evaluated by both, and must agree to 1e-9 per
// query and in the means. This also proves the writer's tie-breaking: Python
// re-sorts by (score, docno) as trec_eval does, C++ uses the vector order.
#include "core/eval/beirreader.h"
#include "core/eval/cranfieldreader.h"
#include "core/eval/metrics.h"
#include "core/eval/trecformat.h"

#include <QtTest>

#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include <cmath>
#include <random>

using namespace rag;

namespace {

const std::string kSciFact = RAG_SHARED_DIR "/datasets/scifact";
const std::string kCranfield = RAG_SHARED_DIR "/datasets/cranfield";
const QString kScript = QStringLiteral(RAG_SOURCE_DIR "/tests/reference/trec_eval.py");

const std::vector<std::string> kMetricNames{"ndcg@10", "ndcg@5", "ndcg", "recall@100", "recall@10", "recall",
                                            "p@10", "p@1", "mrr", "mrr@10", "map", "map@100", "hit@10", "hit@1"};

enum class Mutation { None, Graded };

// Grades 0..3 and some -1s on top of binary qrels, and a few queries whose
// judgements are all non-relevant, so graded gains and exclusion are exercised.
Qrels mutate(Qrels qrels, std::mt19937_64 &rng)
{
    int index = 0;
    for (auto &[qid, docs] : qrels) {
        const bool noneRelevant = index++ % 23 == 5;
        for (auto &[doc, relevance] : docs)
            relevance = noneRelevant ? 0 : int(rng() % 4);
        if (rng() % 5 == 0)
            docs["neg-" + qid] = -1;
        if (!noneRelevant && std::none_of(docs.begin(), docs.end(), [](const auto &d) { return d.second >= 1; }))
            docs.begin()->second = 1 + int(rng() % 3);
    }
    return qrels;
}

// A random run: for ~95% of the judged queries, 0..150 documents drawn from
// the query's judged docs, other judged docs and unjudged ids; coarse scores
// so that ties are common, ties left in random order, occasional duplicates.
Run randomRun(const Qrels &qrels, std::mt19937_64 &rng)
{
    std::vector<std::string> pool;
    for (const auto &[qid, docs] : qrels)
        for (const auto &[doc, relevance] : docs)
            pool.push_back(doc);
    Run run;
    for (const auto &[qid, docs] : qrels) {
        if (rng() % 20 == 0)
            continue;  // missing from the run: must score 0
        std::vector<std::string> own;
        for (const auto &[doc, relevance] : docs)
            own.push_back(doc);
        Ranking ranking;
        const int length = int(rng() % 151);
        for (int i = 0; i < length; ++i) {
            const auto pick = rng() % 10;
            std::string doc = pick < 3 ? own[rng() % own.size()]
                : pick < 6             ? pool[rng() % pool.size()]
                                       : "unjudged-" + std::to_string(rng() % 100000);
            ranking.push_back(ScoredDoc{std::move(doc), double(int(rng() % 12)) * 0.75 + 0.1});
        }
        std::stable_sort(ranking.begin(), ranking.end(),
                         [](const ScoredDoc &a, const ScoredDoc &b) { return a.score > b.score; });
        run[qid] = std::move(ranking);
    }
    run["not-judged-query"] = Ranking{{"x", 1.0}};
    return run;
}

} // namespace

class TestTrecReference : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void agreesWithPythonReference_data();
    void agreesWithPythonReference();

private:
    // Runs the reference on two files; an empty json on failure (after QVERIFY messages).
    nlohmann::json runReference(const QString &qrelsPath, const QString &runPath, const QStringList &metricNames,
                                bool includeNoRelevant);

    QString m_python;
};

nlohmann::json TestTrecReference::runReference(const QString &qrelsPath, const QString &runPath,
                                               const QStringList &metricNames, bool includeNoRelevant)
{
    QStringList arguments{kScript, qrelsPath, runPath, "--metrics", metricNames.join(',')};
    if (includeNoRelevant)
        arguments << "--include-no-relevant";
    QProcess python;
    python.start(m_python, arguments);
    if (!python.waitForFinished(120000)) {
        qWarning("the Python reference did not finish");
        return {};
    }
    if (python.exitStatus() != QProcess::NormalExit || python.exitCode() != 0) {
        qWarning("the Python reference failed: %s", python.readAllStandardError().constData());
        return {};
    }
    return nlohmann::json::parse(python.readAllStandardOutput().toStdString(), nullptr, false);
}

void TestTrecReference::initTestCase()
{
    m_python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    QVERIFY2(!m_python.isEmpty(), "python3 not found: run packaging/setup.sh (it installs the Debian packages)");
    QVERIFY2(QFile::exists(kScript), qPrintable("missing reference script " + kScript));
    QVERIFY2(QFile::exists(QString::fromStdString(kSciFact + "/queries.jsonl")),
             "SciFact is missing from shared/datasets; restore the shared datasets (see packaging/setup.sh)");
}

void TestTrecReference::agreesWithPythonReference_data()
{
    QTest::addColumn<QString>("collection");
    QTest::addColumn<int>("mutation");
    QTest::addColumn<bool>("includeNoRelevant");
    QTest::addColumn<int>("seed");
    QTest::newRow("scifact test, binary") << "scifact:test" << int(Mutation::None) << false << 11;
    QTest::newRow("scifact train, binary") << "scifact:train" << int(Mutation::None) << false << 12;
    QTest::newRow("scifact test, graded + no-relevant excluded") << "scifact:test" << int(Mutation::Graded) << false << 13;
    QTest::newRow("scifact test, graded + no-relevant scored 0") << "scifact:test" << int(Mutation::Graded) << true << 14;
    QTest::newRow("cranfield, graded 5 - code") << "cranfield:graded" << int(Mutation::None) << false << 15;
    QTest::newRow("cranfield, binary codes 1-4") << "cranfield:binary" << int(Mutation::None) << false << 16;
}

void TestTrecReference::agreesWithPythonReference()
{
    QFETCH(QString, collection);
    QFETCH(int, mutation);
    QFETCH(bool, includeNoRelevant);
    QFETCH(int, seed);

    const QStringList parts = collection.split(':');
    const auto set = parts[0] == "scifact"
        ? readBeirEvalSet(kSciFact, parts[1].toStdString())
        : readCranfieldEvalSet(kCranfield, parts[1] == "graded" ? CranfieldRelevance::GradedFiveMinusCode
                                                                : CranfieldRelevance::BinaryCodes1To4);
    QVERIFY2(set.has_value(), set ? "" : set.error().message().c_str());
    std::mt19937_64 rng(seed);
    const Qrels qrels = Mutation(mutation) == Mutation::Graded ? mutate(set->qrels, rng) : set->qrels;
    const Run run = randomRun(qrels, rng);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString runPath = dir.filePath("run.trec");
    const QString qrelsPath = dir.filePath("qrels.trec");
    QVERIFY(writeTrecRun(runPath.toStdString(), run, "random").has_value());
    QVERIFY(writeTrecQrels(qrelsPath.toStdString(), qrels).has_value());

    std::vector<MetricSpec> metrics;
    QStringList names;
    for (const std::string &name : kMetricNames) {
        metrics.push_back(*MetricSpec::parse(name));
        names << QString::fromStdString(name);
    }
    QElapsedTimer timer;
    timer.start();
    const PerQueryMetrics ours = evaluate(qrels, run, metrics, EvalOptions{includeNoRelevant});
    qInfo("C++ evaluate: %zu queries x %zu metrics in %lld ms", ours.evaluatedQueries(), metrics.size(),
          static_cast<long long>(timer.elapsed()));

    const nlohmann::json reference = runReference(qrelsPath, runPath, names, includeNoRelevant);
    QVERIFY2(reference.is_object(), "the Python reference gave no JSON result (see the warning above)");

    QCOMPARE(reference.at("num_q").get<std::size_t>(), ours.evaluatedQueries());
    QCOMPARE(reference.at("missing_from_run").get<std::vector<std::string>>(), ours.withoutResults);
    QCOMPARE(reference.at("no_relevant").get<std::vector<std::string>>(), ours.withoutRelevant);
    QVERIFY(ours.evaluatedQueries() > 200);
    QVERIFY(!ours.withoutResults.empty());
    if (Mutation(mutation) == Mutation::Graded)
        QVERIFY(!ours.withoutRelevant.empty());

    int nonZero = 0;
    for (std::size_t m = 0; m < metrics.size(); ++m) {
        const std::string &name = kMetricNames[m];
        const double referenceMean = reference.at("mean").at(name).get<double>();
        QVERIFY2(std::fabs(referenceMean - ours.means[m]) < 1e-9,
                 qPrintable(QStringLiteral("%1 mean: C++ %2, Python %3")
                                .arg(QString::fromStdString(name))
                                .arg(ours.means[m], 0, 'g', 17)
                                .arg(referenceMean, 0, 'g', 17)));
        for (const auto &[qid, values] : ours.perQuery) {
            const double expected = reference.at("per_query").at(qid).at(name).get<double>();
            QVERIFY2(std::fabs(expected - values[m]) < 1e-9,
                     qPrintable(QStringLiteral("query %1 %2: C++ %3, Python %4")
                                    .arg(QString::fromStdString(qid), QString::fromStdString(name))
                                    .arg(values[m], 0, 'g', 17)
                                    .arg(expected, 0, 'g', 17)));
            nonZero += values[m] > 0.0 ? 1 : 0;
        }
    }
    QVERIFY2(nonZero > 500, "the random run should hit relevant documents");

    // Reading the file back gives trec_eval's order, which must be ours.
    const auto reread = readTrecRun(runPath.toStdString());
    QVERIFY(reread.has_value());
    const PerQueryMetrics fromFile = evaluate(qrels, *reread, metrics, EvalOptions{includeNoRelevant});
    QCOMPARE(fromFile.perQuery, ours.perQuery);

    // Why the writer breaks ties: the same rankings written with their raw,
    // tied scores are re-ordered by trec_eval (docid descending) and no
    // longer evaluate as the engine ranked them. This also shows the
    // comparison above is sensitive to order.
    std::string naive;
    for (const auto &[qid, ranking] : run) {
        int rank = 0;
        for (const ScoredDoc &doc : withoutDuplicates(ranking))
            naive += qid + " Q0 " + doc.docId + " " + std::to_string(++rank) + " " + std::to_string(doc.score) + " naive\n";
    }
    const QString naivePath = dir.filePath("naive.trec");
    QFile naiveFile(naivePath);
    QVERIFY(naiveFile.open(QIODevice::WriteOnly));
    naiveFile.write(naive.data(), qint64(naive.size()));
    naiveFile.close();
    const nlohmann::json naiveReference = runReference(qrelsPath, naivePath, names, includeNoRelevant);
    QVERIFY(naiveReference.is_object());
    int differing = 0;
    for (const auto &[qid, values] : ours.perQuery)
        for (std::size_t m = 0; m < metrics.size(); ++m)
            if (std::fabs(naiveReference.at("per_query").at(qid).at(kMetricNames[m]).get<double>() - values[m]) > 1e-9)
                ++differing;
    QVERIFY2(differing > 50, qPrintable(QString::number(differing)));
}

QTEST_GUILESS_MAIN(TestTrecReference)
#include "tst_trecreference.moc"
