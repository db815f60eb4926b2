// The judged metrics' arithmetic, checked against hand-computed values: shares,
// average precision (order matters), the 1–5 rating map, measured-only aggregates,
// repeat agreement; reply extraction (fences) and scoring of validated replies,
// including the rules a schema cannot express; judge prompt keys and hashes.
#include "core/judging/judge.h"
#include "core/judging/judgemetrics.h"
#include "core/judging/judgeprompt.h"

#include <QTest>

#include <cmath>

using namespace rag;
using Json = nlohmann::json;

namespace {

using Scores = std::vector<std::optional<double>>;

bool near(double a, double b) { return std::abs(a - b) < 1e-12; }

} // namespace

class TestJudgeMetrics : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void shares_data()
    {
        QTest::addColumn<std::vector<bool>>("verdicts");
        QTest::addColumn<double>("expected");  // -1: unmeasured
        QTest::newRow("3 of 4 supported") << std::vector<bool>{true, true, false, true} << 0.75;
        QTest::newRow("none") << std::vector<bool>{false, false} << 0.0;
        QTest::newRow("all") << std::vector<bool>{true} << 1.0;
        QTest::newRow("no claims") << std::vector<bool>{} << -1.0;
    }

    void shares()
    {
        QFETCH(std::vector<bool>, verdicts);
        QFETCH(double, expected);
        const auto got = shareTrue(verdicts);
        QCOMPARE(got.has_value(), expected >= 0);
        if (got)
            QVERIFY(near(*got, expected));
    }

    void averagePrecisionByHand_data()
    {
        QTest::addColumn<std::vector<bool>>("relevant");
        QTest::addColumn<double>("expected");
        QTest::newRow("[1,0,1]") << std::vector<bool>{true, false, true} << (1.0 / 1 + 2.0 / 3) / 2;
        QTest::newRow("[0,1,1]: same set, worse order") << std::vector<bool>{false, true, true} << (1.0 / 2 + 2.0 / 3) / 2;
        QTest::newRow("[1,1,0,0]") << std::vector<bool>{true, true, false, false} << 1.0;
        QTest::newRow("[0,0,0,1]") << std::vector<bool>{false, false, false, true} << 0.25;
        QTest::newRow("none relevant") << std::vector<bool>{false, false} << 0.0;
    }

    void averagePrecisionByHand()
    {
        QFETCH(std::vector<bool>, relevant);
        QFETCH(double, expected);
        const auto got = averagePrecision(relevant);
        QVERIFY(got.has_value());
        QVERIFY2(near(*got, expected), qPrintable(QString::number(*got, 'g', 17)));
        QVERIFY(!averagePrecision({}).has_value());
    }

    void ratings()
    {
        QCOMPARE(*ratingToUnit(1), 0.0);
        QCOMPARE(*ratingToUnit(2), 0.25);
        QCOMPARE(*ratingToUnit(3), 0.5);
        QCOMPARE(*ratingToUnit(5), 1.0);
        QVERIFY(!ratingToUnit(0).has_value());
        QVERIFY(!ratingToUnit(6).has_value());
    }

    void aggregatesAverageMeasuredOnly()
    {
        const MetricAggregate a = aggregateScores({0.5, std::nullopt, 1.0, std::nullopt, 0.0});
        QCOMPARE(a.measured, std::size_t(3));
        QCOMPARE(a.unmeasured, std::size_t(2));
        QVERIFY(near(*a.mean, 0.5));  // (0.5 + 1 + 0) / 3, not / 5
        const MetricAggregate none = aggregateScores({std::nullopt});
        QVERIFY(!none.mean.has_value());
        QCOMPARE(none.unmeasured, std::size_t(1));
        QVERIFY(near(*meanOfMeasured({0.25, std::nullopt, 0.75}), 0.5));
    }

    void repeatAgreementByHand()
    {
        // Item A: [0.5, 1.0] -> mean 0.75, MAD 0.25, range 0.5 (disagrees).
        // Item B: [1, 1, 1] -> MAD 0, agrees.
        // Item C: [0.2, 0.25, 0.3] -> mean 0.25, MAD 0.1/3, range 0.1 (agrees: within 0.1).
        // Item D: [0.4, unmeasured] -> one measured repeat: not compared.
        const RepeatAgreement a = repeatAgreement({{0.5, 1.0}, {1.0, 1.0, 1.0}, {0.2, 0.25, 0.3}, {0.4, std::nullopt}});
        QCOMPARE(a.items, std::size_t(3));
        QVERIFY2(near(*a.meanAbsoluteDeviation, (0.25 + 0.0 + 0.1 / 3) / 3),
                 qPrintable(QString::number(*a.meanAbsoluteDeviation, 'g', 17)));
        QVERIFY(near(*a.withinToleranceShare, 2.0 / 3));
        QCOMPARE(a.tolerance, 0.1);

        const RepeatAgreement strict = repeatAgreement({{0.2, 0.25, 0.3}}, 0.05);
        QCOMPARE(*strict.withinToleranceShare, 0.0);
        const RepeatAgreement single = repeatAgreement({{0.5}, {std::nullopt, std::nullopt}});
        QCOMPARE(single.items, std::size_t(0));
        QVERIFY(!single.meanAbsoluteDeviation.has_value());
        QVERIFY(!single.withinToleranceShare.has_value());
    }

    void extractsJsonFromReplies_data()
    {
        QTest::addColumn<QString>("reply");
        QTest::addColumn<bool>("ok");
        QTest::newRow("plain") << R"({"rating": 4})" << true;
        QTest::newRow("json fence") << "```json\n{\"rating\": 4}\n```" << true;
        QTest::newRow("bare fence with prose") << "Sure:\n```\n{\"rating\": 4}\n```\nHope this helps." << true;
        QTest::newRow("prose around an object") << "My verdict is {\"rating\": 4}." << true;
        QTest::newRow("cut off") << R"(Here: {"rating": )" << false;
        QTest::newRow("no JSON") << "I cannot judge this." << false;
    }

    void extractsJsonFromReplies()
    {
        QFETCH(QString, reply);
        QFETCH(bool, ok);
        auto json = extractJudgeJson(reply.toStdString());
        QCOMPARE(json.has_value(), ok);
        if (ok)
            QCOMPARE((*json)["rating"].get<int>(), 4);
        else
            QCOMPARE(json.error().code, ErrorCode::Parse);
    }

    void scoresValidatedReplies()
    {
        auto faith = scoreJudgeReply(JudgeMetric::Faithfulness, Json::parse(R"({"claims": [
            {"claim": "a", "verdict": "supported"}, {"claim": "b", "verdict": "supported"},
            {"claim": "c", "verdict": "unsupported"}, {"claim": "d", "verdict": "supported"}]})"), 2);
        QVERIFY(faith.has_value());
        QCOMPARE(*faith->value, 0.75);
        auto noClaims = scoreJudgeReply(JudgeMetric::Faithfulness, Json::parse(R"({"claims": []})"), 2);
        QVERIFY(noClaims.has_value() && !noClaims->value.has_value());
        QCOMPARE(noClaims->reason, std::string("the answer states no claims"));

        auto relevance = scoreJudgeReply(JudgeMetric::AnswerRelevance, Json::parse(R"({"rating": 4})"), 0);
        QCOMPARE(*relevance->value, 0.75);

        // Verdicts given out of order are read back in rank order: [1,0,1].
        auto precision = scoreJudgeReply(JudgeMetric::ContextPrecision, Json::parse(R"({"verdicts": [
            {"passage": 3, "relevant": true}, {"passage": 1, "relevant": true}, {"passage": 2, "relevant": false}]})"), 3);
        QVERIFY(precision.has_value());
        QVERIFY(near(*precision->value, (1.0 + 2.0 / 3) / 2));

        auto recall = scoreJudgeReply(JudgeMetric::ContextRecall, Json::parse(R"({"statements": [
            {"statement": "a", "attributed": true}, {"statement": "b", "attributed": false}]})"), 1);
        QCOMPARE(*recall->value, 0.5);
    }

    void refusesRepliesBreakingRulesBeyondTheSchema_data()
    {
        QTest::addColumn<QString>("reply");
        QTest::addColumn<QString>("source");
        QTest::newRow("missing passage") << R"({"verdicts": [{"passage": 1, "relevant": true}]})" << "/verdicts";
        QTest::newRow("duplicate passage")
            << R"({"verdicts": [{"passage": 1, "relevant": true}, {"passage": 1, "relevant": false}]})"
            << "/verdicts/1/passage";
        QTest::newRow("no such passage")
            << R"({"verdicts": [{"passage": 1, "relevant": true}, {"passage": 3, "relevant": false}]})"
            << "/verdicts/1/passage";
    }

    void refusesRepliesBreakingRulesBeyondTheSchema()
    {
        QFETCH(QString, reply);
        QFETCH(QString, source);
        auto scored = scoreJudgeReply(JudgeMetric::ContextPrecision, Json::parse(reply.toStdString()), 2);
        QVERIFY(!scored.has_value());
        QCOMPARE(QString::fromStdString(scored.error().source), source);
    }

    void promptsAreVersionedAndHashed()
    {
        QCOMPARE(builtinJudgePrompts().size(), std::size_t(4));
        for (JudgeMetric metric : kJudgeMetrics) {
            const JudgePrompt &p = defaultJudgePrompt(metric);
            QCOMPARE(p.metric, metric);
            QCOMPARE(p.key(), std::string(judgePromptId(metric)) + "@v1");
            QVERIFY(p.system.starts_with("judge-prompt: " + p.key() + "\n"));
            QCOMPARE(p.textHash().size(), std::size_t(64));
            auto found = findJudgePrompt(p.key());
            QVERIFY(found.has_value());
            QCOMPARE(found->textHash(), p.textHash());
            JudgePrompt reworded = p;
            reworded.user += " ";
            QVERIFY(reworded.textHash() != p.textHash());
        }
        QCOMPARE(findJudgePrompt("faithfulness")->key(), std::string("faithfulness@v1"));
        QCOMPARE(findJudgePrompt("faithfulness@v9").error().code, ErrorCode::NotFound);
        QCOMPARE(findJudgePrompt("faithfulness@vx").error().code, ErrorCode::InvalidArgument);
        QCOMPARE(std::string(judgeMetricName(JudgeMetric::ContextPrecision)), std::string("context_precision"));
    }

    void renderFillsPlaceholdersOnce()
    {
        const JudgePrompt &p = defaultJudgePrompt(JudgeMetric::Faithfulness);
        // An answer that itself contains "{context}" must not be expanded.
        const auto messages = p.render(JudgeInputs{"Why?", "Because {context} [1].", "[1] (source: d)\nText.\n\n", ""});
        QCOMPARE(messages.size(), std::size_t(2));
        QCOMPARE(messages[0].content, p.system);
        QVERIFY(messages[1].content.find("<answer>\nBecause {context} [1].\n</answer>") != std::string::npos);
        QVERIFY(messages[1].content.find("<context>\n[1] (source: d)\nText.\n\n</context>") != std::string::npos);
        QVERIFY(messages[1].content.find("<question>\nWhy?\n</question>") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestJudgeMetrics)
#include "tst_judgemetrics.moc"
