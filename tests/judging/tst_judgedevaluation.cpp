// An answered-and-judged evaluation end to end: a small QA set (reference answers
// for some queries) imported into a temporary project, retrieved with BM25,
// answered through the OpenAI wire by the scripted server (and extractively), and
// judged by the scripted judge with repeat-2. Every score is recomputed here from
// the recorded answer and passages with the judge's rules; a query the judge never
// answers in JSON is unmeasured and left out of the means; a query without a
// reference answer has context recall unmeasured; the run is recorded with its
// "judged" section; a cancelled evaluation records no run.
#include "core/chunking/chunkerconfig.h"
#include "core/common/assets.h"
#include "core/eval/qasetreader.h"
#include "core/generate/chatmodelfactory.h"
#include "core/judging/judgedevaluation.h"
#include "core/net/envsecretstore.h"
#include "core/pipeline/evalsetimport.h"
#include "core/pipeline/ingestion.h"
#include "core/store/chunkrepository.h"
#include "core/store/documentrepository.h"
#include "core/store/evalrepository.h"
#include "core/store/project.h"
#include "core/tokenize/bpetokenizer.h"
#include "tests/judging/judgerules.h"
#include "tests/net/testserver.h"

#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace rag;

namespace {

const char *kCorpus =
    R"({"_id": "d1", "title": "", "text": "Mitochondria produce energy for the cell. They hold their own small genome."}
{"_id": "d2", "title": "", "text": "Ribosomes translate messenger RNA into proteins. They float in the cytoplasm."}
{"_id": "d3", "title": "", "text": "Chloroplasts capture sunlight for photosynthesis. Plants store energy as starch."}
{"_id": "d4", "title": "", "text": "The nucleus stores chromosomes. Transcription happens inside the nucleus."}
{"_id": "d5", "title": "", "text": "The Golgi apparatus packages proteins for secretion out of the cell."}
)";

const char *kQa =
    R"({"id": "q1", "question": "What do mitochondria produce for the cell?", "answer": "Mitochondria produce energy for the cell. Mitochondria descend from ancient bacteria.", "relevant_doc_ids": ["d1"]}
{"id": "q2", "question": "Which organelle translates messenger RNA into proteins?", "answer": "Ribosomes translate messenger RNA into proteins.", "relevant_doc_ids": ["d2"]}
{"id": "q3", "question": "Where are chromosomes stored?", "relevant_doc_ids": ["d4"]}
{"id": "q4", "question": "An unjudgeable question about starch and photosynthesis", "answer": "Plants store energy as starch.", "relevant_doc_ids": ["d3"]}
)";

bool writeFile(const QString &path, const char *text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) == qint64(std::strlen(text));
}

bool near(double a, double b) { return std::abs(a - b) < 1e-9; }

} // namespace

class TestJudgedEvaluation : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    test::TestServer m_server;
    std::shared_ptr<HttpClient> m_http = std::make_shared<HttpClient>();
    std::unique_ptr<Project> m_project;
    std::shared_ptr<const BpeTokenizer> m_tokenizer;

    std::shared_ptr<const ChatModel> model(const std::string &id)
    {
        ChatModelSettings settings;
        settings.baseUrl = m_server.url("/judge/" + id + "/v1");
        auto made = makeChatModel("llamacpp:judge-test", settings, EnvSecretStore(), m_http);
        if (!made)
            qFatal("%s", made.error().message().c_str());
        return *made;
    }

    JudgedEvalSpec spec() const
    {
        JudgedEvalSpec s;
        s.evalSet = "qa";
        s.pipeline.chunkerJson = ChunkerConfig{}.canonicalJson();
        s.contextChunks = 3;
        return s;
    }

    // The passages a query's answer saw, as stored.
    std::vector<std::string> passages(const JudgedQuery &q) const
    {
        ChunkRepository chunks(m_project->db());
        DocumentRepository documents(m_project->db());
        std::vector<std::string> out;
        for (const JudgedChunk &c : q.context) {
            auto record = chunks.chunk(c.chunkId);
            auto text = documents.text(record->documentId);
            out.push_back(text->substr(std::size_t(record->start), std::size_t(record->end - record->start)));
        }
        return out;
    }

    std::size_t runCount() const { return EvalRepository(m_project->db()).runs()->size(); }

    // Each query's scores against the judge's rules; q4 is never judged, q3 has no reference.
    void checkScores(const JudgedOutcome &outcome, int repeats)
    {
        QCOMPARE(outcome.queries.size(), std::size_t(4));
        for (const JudgedQuery &q : outcome.queries) {
            const auto ps = passages(q);
            QVERIFY2(!ps.empty(), q.queryId.c_str());
            QVERIFY2(!q.answer.empty(), q.queryId.c_str());
            const Judgement &faith = q.judgement(JudgeMetric::Faithfulness);
            const Judgement &rel = q.judgement(JudgeMetric::AnswerRelevance);
            const Judgement &prec = q.judgement(JudgeMetric::ContextPrecision);
            const Judgement &rec = q.judgement(JudgeMetric::ContextRecall);
            if (q.queryId == "q4") {
                for (const Judgement *j : {&faith, &rel, &prec, &rec}) {
                    QVERIFY(!j->score.has_value());
                    QVERIFY2(j->unmeasuredReason.starts_with("invalid judge reply after 3 asks"), j->unmeasuredReason.c_str());
                    QCOMPARE(j->asks, 3 * repeats);
                }
                continue;
            }
            const auto expectFaith = test::expectedFaithfulness(q.answer, ps);
            QCOMPARE(faith.score.has_value(), expectFaith.has_value());
            if (expectFaith)
                QVERIFY2(near(*faith.score, *expectFaith), q.queryId.c_str());
            QVERIFY2(near(*rel.score, test::expectedRelevance(q.question, q.answer)), q.queryId.c_str());
            QVERIFY2(near(*prec.score, *test::expectedPrecision(q.question, ps)), q.queryId.c_str());
            if (q.queryId == "q3") {
                QVERIFY(!q.reference.has_value());
                QVERIFY(!rec.score.has_value());
                QCOMPARE(rec.unmeasuredReason, std::string("the query has no reference answer"));
                QCOMPARE(rec.asks, 0);
            } else {
                QVERIFY(q.reference.has_value());
                QVERIFY2(near(*rec.score, *test::expectedRecall(*q.reference, ps)), q.queryId.c_str());
            }
            for (const Judgement *j : {&faith, &rel, &prec})
                QCOMPARE(j->repeats.size(), std::size_t(repeats));
        }
    }

    // Means over measured queries only, and the counts of both.
    void checkAggregates(const JudgedOutcome &outcome)
    {
        for (JudgeMetric metric : kJudgeMetrics) {
            double sum = 0;
            std::size_t measured = 0;
            for (const JudgedQuery &q : outcome.queries)
                if (const auto &s = q.judgement(metric).score) {
                    sum += *s;
                    ++measured;
                }
            const JudgedMetricSummary &m = outcome.summary(metric);
            QCOMPARE(m.scores.measured, measured);
            QCOMPARE(m.scores.measured + m.scores.unmeasured, std::size_t(4));
            QVERIFY(near(*m.scores.mean, sum / double(measured)));
        }
        QCOMPARE(outcome.summary(JudgeMetric::Faithfulness).scores.unmeasured, std::size_t(1));
        QCOMPARE(outcome.summary(JudgeMetric::ContextRecall).scores.measured, std::size_t(2));
        QCOMPARE(outcome.summary(JudgeMetric::ContextRecall).scores.unmeasured, std::size_t(2));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        test::clearProxyEnvironment();
        QVERIFY(m_dir.isValid());
        const QString error = m_server.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        auto tokenizer = BpeTokenizer::load("cl100k_base");
        QVERIFY2(tokenizer.has_value(), "the cl100k_base tokenizer asset is missing: run packaging/setup.sh");
        m_tokenizer = *tokenizer;

        QVERIFY(writeFile(m_dir.filePath(QStringLiteral("corpus.jsonl")), kCorpus));
        QVERIFY(writeFile(m_dir.filePath(QStringLiteral("qa.jsonl")), kQa));
        auto project = Project::open(m_dir.filePath(QStringLiteral("p.ragwb")).toStdString());
        QVERIFY2(project.has_value(), project ? "" : project.error().message().c_str());
        m_project = std::move(*project);
        auto ingested = ingestPaths(*m_project, {m_dir.filePath(QStringLiteral("corpus.jsonl")).toStdString()}, {}, {});
        QVERIFY2(ingested.has_value(), ingested ? "" : ingested.error().message().c_str());
        auto qa = readQaSet(m_dir.filePath(QStringLiteral("qa.jsonl")).toStdString());
        QVERIFY2(qa.has_value(), qa ? "" : qa.error().message().c_str());
        auto id = importQaSet(*m_project, *qa, "qa.jsonl");
        QVERIFY2(id.has_value(), id ? "" : id.error().message().c_str());
    }

    void referenceAnswersAreStored()
    {
        auto stored = findEvalSet(*m_project, "qa");
        QVERIFY(stored.has_value());
        QCOMPARE(stored->referenceAnswers.size(), std::size_t(3));
        QCOMPARE(stored->referenceAnswers.at("q2"), std::string("Ribosomes translate messenger RNA into proteins."));
        QVERIFY(!stored->referenceAnswers.count("q3"));
        auto again = EvalRepository(m_project->db()).evalSet(stored->id);
        QVERIFY(again.has_value());
        QCOMPARE(again->referenceAnswers, stored->referenceAnswers);
    }

    void answeredAndJudgedWithRepeats()
    {
        auto answerer = model("e2e-answer");
        auto judge = model("e2e-judge");
        JudgedEvalSpec s = spec();
        s.judge.repeats = 2;
        const std::size_t before = runCount();
        auto outcome = runJudgedEvaluation(*m_project, s, answerer.get(), *judge, *m_tokenizer, {});
        QVERIFY2(outcome.has_value(), outcome ? "" : outcome.error().message().c_str());
        checkScores(*outcome, 2);
        checkAggregates(*outcome);

        // Deterministic judge: repeats agree exactly on every measured item.
        for (const JudgedMetricSummary &m : outcome->metrics) {
            QCOMPARE(m.agreement.items, m.scores.measured);
            QCOMPARE(*m.agreement.meanAbsoluteDeviation, 0.0);
            QCOMPARE(*m.agreement.withinToleranceShare, 1.0);
        }
        // Requests: q1, q2: 4 metrics x 2 repeats; q3: 3 x 2 (no reference); q4: 4 x 2 x 3 asks.
        const int judgeRequests = m_server.stats("judge", "e2e-judge")["requests"].get<int>();
        QCOMPARE(judgeRequests, 8 + 8 + 6 + 24);
        QCOMPARE(outcome->judgeUsage.calls, std::int64_t(judgeRequests));
        QCOMPARE(outcome->answerUsage.calls, std::int64_t(4));
        QCOMPARE(m_server.stats("judge", "e2e-answer")["requests"].get<int>(), 4);
        QVERIFY(outcome->judgeUsage.inputTokens > 0);

        // Recorded whole, with the judged section.
        QCOMPARE(runCount(), before + 1);
        auto run = EvalRepository(m_project->db()).run(outcome->runId);
        QVERIFY(run.has_value());
        const auto metrics = nlohmann::json::parse(run->metricsJson);
        QVERIFY(near(metrics.at("faithfulness").get<double>(), *outcome->summary(JudgeMetric::Faithfulness).scores.mean));
        QVERIFY(metrics.contains("ndcg@10"));
        auto judged = judgedSectionOfReport(run->reportJson);
        QVERIFY2(judged.has_value(), judged ? "" : judged.error().message().c_str());
        QCOMPARE((*judged)["metrics"]["context_recall"]["unmeasured"].get<int>(), 2);
        QCOMPARE((*judged)["prompts"]["faithfulness"]["prompt"].get<std::string>(), std::string("faithfulness@v1"));
        QCOMPARE((*judged)["queries"].size(), std::size_t(4));
        const auto &q3 = (*judged)["queries"][2];
        QCOMPARE(q3["query_id"].get<std::string>(), std::string("q3"));
        QVERIFY(q3["metrics"]["context_recall"]["score"].is_null());
        QCOMPARE(q3["metrics"]["context_recall"]["unmeasured"].get<std::string>(),
                 std::string("the query has no reference answer"));
        QVERIFY(!judgedSectionOfReport("{\"metrics\": {}}").has_value());
    }

    void extractiveAnswers()
    {
        auto judge = model("e2e-extractive");
        JudgedEvalSpec s = spec();
        s.threads = 1;
        auto outcome = runJudgedEvaluation(*m_project, s, nullptr, *judge, *m_tokenizer, {});
        QVERIFY2(outcome.has_value(), outcome ? "" : outcome.error().message().c_str());
        QCOMPARE(outcome->answerModel, std::string("extractive:overlap-v1"));
        checkScores(*outcome, 1);
        checkAggregates(*outcome);
        QCOMPARE(outcome->answerUsage.calls, std::int64_t(4));
        QCOMPARE(outcome->summary(JudgeMetric::Faithfulness).agreement.items, std::size_t(0));  // one repeat each
    }

    void limitJudgesTheFirstQueries()
    {
        auto judge = model("e2e-limit");
        JudgedEvalSpec s = spec();
        s.limit = 2;
        auto outcome = runJudgedEvaluation(*m_project, s, nullptr, *judge, *m_tokenizer, {});
        QVERIFY2(outcome.has_value(), outcome ? "" : outcome.error().message().c_str());
        QCOMPARE(outcome->queries.size(), std::size_t(2));
        QCOMPARE(outcome->queries[1].queryId, std::string("q2"));
        QCOMPARE(m_server.stats("judge", "e2e-limit")["requests"].get<int>(), 8);
    }

    void cancelledMidRunRecordsNothing()
    {
        auto judge = model("e2e-cancel");
        const std::size_t before = runCount();
        CancelToken token;
        const JobContext ctx(token, [token](const ProgressReport &r) {
            if (r.stage == "answering and judging")
                token.cancel();
        });
        JudgedEvalSpec s = spec();
        s.threads = 1;
        auto outcome = runJudgedEvaluation(*m_project, s, nullptr, *judge, *m_tokenizer, ctx);
        QVERIFY(!outcome.has_value());
        QCOMPARE(outcome.error().code, ErrorCode::Cancelled);
        QCOMPARE(runCount(), before);
        // The first query was judged before the cancel; the rest never were.
        QCOMPARE(m_server.stats("judge", "e2e-cancel")["requests"].get<int>(), 4);
    }
};

QTEST_GUILESS_MAIN(TestJudgedEvaluation)
#include "tst_judgedevaluation.moc"
