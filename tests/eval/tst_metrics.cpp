// Metric definitions against hand-computed values (trec_eval semantics), and
// MetricSpec name parsing.
#include "core/eval/metrics.h"

#include <QtTest>

#include <QElapsedTimer>

#include <cmath>

using namespace rag;

namespace {

// "a:3 b:2 n:0" -> {a: 3, b: 2, n: 0}
std::map<std::string, int> judgementsFrom(const QString &spec)
{
    std::map<std::string, int> judgements;
    for (const QString &item : spec.split(' ', Qt::SkipEmptyParts)) {
        const auto parts = item.split(':');
        judgements[parts[0].toStdString()] = parts[1].toInt();
    }
    return judgements;
}

// "x a n" -> ranking with descending scores (score irrelevant to the metrics).
Ranking rankingFrom(const QString &spec)
{
    Ranking ranking;
    double score = 100.0;
    for (const QString &doc : spec.split(' ', Qt::SkipEmptyParts))
        ranking.push_back(ScoredDoc{doc.toStdString(), score--});
    return ranking;
}

double lg(double x)
{
    return std::log2(x);
}

} // namespace

class TestMetrics : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void singleQuery_data();
    void singleQuery();
    void givenOrderIsTheRanking();
    void evaluateAveragesAndCounts();
    void queriesWithoutRelevantCanBeIncluded();
    void largeRunHasKnownMeans();
    void parseNames_data();
    void parseNames();
    void parseRejects_data();
    void parseRejects();
};

void TestMetrics::singleQuery_data()
{
    QTest::addColumn<QString>("qrels");
    QTest::addColumn<QString>("ranking");
    QTest::addColumn<QString>("metric");
    QTest::addColumn<double>("expected");

    // Q: judged a=3 b=2 c=1 n=0; ranking x a n c b (x unjudged).
    // Relevance by rank: 0 3 0 1 2. Relevant judged R = 3.
    const QString q = QStringLiteral("a:3 b:2 c:1 n:0");
    const QString r = QStringLiteral("x a n c b");
    // DCG@5 = 3/log2(3) + 1/log2(5) + 2/log2(6) = 1.89279 + 0.43068 + 0.77371 = 3.09717
    // IDCG  = 3/log2(2) + 2/log2(3) + 1/log2(4) = 3 + 1.26186 + 0.5         = 4.76186
    // nDCG@5 = 0.650412
    const double idcg = 3 + 2 / lg(3) + 1 / lg(4);
    QTest::newRow("graded ndcg@5") << q << r << "ndcg@5" << (3 / lg(3) + 1 / lg(5) + 2 / lg(6)) / idcg;
    // Fewer retrieved (5) than k (10): same sums as @5.
    QTest::newRow("graded ndcg@10, fewer retrieved than k") << q << r << "ndcg@10"
                                                            << (3 / lg(3) + 1 / lg(5) + 2 / lg(6)) / idcg;
    QTest::newRow("graded ndcg, whole list") << q << r << "ndcg" << (3 / lg(3) + 1 / lg(5) + 2 / lg(6)) / idcg;
    // nDCG@2: DCG = 3/log2(3) = 1.89279; ideal cut at 2: 3 + 2/log2(3) = 4.26186 -> 0.444123
    QTest::newRow("graded ndcg@2, ideal cut at k") << q << r << "ndcg@2" << (3 / lg(3)) / (3 + 2 / lg(3));
    QTest::newRow("recall@2") << q << r << "recall@2" << 1.0 / 3;  // a only
    QTest::newRow("recall@5") << q << r << "recall@5" << 1.0;
    QTest::newRow("recall, whole list") << q << r << "recall" << 1.0;
    QTest::newRow("p@2") << q << r << "p@2" << 0.5;
    QTest::newRow("p@5") << q << r << "p@5" << 0.6;              // a c b
    QTest::newRow("p@10 divides by k") << q << r << "p@10" << 0.3;  // 3/10, not 3/5
    QTest::newRow("mrr") << q << r << "mrr" << 0.5;             // first relevant at rank 2
    QTest::newRow("mrr@1") << q << r << "mrr@1" << 0.0;
    // AP = (1/2 + 2/4 + 3/5) / 3 = 1.6 / 3 = 0.533333
    QTest::newRow("map") << q << r << "map" << 1.6 / 3;
    // map@4 = (1/2 + 2/4) / 3: the divisor stays R = 3
    QTest::newRow("map@4") << q << r << "map@4" << 1.0 / 3;
    QTest::newRow("hit@1") << q << r << "hit@1" << 0.0;
    QTest::newRow("hit@2") << q << r << "hit@2" << 1.0;

    // More relevant docs judged than k: a=2 b=2 c=2 d=1, ranking d a.
    // DCG@2 = 1 + 2/log2(3) = 2.26186; IDCG@2 = 2 + 2/log2(3) = 3.26186 -> 0.693426
    QTest::newRow("ideal fills k from the best grades") << "a:2 b:2 c:2 d:1" << "d a" << "ndcg@2"
                                                        << (1 + 2 / lg(3)) / (2 + 2 / lg(3));
    QTest::newRow("recall@2 of four relevant") << "a:2 b:2 c:2 d:1" << "d a" << "recall@2" << 0.5;
    // Ties in grades: a=1 b=1, ranking b a: DCG = IDCG -> 1.
    QTest::newRow("tied grades in any order") << "a:1 b:1" << "b a" << "ndcg@10" << 1.0;

    // No retrieved documents: every metric is 0.
    for (const char *metric : {"ndcg@10", "recall@100", "p@10", "mrr", "map", "hit@10"})
        QTest::newRow(qPrintable(QStringLiteral("nothing retrieved: %1").arg(metric))) << "a:1" << "" << metric << 0.0;
    // No relevant documents judged: nothing can score, every metric is 0.
    for (const char *metric : {"ndcg@10", "recall@100", "p@10", "mrr", "map", "hit@10"})
        QTest::newRow(qPrintable(QStringLiteral("no relevant judged: %1").arg(metric)))
            << "a:0 b:-1" << "a b" << metric << 0.0;

    // Duplicates: a x a b with a=1 b=1 -> evaluated as a x b (first occurrence kept).
    QTest::newRow("duplicates: p@4") << "a:1 b:1" << "a x a b" << "p@4" << 0.5;       // 2/4, not 3/4
    QTest::newRow("duplicates: recall@3") << "a:1 b:1" << "a x a b" << "recall@3" << 1.0; // b closes up to rank 3
    QTest::newRow("duplicates: map") << "a:1 b:1" << "a x a b" << "map" << (1.0 + 2.0 / 3) / 2; // 0.833333
    // DCG@3 = 1 + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3) = 1.63093 -> 0.919721
    QTest::newRow("duplicates: ndcg@3") << "a:1 b:1" << "a x a b" << "ndcg@3" << 1.5 / (1 + 1 / lg(3));

    // Negative codes are judged, not relevant, and carry no gain.
    QTest::newRow("negative relevance: mrr") << "a:-1 b:1" << "a b" << "mrr" << 0.5;
    QTest::newRow("negative relevance: ndcg@2") << "a:-1 b:1" << "a b" << "ndcg@2" << 1 / lg(3); // 0.630930
    // Judged 0 is not relevant either.
    QTest::newRow("zero relevance: hit@1") << "a:0 b:1" << "a b" << "hit@1" << 0.0;
}

void TestMetrics::singleQuery()
{
    QFETCH(QString, qrels);
    QFETCH(QString, ranking);
    QFETCH(QString, metric);
    QFETCH(double, expected);

    const auto spec = MetricSpec::parse(metric.toStdString());
    QVERIFY2(spec.has_value(), qPrintable(metric));
    const auto values = evaluateQuery(judgementsFrom(qrels), rankingFrom(ranking), {*spec});
    QCOMPARE(values.size(), std::size_t(1));
    QVERIFY2(std::fabs(values[0] - expected) < 1e-12,
             qPrintable(QStringLiteral("%1 = %2, expected %3").arg(metric).arg(values[0], 0, 'g', 17).arg(expected, 0, 'g', 17)));
}

void TestMetrics::givenOrderIsTheRanking()
{
    // Scores tie, but the vector order is the ranking: b at rank 1, a at rank 2.
    const Ranking ranking{{"b", 1.0}, {"a", 1.0}};
    const auto values = evaluateQuery({{"a", 1}}, ranking, {*MetricSpec::parse("mrr")});
    QCOMPARE(values[0], 0.5);
    // Scores are not re-sorted either: a later, higher score does not move up.
    const Ranking unsorted{{"b", 1.0}, {"a", 5.0}};
    QCOMPARE(evaluateQuery({{"a", 1}}, unsorted, {*MetricSpec::parse("mrr")})[0], 0.5);
}

void TestMetrics::evaluateAveragesAndCounts()
{
    const Qrels qrels{
        {"q1", {{"a", 1}}},            // a at rank 1: mrr 1
        {"q2", {{"b", 1}, {"c", 1}}},  // c at rank 2: mrr 0.5, recall@100 0.5
        {"q3", {{"d", 1}}},            // not in the run: scored 0
        {"q4", {{"e", 0}}},            // no relevant: excluded
    };
    const Run run{
        {"q1", {{"a", 3.0}}},
        {"q2", {{"x", 2.0}, {"c", 1.0}}},
        {"q4", {{"e", 1.0}}},
        {"q9", {{"a", 1.0}}},  // not judged: ignored
    };
    const std::vector<MetricSpec> metrics{*MetricSpec::parse("mrr"), *MetricSpec::parse("recall@100")};
    const PerQueryMetrics result = evaluate(qrels, run, metrics);

    QCOMPARE(result.evaluatedQueries(), std::size_t(3));
    QCOMPARE(result.withoutResults, std::vector<std::string>{"q3"});
    QCOMPARE(result.withoutRelevant, std::vector<std::string>{"q4"});
    QCOMPARE(result.notInQrels, std::vector<std::string>{"q9"});
    QVERIFY(!result.perQuery.contains("q4"));
    // mrr: (1 + 0.5 + 0) / 3 = 0.5; recall@100: (1 + 0.5 + 0) / 3 = 0.5
    QCOMPARE(*result.mean("mrr"), 0.5);
    QCOMPARE(*result.mean("recall@100"), 0.5);
    QCOMPARE(*result.value("q2", "mrr"), 0.5);
    QCOMPARE(*result.value("q3", "recall@100"), 0.0);
    QVERIFY(!result.mean("map").has_value());
}

void TestMetrics::queriesWithoutRelevantCanBeIncluded()
{
    const Qrels qrels{{"q1", {{"a", 1}}}, {"q2", {{"b", 0}}}};
    const Run run{{"q1", {{"a", 1.0}}}, {"q2", {{"b", 1.0}}}};
    const std::vector<MetricSpec> metrics{*MetricSpec::parse("ndcg@10")};
    QCOMPARE(*evaluate(qrels, run, metrics).mean("ndcg@10"), 1.0);
    // trec_eval 9.x behaviour: q2 scores 0 and is averaged in: (1 + 0) / 2.
    const PerQueryMetrics included = evaluate(qrels, run, metrics, EvalOptions{true});
    QCOMPARE(included.evaluatedQueries(), std::size_t(2));
    QCOMPARE(*included.mean("ndcg@10"), 0.5);
    QCOMPARE(included.withoutRelevant, std::vector<std::string>{"q2"});
    // With nothing to evaluate, means are 0 rather than NaN.
    QCOMPARE(evaluate({}, run, metrics).means, std::vector<double>{0.0});
}

void TestMetrics::largeRunHasKnownMeans()
{
    // 1000 queries x 1000 retrieved docs; query q's single relevant doc sits
    // at rank r = q + 1, so every rank 1..1000 occurs once:
    //   mrr = map = (1/1 + ... + 1/1000) / 1000 = H(1000) / 1000
    //   hit@10 = 10 / 1000, recall@100 = 100 / 1000,
    //   ndcg (whole list) = sum_r 1/log2(r + 1) / 1000.
    Qrels qrels;
    Run run;
    double harmonic = 0.0, discounted = 0.0;
    for (int q = 0; q < 1000; ++q) {
        const std::string qid = "q" + std::to_string(q);
        qrels[qid]["rel"] = 1;
        Ranking &ranking = run[qid];
        ranking.reserve(1000);
        for (int i = 0; i < 1000; ++i)
            ranking.push_back(ScoredDoc{i == q ? std::string("rel") : "d" + std::to_string(i), 1000.0 - i});
        harmonic += 1.0 / (q + 1);
        discounted += 1.0 / std::log2(q + 2.0);
    }
    std::vector<MetricSpec> metrics;
    for (const char *name : {"mrr", "map", "hit@10", "recall@100", "ndcg", "ndcg@10", "p@10"})
        metrics.push_back(*MetricSpec::parse(name));
    QElapsedTimer timer;
    timer.start();
    const PerQueryMetrics result = evaluate(qrels, run, metrics);
    qInfo("evaluate: 1000 queries x 1000 docs x 7 metrics in %lld ms", static_cast<long long>(timer.elapsed()));
    QCOMPARE(result.evaluatedQueries(), std::size_t(1000));
    QVERIFY(std::fabs(*result.mean("mrr") - harmonic / 1000) < 1e-12);
    QVERIFY(std::fabs(*result.mean("map") - harmonic / 1000) < 1e-12);
    QVERIFY(std::fabs(*result.mean("hit@10") - 0.01) < 1e-12);
    QVERIFY(std::fabs(*result.mean("recall@100") - 0.1) < 1e-12);
    QVERIFY(std::fabs(*result.mean("ndcg") - discounted / 1000) < 1e-12);
    // ndcg@10: ranks 1..10 only; p@10: 10 queries with 1/10 each -> 0.001.
    double top10 = 0.0;
    for (int r = 1; r <= 10; ++r)
        top10 += 1.0 / std::log2(r + 1.0);
    QVERIFY(std::fabs(*result.mean("ndcg@10") - top10 / 1000) < 1e-12);
    QVERIFY(std::fabs(*result.mean("p@10") - 0.001) < 1e-12);
}

void TestMetrics::parseNames_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("canonical");
    QTest::newRow("ndcg@10") << "ndcg@10" << "ndcg@10";
    QTest::newRow("case-insensitive") << "nDCG@10" << "ndcg@10";
    QTest::newRow("trec_eval ndcg_cut") << "ndcg_cut.10" << "ndcg@10";
    QTest::newRow("recall@100") << "recall@100" << "recall@100";
    QTest::newRow("Recall.100") << "Recall.100" << "recall@100";
    QTest::newRow("p@10") << "p@10" << "p@10";
    QTest::newRow("P.10") << "P.10" << "p@10";
    QTest::newRow("precision@5") << "precision@5" << "p@5";
    QTest::newRow("mrr") << "mrr" << "mrr";
    QTest::newRow("recip_rank") << "recip_rank" << "mrr";
    QTest::newRow("mrr@10") << "mrr@10" << "mrr@10";
    QTest::newRow("map") << "map" << "map";
    QTest::newRow("map_cut.100") << "map_cut.100" << "map@100";
    QTest::newRow("hit@10") << "hit@10" << "hit@10";
    QTest::newRow("success.1") << "success.1" << "hit@1";
    QTest::newRow("surrounding space") << " ndcg@3 " << "ndcg@3";
    QTest::newRow("ndcg whole list") << "ndcg" << "ndcg";
}

void TestMetrics::parseNames()
{
    QFETCH(QString, input);
    QFETCH(QString, canonical);
    const auto spec = MetricSpec::parse(input.toStdString());
    QVERIFY2(spec.has_value(), spec ? "" : spec.error().message().c_str());
    QCOMPARE(QString::fromStdString(spec->name()), canonical);
    QCOMPARE(*MetricSpec::parse(spec->name()), *spec);  // canonical names parse back
}

void TestMetrics::parseRejects_data()
{
    QTest::addColumn<QString>("input");
    for (const char *bad : {"", "ndgc@10", "ndcg@", "ndcg@0", "ndcg@-3", "ndcg@ten", "ndcg@10.5", "p", "hit",
                            "p@+5", "ndcg_cut", "recall@999999999999", "mrr@10@2"})
        QTest::newRow(bad[0] ? bad : "(empty)") << QString::fromLatin1(bad);
}

void TestMetrics::parseRejects()
{
    QFETCH(QString, input);
    const auto spec = MetricSpec::parse(input.toStdString());
    QVERIFY2(!spec.has_value(), qPrintable(input));
    QCOMPARE(spec.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(QString::fromStdString(spec.error().message()).contains("\"" + input + "\""),
             spec.error().message().c_str());
}

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
