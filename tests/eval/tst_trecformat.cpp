// TREC run and qrels files: the writer's strictly decreasing scores, round
// trips through the reader, trec_eval's ordering, and parse errors.
#include "core/eval/trecformat.h"

#include <QtTest>

#include <QTemporaryDir>

#include <cmath>
#include <random>

using namespace rag;

namespace {

std::vector<std::string> idsOf(const Ranking &ranking)
{
    std::vector<std::string> ids;
    for (const ScoredDoc &doc : ranking)
        ids.push_back(doc.docId);
    return ids;
}

} // namespace

class TestTrecFormat : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void writesExactLines();
    void tiesAreBrokenByLoweringScores();
    void randomRunsRoundTrip();
    void trecEvalOrder_data();
    void trecEvalOrder();
    void writerRejects_data();
    void writerRejects();
    void runParseErrors_data();
    void runParseErrors();
    void qrelsRoundTrip();
    void qrelsConflicts();
    void filesRoundTrip();
};

void TestTrecFormat::writesExactLines()
{
    const Run run{{"q2", {{"d9", 2.5}, {"d1", 0.125}}}, {"q1", {{"x", -1.0}}}, {"q3", {}}};
    const auto text = formatTrecRun(run, "bm25");
    QVERIFY(text.has_value());
    // Queries in id order, ranks from 1, shortest round-trip scores, empty ranking omitted.
    QCOMPARE(*text, std::string("q1 Q0 x 1 -1 bm25\n"
                                "q2 Q0 d9 1 2.5 bm25\n"
                                "q2 Q0 d1 2 0.125 bm25\n"));
}

void TestTrecFormat::tiesAreBrokenByLoweringScores()
{
    // Ties (a, c, b all 1.0) in an order trec_eval would not pick (it would
    // put c, b, a first: docid descending), a score that rises (e: 3.0 after
    // 1.0), and a duplicate (a again).
    const Ranking ranking{{"a", 1.0}, {"c", 1.0}, {"b", 1.0}, {"a", 0.5}, {"e", 3.0}, {"f", 0.25}};
    const auto text = formatTrecRun({{"q", ranking}}, "t");
    QVERIFY(text.has_value());
    const auto parsed = parseTrecRun(*text, "mem");
    QVERIFY2(parsed.has_value(), parsed ? "" : parsed.error().message().c_str());
    const Ranking &read = parsed->at("q");
    // trec_eval's order (what parseTrecRun applies) equals our order, duplicate dropped.
    QCOMPARE(idsOf(read), (std::vector<std::string>{"a", "c", "b", "e", "f"}));
    for (std::size_t i = 1; i < read.size(); ++i)
        QVERIFY(read[i].score < read[i - 1].score);
    // Scores that were already lower are written exactly; tied ones move by one ulp each.
    QCOMPARE(read[0].score, 1.0);
    QCOMPARE(read[1].score, std::nextafter(1.0, 0.0));
    QCOMPARE(read[2].score, std::nextafter(std::nextafter(1.0, 0.0), 0.0));
    QCOMPARE(read[3].score, std::nextafter(read[2].score, 0.0));  // e's 3.0 is lowered below b's score
    QCOMPARE(read[4].score, 0.25);
}

void TestTrecFormat::randomRunsRoundTrip()
{
    // 200 queries, 0..300 docs each, coarse scores (many ties), random tie
    // order, occasional duplicates and negative scores.
    std::mt19937_64 rng(7);
    Run run;
    for (int q = 0; q < 200; ++q) {
        Ranking ranking;
        const int length = int(rng() % 301);
        for (int i = 0; i < length; ++i)
            ranking.push_back(ScoredDoc{"doc" + std::to_string(rng() % 500), double(int(rng() % 21) - 5) / 4.0});
        std::stable_sort(ranking.begin(), ranking.end(),
                         [](const ScoredDoc &a, const ScoredDoc &b) { return a.score > b.score; });
        run["q" + std::to_string(q)] = std::move(ranking);
    }
    const auto text = formatTrecRun(run, "random");
    QVERIFY(text.has_value());
    const auto parsed = parseTrecRun(*text, "mem");
    QVERIFY(parsed.has_value());
    std::size_t compared = 0;
    for (const auto &[qid, ranking] : run) {
        const Ranking unique = withoutDuplicates(ranking);
        if (unique.empty()) {
            QVERIFY(!parsed->contains(qid));
            continue;
        }
        const Ranking &read = parsed->at(qid);
        QCOMPARE(idsOf(read), idsOf(unique));
        for (std::size_t i = 0; i < read.size(); ++i) {
            QVERIFY(std::fabs(read[i].score - unique[i].score) < 1e-9);  // only ulps moved
            if (i > 0)
                QVERIFY(read[i].score < read[i - 1].score);
        }
        compared += read.size();
    }
    QVERIFY(compared > 20000);
}

void TestTrecFormat::trecEvalOrder_data()
{
    QTest::addColumn<QString>("input");     // doc:score ...
    QTest::addColumn<QString>("expected");  // doc ids in trec_eval order
    QTest::newRow("score descending") << "a:1 b:3 c:2" << "b c a";
    QTest::newRow("ties by docid descending") << "a:1 c:1 b:1" << "c b a";
    QTest::newRow("docids compare as strings") << "9:1 10:1 100:1" << "9 100 10";
    QTest::newRow("negative scores") << "a:-2 b:-1 c:-1.5" << "b c a";
    QTest::newRow("bytewise, uppercase before lowercase") << "B:0 a:0" << "a B";
}

void TestTrecFormat::trecEvalOrder()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    Ranking ranking;
    for (const QString &item : input.split(' ')) {
        const auto parts = item.split(':');
        ranking.push_back(ScoredDoc{parts[0].toStdString(), parts[1].toDouble()});
    }
    QStringList order;
    for (const ScoredDoc &doc : rag::trecEvalOrder(ranking))
        order << QString::fromStdString(doc.docId);
    QCOMPARE(order.join(' '), expected);
}

void TestTrecFormat::writerRejects_data()
{
    QTest::addColumn<QString>("qid");
    QTest::addColumn<QString>("docId");
    QTest::addColumn<double>("score");
    QTest::addColumn<QString>("tag");
    QTest::newRow("space in doc id") << "q" << "doc 1" << 1.0 << "t";
    QTest::newRow("empty doc id") << "q" << "" << 1.0 << "t";
    QTest::newRow("tab in query id") << "q\t1" << "d" << 1.0 << "t";
    QTest::newRow("empty tag") << "q" << "d" << 1.0 << "";
    QTest::newRow("space in tag") << "q" << "d" << 1.0 << "my run";
    QTest::newRow("NaN score") << "q" << "d" << std::nan("") << "t";
    QTest::newRow("infinite score") << "q" << "d" << HUGE_VAL << "t";
}

void TestTrecFormat::writerRejects()
{
    QFETCH(QString, qid);
    QFETCH(QString, docId);
    QFETCH(double, score);
    QFETCH(QString, tag);
    const auto text = formatTrecRun({{qid.toStdString(), {{docId.toStdString(), score}}}}, tag.toStdString());
    QVERIFY(!text.has_value());
    QCOMPARE(text.error().code, ErrorCode::InvalidArgument);
}

void TestTrecFormat::runParseErrors_data()
{
    QTest::addColumn<QString>("content");
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("detailPart");
    QTest::newRow("five fields") << "q Q0 a 1 2.0 t\n\nq Q0 b 2 1.0\n" << "run.txt:3" << "expected 6 fields";
    QTest::newRow("bad score") << "q Q0 a 1 high t\n" << "run.txt:1" << "not a finite number";
    QTest::newRow("nan score") << "q Q0 a 1 nan t\n" << "run.txt:1" << "not a finite number";
    QTest::newRow("duplicate doc") << "q Q0 a 1 2 t\nq Q0 b 2 1 t\nq Q0 a 3 0 t\n" << "run.txt:3" << "listed twice";
}

void TestTrecFormat::runParseErrors()
{
    QFETCH(QString, content);
    QFETCH(QString, source);
    QFETCH(QString, detailPart);
    const auto run = parseTrecRun(content.toStdString(), "run.txt");
    QVERIFY(!run.has_value());
    QCOMPARE(run.error().code, ErrorCode::Parse);
    QCOMPARE(QString::fromStdString(run.error().source), source);
    QVERIFY2(QString::fromStdString(run.error().detail).contains(detailPart), run.error().message().c_str());
}

void TestTrecFormat::qrelsRoundTrip()
{
    const Qrels qrels{{"q1", {{"d1", 2}, {"d2", 0}, {"d3", -1}}}, {"q10", {{"x", 1}}}};
    const auto text = formatTrecQrels(qrels);
    QVERIFY(text.has_value());
    QCOMPARE(*text, std::string("q1 0 d1 2\nq1 0 d2 0\nq1 0 d3 -1\nq10 0 x 1\n"));
    const auto parsed = parseTrecQrels(*text, "qrels");
    QVERIFY(parsed.has_value());
    QCOMPARE(*parsed, qrels);
    // Tabs, CRLF and any iteration column are accepted; an identical repeat is harmless.
    const auto loose = parseTrecQrels("q1\tQ0\td1\t2\r\nq1 7 d1 2\r\n", "qrels");
    QVERIFY(loose.has_value());
    QCOMPARE(*loose, (Qrels{{"q1", {{"d1", 2}}}}));
}

void TestTrecFormat::qrelsConflicts()
{
    auto parsed = parseTrecQrels("q1 0 d1 2\nq1 0 d1 1\n", "qrels.txt");
    QVERIFY(!parsed.has_value());
    QCOMPARE(parsed.error().source, std::string("qrels.txt:2"));
    parsed = parseTrecQrels("q1 0 d1\n", "qrels.txt");
    QVERIFY(!parsed.has_value());
    QCOMPARE(parsed.error().source, std::string("qrels.txt:1"));
    parsed = parseTrecQrels("q1 0 d1 1.5\n", "qrels.txt");
    QVERIFY(!parsed.has_value());
    QVERIFY(formatTrecQrels({{"q 1", {{"d", 1}}}}).error().code == ErrorCode::InvalidArgument);
}

void TestTrecFormat::filesRoundTrip()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string runPath = dir.filePath("run.trec").toStdString();
    const std::string qrelsPath = dir.filePath("qrels.trec").toStdString();
    const Run run{{"q1", {{"b", 2.0}, {"a", 1.0}}}, {"q2", {{"c", 0.5}}}};
    QVERIFY(writeTrecRun(runPath, run, "tag").has_value());
    const auto readRun = readTrecRun(runPath);
    QVERIFY(readRun.has_value());
    QCOMPARE(*readRun, run);
    const Qrels qrels{{"q1", {{"a", 1}}}};
    QVERIFY(writeTrecQrels(qrelsPath, qrels).has_value());
    QCOMPARE(*readTrecQrels(qrelsPath), qrels);
    QCOMPARE(readTrecRun(dir.filePath("missing").toStdString()).error().code, ErrorCode::NotFound);
    QCOMPARE(writeTrecRun(dir.filePath("no/such/dir/run").toStdString(), run, "t").error().code, ErrorCode::Io);
}

QTEST_GUILESS_MAIN(TestTrecFormat)
#include "tst_trecformat.moc"
