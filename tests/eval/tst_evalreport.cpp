// EvalReport: building from metrics, the JSON contract (shape, key order,
// round trip, errors naming the field) and the CSV/Markdown metric tables.
#include "core/eval/evalreport.h"
#include "core/eval/reportwriters.h"

#include <QtTest>

#include <QTemporaryDir>

using namespace rag;

namespace {

EvalSet smallSet()
{
    EvalSet set;
    set.name = "tiny";
    set.split = "test";
    set.queries = {{"q1", "first"}, {"q2", "second"}};
    set.qrels = {{"q1", {{"a", 1}}}, {"q2", {{"b", 2}, {"c", 1}}}};
    return set;
}

std::vector<MetricSpec> specs(std::initializer_list<const char *> names)
{
    std::vector<MetricSpec> out;
    for (const char *name : names)
        out.push_back(*MetricSpec::parse(name));
    return out;
}

EvalReport smallReport()
{
    const EvalSet set = smallSet();
    // q1: a at rank 1 -> mrr 1, hit@1 1. q2: x, c, b -> mrr 1/2, hit@1 0.
    const Run run{{"q1", {{"a", 2.0}, {"z", 1.0}}}, {"q2", {{"x", 3.0}, {"c", 2.0}, {"x", 1.5}, {"b", 1.0}}}};
    EvalReport report = EvalReport::fromMetrics(set, evaluate(set.qrels, run, specs({"mrr", "hit@1"})), run, 2);
    report.engineVersion = "0.1.0";
    report.config = {{"retriever", "bm25"}, {"k1", 0.9}};
    report.timingsMs = {{"retrieve", 12.5}, {"evaluate", 0.25}};
    return report;
}

} // namespace

class TestEvalReport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fromMetricsFillsEverything();
    void jsonShapeIsTheContract();
    void jsonRoundTrip();
    void fromJsonErrorsNameTheField_data();
    void fromJsonErrorsNameTheField();
    void optionalFieldsMayBeAbsent();
    void csvTable();
    void markdownTable();
};

void TestEvalReport::fromMetricsFillsEverything()
{
    const EvalReport report = smallReport();
    QCOMPARE(report.metricNames, (std::vector<std::string>{"mrr", "hit@1"}));
    QCOMPARE(report.metrics.at("mrr"), 0.75);   // (1 + 1/2) / 2
    QCOMPARE(report.metrics.at("hit@1"), 0.5);  // (1 + 0) / 2
    QCOMPARE(report.queries, std::size_t(2));
    QCOMPARE(report.perQuery.at("q2").at("mrr"), 0.5);
    // Top 2 of each ranking, duplicates removed.
    QCOMPARE(report.rankings.at("q2"), (Ranking{{"x", 3.0}, {"c", 2.0}}));
    QCOMPARE(report.counts, (EvalCounts{2, 0, 0, 0}));
    QCOMPARE(report.evalSet, (EvalSetInfo{"tiny", smallSet().hash(), "test"}));
}

void TestEvalReport::jsonShapeIsTheContract()
{
    const nlohmann::ordered_json json = smallReport().toJson();
    std::vector<std::string> keys;
    for (const auto &[key, value] : json.items())
        keys.push_back(key);
    QCOMPARE(keys, (std::vector<std::string>{"metrics", "queries", "per_query", "eval_set", "config", "engine_version",
                                             "timings_ms", "counts", "rankings"}));
    QCOMPARE(json["metrics"].dump(), std::string(R"({"mrr":0.75,"hit@1":0.5})"));  // evaluation order
    QCOMPARE(json["queries"].get<int>(), 2);
    QCOMPARE(json["per_query"].dump(), std::string(R"({"q1":{"mrr":1.0,"hit@1":1.0},"q2":{"mrr":0.5,"hit@1":0.0}})"));
    QCOMPARE(json["eval_set"]["name"].get<std::string>(), std::string("tiny"));
    QCOMPARE(json["eval_set"]["split"].get<std::string>(), std::string("test"));
    QCOMPARE(json["eval_set"]["hash"].get<std::string>().size(), std::size_t(64));
    QCOMPARE(json["config"].dump(), std::string(R"({"retriever":"bm25","k1":0.9})"));
    QCOMPARE(json["engine_version"].get<std::string>(), std::string("0.1.0"));
    QCOMPARE(json["timings_ms"].dump(), std::string(R"({"evaluate":0.25,"retrieve":12.5})"));
    QCOMPARE(json["rankings"]["q1"].dump(), std::string(R"([{"doc":"a","score":2.0},{"doc":"z","score":1.0}])"));
}

void TestEvalReport::jsonRoundTrip()
{
    const EvalReport report = smallReport();
    const auto back = EvalReport::fromJsonText(report.toJsonText(), "mem");
    QVERIFY2(back.has_value(), back ? "" : back.error().message().c_str());
    QVERIFY(*back == report);

    QTemporaryDir dir;
    const std::string path = dir.filePath("report.json").toStdString();
    QVERIFY(report.save(path).has_value());
    const auto loaded = EvalReport::load(path);
    QVERIFY(loaded.has_value());
    QVERIFY(*loaded == report);
    QCOMPARE(EvalReport::load(dir.filePath("none.json").toStdString()).error().code, ErrorCode::NotFound);
}

void TestEvalReport::fromJsonErrorsNameTheField_data()
{
    QTest::addColumn<QString>("pointer");  // JSON pointer to change
    QTest::addColumn<QString>("value");    // replacement JSON, or "" to remove
    QTest::addColumn<QString>("field");
    QTest::newRow("metrics missing") << "/metrics" << "" << "metrics";
    QTest::newRow("metric not a number") << "/metrics/mrr" << "\"high\"" << "metrics.mrr";
    QTest::newRow("per-query value null") << "/per_query/q2/hit@1" << "null" << "per_query.q2.hit@1";
    QTest::newRow("queries negative") << "/queries" << "-1" << "queries";
    QTest::newRow("queries disagrees with per_query") << "/queries" << "3" << "queries";
    QTest::newRow("hash missing") << "/eval_set/hash" << "" << "eval_set.hash";
    QTest::newRow("engine version number") << "/engine_version" << "1" << "engine_version";
    QTest::newRow("config not an object") << "/config" << "[]" << "config";
    QTest::newRow("ranking score string") << "/rankings/q1/0/score" << "\"2\"" << "rankings.q1[0].score";
    QTest::newRow("counts negative") << "/counts/without_results" << "-4" << "counts.without_results";
}

void TestEvalReport::fromJsonErrorsNameTheField()
{
    QFETCH(QString, pointer);
    QFETCH(QString, value);
    QFETCH(QString, field);
    nlohmann::ordered_json json = smallReport().toJson();
    const nlohmann::ordered_json::json_pointer where(pointer.toStdString());
    if (value.isEmpty())
        json[where.parent_pointer()].erase(where.back());
    else
        json[where] = nlohmann::ordered_json::parse(value.toStdString());
    const auto report = EvalReport::fromJson(json, "OUT.json");
    QVERIFY(!report.has_value());
    QCOMPARE(report.error().code, ErrorCode::Parse);
    QCOMPARE(QString::fromStdString(report.error().source), "OUT.json: " + field);
}

void TestEvalReport::optionalFieldsMayBeAbsent()
{
    const auto report = EvalReport::fromJsonText(
        R"({"metrics": {"ndcg@10": 0.5}, "queries": 1, "per_query": {"7": {"ndcg@10": 0.5}},
            "eval_set": {"name": "n", "hash": "h", "split": ""}, "engine_version": "0.1.0"})");
    QVERIFY2(report.has_value(), report ? "" : report.error().message().c_str());
    QCOMPARE(report->counts.evaluated, std::size_t(1));
    QVERIFY(report->rankings.empty());
    QVERIFY(report->config.is_object() && report->config.empty());
    QCOMPARE(EvalReport::fromJsonText("{not json", "x.json").error().code, ErrorCode::Parse);
}

void TestEvalReport::csvTable()
{
    QCOMPARE(metricTableCsv(smallReport()), std::string("metric,value\nmrr,0.75\nhit@1,0.5\nqueries,2\n"));
    EvalReport odd = smallReport();
    odd.metricNames = {"a,b"};
    odd.metrics = {{"a,b", 1.0 / 3}};
    QCOMPARE(metricTableCsv(odd), std::string("metric,value\n\"a,b\",0.3333333333333333\nqueries,2\n"));
}

void TestEvalReport::markdownTable()
{
    const EvalReport report = smallReport();
    QCOMPARE(metricTableMarkdown(report), "| metric | value |\n| --- | ---: |\n| mrr | 0.7500 |\n| hit@1 | 0.5000 |\n"
                                          "| queries | 2 |\n\nEval set: tiny / test ("
                                              + report.evalSet.hash.substr(0, 12) + ")\n");
}

QTEST_GUILESS_MAIN(TestEvalReport)
#include "tst_evalreport.moc"
