// Judge asks against the scripted OpenAI-wire judge (llm_test_server.cjs): scores
// match the rules recomputed here; a malformed first reply is re-asked exactly once
// and a schema-breaking one likewise (request counts from /__stats); a judge that
// never answers in JSON leaves the score unmeasured after maxAttempts asks; a
// provider error and missing inputs leave it unmeasured too (the latter without a
// request); repeat-N asks N times.
#include "core/generate/chatmodelfactory.h"
#include "core/generate/contextassembler.h"
#include "core/judging/judge.h"
#include "core/net/envsecretstore.h"
#include "tests/judging/judgerules.h"
#include "tests/net/testserver.h"

#include <QTest>

using namespace rag;

namespace {

const std::vector<std::string> kPassages = {
    "Mitochondria produce energy for the cell. The cell needs energy to divide.",
    "Ribosomes build proteins from amino acids.",
    "The cell produces waste that lysosomes digest.",
    "What mitochondria do is produce ATP inside each cell.",
};
const std::string kQuestion = "What do mitochondria produce for the cell?";
// Four claims, the last unsupported by the passages ("purple"): 3 of 4.
const std::string kAnswer =
    "Mitochondria produce energy [1]. The cell needs energy. Ribosomes build proteins [2]. Mitochondria are purple.";

std::string numberedContext()
{
    std::string text;
    for (std::size_t i = 0; i < kPassages.size(); ++i)
        text += passageBlock(int(i) + 1, ContextChunk{std::int64_t(i + 1), "doc-" + std::to_string(i + 1), kPassages[i],
                                                      int(i) + 1, 0.0});
    return text;
}

} // namespace

class TestJudge : public QObject {
    Q_OBJECT

private:
    test::TestServer m_server;
    std::shared_ptr<HttpClient> m_http = std::make_shared<HttpClient>();

    std::shared_ptr<const ChatModel> model(const std::string &scenario, const std::string &id)
    {
        ChatModelSettings settings;
        settings.baseUrl = m_server.url("/" + scenario + "/" + id + "/v1");
        auto made = makeChatModel("llamacpp:judge-test", settings, EnvSecretStore(), m_http);
        if (!made)
            qFatal("%s", made.error().message().c_str());
        return *made;
    }

    int requests(const std::string &scenario, const std::string &id) const
    {
        return m_server.stats(scenario, id)["requests"].get<int>();
    }

    JudgeInputs inputs() const { return JudgeInputs{kQuestion, kAnswer, numberedContext(), ""}; }

private Q_SLOTS:
    void initTestCase()
    {
        test::clearProxyEnvironment();
        const QString error = m_server.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void faithfulnessThreeOfFour()
    {
        QCOMPARE(*test::expectedFaithfulness(kAnswer, kPassages), 0.75);  // the rules agree with the hand count
        auto judgeModel = model("judge", "faith");
        UsageTotals usage;
        const Judgement j = Judge(*judgeModel, {}).judge(JudgeMetric::Faithfulness, inputs(), 4, {}, usage);
        QVERIFY2(j.score.has_value(), j.unmeasuredReason.c_str());
        QCOMPARE(*j.score, 0.75);
        QCOMPARE(j.asks, 1);
        QCOMPARE(j.promptKey, std::string("faithfulness@v1"));
        QCOMPARE(j.promptHash, defaultJudgePrompt(JudgeMetric::Faithfulness).textHash());
        QCOMPARE(j.detail["claims"].size(), std::size_t(4));
        QCOMPARE(j.detail["claims"][3]["verdict"].get<std::string>(), std::string("unsupported"));
        QCOMPARE(requests("judge", "faith"), 1);
        QCOMPARE(usage.calls, std::int64_t(1));
        QVERIFY(usage.inputTokens > 0 && usage.outputTokens > 0);
    }

    void everyMetricMatchesTheRules()
    {
        auto judgeModel = model("judge", "all");
        UsageTotals usage;
        const Judge judge(*judgeModel, {});
        JudgeInputs in = inputs();
        in.reference = "Mitochondria produce energy for the cell. They descend from bacteria.";
        const Judgement relevance = judge.judge(JudgeMetric::AnswerRelevance, in, 4, {}, usage);
        const Judgement precision = judge.judge(JudgeMetric::ContextPrecision, in, 4, {}, usage);
        const Judgement recall = judge.judge(JudgeMetric::ContextRecall, in, 4, {}, usage);
        QCOMPARE(*relevance.score, test::expectedRelevance(kQuestion, kAnswer));
        // Question words: what, mitochondria, produce, cell. Passages 1 and 4 hold at
        // least half of them: [1,0,0,1] -> (1/1 + 2/4) / 2.
        QCOMPARE(*precision.score, 0.75);
        QCOMPARE(*precision.score, *test::expectedPrecision(kQuestion, kPassages));
        QCOMPARE(*recall.score, 0.5);  // "descend from bacteria" is nowhere in the context
        QCOMPARE(*recall.score, *test::expectedRecall(in.reference, kPassages));
        QCOMPARE(requests("judge", "all"), 3);
        QCOMPARE(usage.calls, std::int64_t(3));
    }

    void malformedFirstReplyIsReaskedOnce()
    {
        auto judgeModel = model("judge-malformed-once", "reask");
        UsageTotals usage;
        const Judgement j = Judge(*judgeModel, {}).judge(JudgeMetric::Faithfulness, inputs(), 4, {}, usage);
        QVERIFY2(j.score.has_value(), j.unmeasuredReason.c_str());
        QCOMPARE(*j.score, 0.75);
        QCOMPARE(j.asks, 2);
        QCOMPARE(requests("judge-malformed-once", "reask"), 2);
        QCOMPARE(usage.calls, std::int64_t(2));
    }

    void schemaViolationIsReaskedOnce()
    {
        auto judgeModel = model("judge-schema-once", "schema");
        UsageTotals usage;
        const Judgement j = Judge(*judgeModel, {}).judge(JudgeMetric::AnswerRelevance, inputs(), 4, {}, usage);
        QVERIFY2(j.score.has_value(), j.unmeasuredReason.c_str());
        QCOMPARE(*j.score, test::expectedRelevance(kQuestion, kAnswer));
        QCOMPARE(j.asks, 2);
        QCOMPARE(requests("judge-schema-once", "schema"), 2);
    }

    void neverValidIsUnmeasuredAfterMaxAttempts_data()
    {
        QTest::addColumn<int>("maxAttempts");
        QTest::newRow("1 ask") << 1;
        QTest::newRow("3 asks") << 3;
    }

    void neverValidIsUnmeasuredAfterMaxAttempts()
    {
        QFETCH(int, maxAttempts);
        const std::string id = "never" + std::to_string(maxAttempts);
        auto judgeModel = model("judge-invalid", id);
        JudgeOptions options;
        options.maxAttempts = maxAttempts;
        UsageTotals usage;
        const Judgement j = Judge(*judgeModel, options).judge(JudgeMetric::Faithfulness, inputs(), 4, {}, usage);
        QVERIFY(!j.score.has_value());
        QCOMPARE(j.unmeasuredReason, "invalid judge reply after " + std::to_string(maxAttempts)
                                         + " asks: the reply is not valid JSON");
        QCOMPARE(j.asks, maxAttempts);
        QCOMPARE(requests("judge-invalid", id), maxAttempts);
    }

    void schemaErrorsNameThePointer()
    {
        auto judgeModel = model("judge-schema-once", "pointer");
        JudgeOptions options;
        options.maxAttempts = 1;
        UsageTotals usage;
        const Judgement j = Judge(*judgeModel, options).judge(JudgeMetric::AnswerRelevance, inputs(), 4, {}, usage);
        QVERIFY(!j.score.has_value());
        QCOMPARE(j.unmeasuredReason, std::string("invalid judge reply after 1 asks: (root): missing required property "
                                                 "\"rating\"; /verdict: unexpected property \"verdict\""));
    }

    void providerErrorIsUnmeasured()
    {
        ChatModelSettings settings;
        settings.baseUrl = m_server.url("/status-400/judge/v1");
        auto judgeModel = makeChatModel("llamacpp:judge-test", settings, EnvSecretStore(), m_http);
        QVERIFY(judgeModel.has_value());
        UsageTotals usage;
        const Judgement j = Judge(**judgeModel, {}).judge(JudgeMetric::AnswerRelevance, inputs(), 4, {}, usage);
        QVERIFY(!j.score.has_value());
        QVERIFY2(j.unmeasuredReason.starts_with("judge call failed: "), j.unmeasuredReason.c_str());
        QCOMPARE(j.asks, 1);  // a provider error is not re-asked: the reply was not the problem
        QCOMPARE(usage.calls, std::int64_t(0));
    }

    void missingInputsAreUnmeasuredWithoutAsking_data()
    {
        QTest::addColumn<int>("metric");
        QTest::addColumn<QString>("answer");
        QTest::addColumn<int>("passages");
        QTest::addColumn<QString>("reason");
        QTest::newRow("recall without reference") << int(JudgeMetric::ContextRecall) << "An answer." << 4
                                                  << "the query has no reference answer";
        QTest::newRow("faithfulness without answer") << int(JudgeMetric::Faithfulness) << "  " << 4
                                                     << "no answer to judge";
        QTest::newRow("faithfulness without context") << int(JudgeMetric::Faithfulness) << "An answer." << 0
                                                      << "no retrieved context";
        QTest::newRow("precision without context") << int(JudgeMetric::ContextPrecision) << "An answer." << 0
                                                   << "no retrieved context";
    }

    void missingInputsAreUnmeasuredWithoutAsking()
    {
        QFETCH(int, metric);
        QFETCH(QString, answer);
        QFETCH(int, passages);
        QFETCH(QString, reason);
        auto judgeModel = model("judge", "missing");
        JudgeInputs in = inputs();
        in.answer = answer.toStdString();
        UsageTotals usage;
        const Judgement j = Judge(*judgeModel, {}).judge(JudgeMetric(metric), in, passages, {}, usage);
        QVERIFY(!j.score.has_value());
        QCOMPARE(QString::fromStdString(j.unmeasuredReason), reason);
        QCOMPARE(j.asks, 0);
        QCOMPARE(requests("judge", "missing"), 0);
    }

    void repeatsAskNTimes()
    {
        auto judgeModel = model("judge", "repeat");
        JudgeOptions options;
        options.repeats = 3;
        options.temperature = 0.7;
        UsageTotals usage;
        const Judgement j = Judge(*judgeModel, options).judge(JudgeMetric::Faithfulness, inputs(), 4, {}, usage);
        QCOMPARE(j.repeats.size(), std::size_t(3));
        for (const auto &r : j.repeats)
            QCOMPARE(*r, 0.75);
        QCOMPARE(*j.score, 0.75);
        QCOMPARE(j.asks, 3);
        QCOMPARE(requests("judge", "repeat"), 3);
        const RepeatAgreement a = repeatAgreement({j.repeats});
        QCOMPARE(a.items, std::size_t(1));
        QCOMPARE(*a.meanAbsoluteDeviation, 0.0);
        QCOMPARE(*a.withinToleranceShare, 1.0);
    }
};

QTEST_GUILESS_MAIN(TestJudge)
#include "tst_judge.moc"
