// Eval sets inside a project: QA sets (JSONL and CSV) with document and span
// labels, spans resolved from code points to the byte offsets chunks use,
// chunk-level relevance under two chunkings of the same documents (counts
// hand-computed from the spans), stored-set evaluation, the Evaluate-pane
// functions (run comparison, drill-down, sweep series), sweeps that reuse
// cached stages, and run export/import.
#include "core/chunking/chunkerconfig.h"
#include "core/eval/qasetreader.h"
#include "core/pipeline/chunkbuild.h"
#include "core/pipeline/chunkrelevance.h"
#include "core/pipeline/evalsetimport.h"
#include "core/pipeline/evaluation.h"
#include "core/pipeline/ingestion.h"
#include "core/pipeline/runcomparison.h"
#include "core/pipeline/runtransfer.h"
#include "core/pipeline/sweep.h"
#include "core/store/chunkrepository.h"
#include "core/store/documentrepository.h"
#include "core/store/project.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <map>

using namespace rag;

namespace {

// Cycles a phrase with 1-, 2-, 3- and 4-byte UTF-8 characters up to `codePoints`.
std::string mixedText(std::size_t codePoints, const char32_t *phrase)
{
    std::u32string cps;
    while (cps.size() < codePoints)
        for (const char32_t *p = phrase; *p && cps.size() < codePoints; ++p)
            cps.push_back(*p);
    return QString::fromUcs4(cps.data(), qsizetype(cps.size())).toStdString();
}

// Independent code point -> byte conversion through Qt's UCS-4 view.
std::int64_t bytesOfPrefix(const std::string &text, std::int64_t codePoints)
{
    const QList<uint> ucs4 = QString::fromStdString(text).toUcs4();
    return QString::fromUcs4(reinterpret_cast<const char32_t *>(ucs4.data()), qsizetype(codePoints)).toUtf8().size();
}

bool writeFile(const QString &path, const std::string &content)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(content.data(), qint64(content.size())) == qint64(content.size());
}

const char32_t kPhrase[] = U"Größe café naïve 東京 𝔘𝔫𝔦 data ";  // no run of blanks: no blank windows

ChunkerConfig fixed(std::int64_t size, std::int64_t overlap)
{
    ChunkerConfig c;
    c.strategy = ChunkStrategy::Fixed;
    c.unit = ChunkUnit::Characters;
    c.size = size;
    c.overlap = overlap;
    return c;
}

PipelineConfig bm25Pipeline(const ChunkerConfig &chunker)
{
    PipelineConfig p;
    p.lane = Lane::Keyword;
    p.chunkerJson = chunker.canonicalJson();
    return p;
}

} // namespace

class TestEvalSets : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<Project> m_project;
    std::string m_d1Text;  // as stored: "title\n\nbody"
    StoredEvalSet m_stored;
    std::vector<std::int64_t> m_runs;

    QString path(const char *name) const { return m_dir.filePath(QLatin1String(name)); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // d1: 901 code points of body under a title; d2: 299 (neither ends in a blank).
        nlohmann::json d1 = {{"_id", "d1"}, {"title", "Ångström units"}, {"text", mixedText(901, kPhrase)}};
        nlohmann::json d2 = {{"_id", "d2"}, {"title", ""}, {"text", mixedText(299, kPhrase)}};
        QVERIFY(writeFile(path("corpus.jsonl"), d1.dump() + "\n" + d2.dump() + "\n"));
        auto project = Project::open(path("p.ragwb").toStdString());
        QVERIFY(project);
        m_project = std::move(*project);
        auto ingested = ingestPaths(*m_project, {path("corpus.jsonl").toStdString()}, LoadOptions{}, JobContext{});
        QVERIFY2(ingested, ingested ? "" : ingested.error().message().c_str());
        QCOMPARE(ingested->documentsAdded, 2);
        auto docs = DocumentRepository(m_project->db()).list();
        QVERIFY(docs && docs->size() == 2);
        auto text = DocumentRepository(m_project->db()).text(docs->at(0).docKey == "d1" ? docs->at(0).id : docs->at(1).id);
        QVERIFY(text);
        m_d1Text = *text;
        // The convention spans are measured against.
        QCOMPARE(m_d1Text, "Ångström units\n\n" + d1["text"].get<std::string>());
    }

    void jsonlAndCsvReadTheSameSet()
    {
        const std::string jsonl =
            R"({"id": "q1", "question": "größe of data", "answer": "a span", "relevant_spans": [{"doc_id": "d1", "start": 150, "end": 420}]})" "\n"
            R"({"id": "q2", "question": "café", "relevant_doc_ids": ["d2"]})" "\n"
            R"({"id": "q3", "question": "Ångström", "relevant_spans": [{"doc_id": "d1", "start": 0, "end": 1}]})" "\n"
            R"({"id": "q4", "question": "naïve 東京", "relevant_spans": [{"doc_id": "d1", "start": 50, "end": 60}, {"doc_id": "d1", "start": 560, "end": 700, "relevance": 2}]})" "\n";
        const std::string csv = "query_id,question,doc_id,relevance,start,end,answer\n"
                                "q1,größe of data,d1,1,150,420,a span\n"
                                "q2,café,d2,,,,\n"
                                "q3,Ångström,d1,1,0,1,\n"
                                "q4,naïve 東京,d1,,50,60,\n"
                                "q4,naïve 東京,d1,2,560,700,\n";
        QVERIFY(writeFile(path("qa.jsonl"), jsonl));
        QVERIFY(writeFile(path("qa.csv"), csv));
        auto fromJsonl = readQaSet(path("qa.jsonl").toStdString());
        auto fromCsv = readQaSet(path("qa.csv").toStdString());
        QVERIFY2(fromJsonl, fromJsonl ? "" : fromJsonl.error().message().c_str());
        QVERIFY2(fromCsv, fromCsv ? "" : fromCsv.error().message().c_str());
        QCOMPARE(fromJsonl->items.size(), std::size_t(4));
        QVERIFY(fromJsonl->items == fromCsv->items);
        QCOMPARE(fromJsonl->items[0].answer, std::string("a span"));
        QCOMPARE(fromJsonl->items[3].spans.size(), std::size_t(2));
        QCOMPARE(fromJsonl->items[3].spans[1].relevance, 2);

        auto stored = resolveQaSet(*m_project, *fromJsonl, "qa.jsonl");
        QVERIFY2(stored, stored ? "" : stored.error().message().c_str());
        m_stored = *stored;
        auto id = EvalRepository(m_project->db()).saveEvalSet(m_stored);
        QVERIFY(id);
        m_stored.id = *id;
        // Both files resolve to the same stored set (same hash).
        auto storedCsv = resolveQaSet(*m_project, *fromCsv, "qa.csv");
        QVERIFY(storedCsv);
        QCOMPARE(storedCsv->hash, m_stored.hash);
    }

    void spansBecomeByteOffsets()
    {
        for (const StoredJudgment &j : m_stored.judgments) {
            if (j.queryId != "q1")
                continue;
            QVERIFY(j.spanStart && j.spanEnd);
            QCOMPARE(*j.spanStart, bytesOfPrefix(m_d1Text, 150));
            QCOMPARE(*j.spanEnd, bytesOfPrefix(m_d1Text, 420));
            QVERIFY(*j.spanEnd - *j.spanStart > 270);  // multi-byte characters inside
        }
        QCOMPARE(codePointToByte("aé東𝔘", 4), std::optional<std::size_t>(10));
        QCOMPARE(codePointToByte("aé東𝔘", 3), std::optional<std::size_t>(6));
        QCOMPARE(codePointToByte("aé東𝔘", 5), std::optional<std::size_t>());
        // The span set hash differs from the document-level hash and follows the spans.
        QVERIFY(m_stored.hash != documentLevelSet(m_stored).hash());
        StoredEvalSet moved = m_stored;
        *moved.judgments.front().spanEnd += 1;
        QVERIFY(storedEvalSetHash(moved) != m_stored.hash);
    }

    void badInputsAreRefused()
    {
        QaSet set;
        set.name = "bad";
        set.items.push_back(QaItem{"q", "text", "", "", {}, {QaSpan{"d2", 10, 300, 1}}});
        auto past = resolveQaSet(*m_project, set, "bad.jsonl");
        QVERIFY(!past);
        QCOMPARE(past.error().code, ErrorCode::InvalidArgument);
        set.items[0].spans[0] = QaSpan{"nope", 0, 1, 1};
        auto unknown = resolveQaSet(*m_project, set, "bad.jsonl");
        QVERIFY(!unknown);
        QCOMPARE(unknown.error().code, ErrorCode::NotFound);
        QVERIFY(writeFile(path("bad.jsonl"), "{\"id\": \"q1\", \"question\": \"x\"}\n{\"id\": \"q2\"}\n"));
        auto missing = readQaSet(path("bad.jsonl").toStdString());
        QVERIFY(!missing);
        QVERIFY2(missing.error().source.ends_with("bad.jsonl:2"), missing.error().source.c_str());
        QVERIFY(writeFile(path("bad2.jsonl"), R"({"id": "q1", "question": "x", "relevant_spans": [{"doc_id": "d1", "start": 9, "end": 9}]})" "\n"));
        QCOMPARE(readQaSet(path("bad2.jsonl").toStdString()).error().code, ErrorCode::Parse);
        QVERIFY(writeFile(path("split.jsonl"), R"({"id": "a", "question": "x", "split": "train", "relevant_doc_ids": ["d1"]})" "\n"
                                               R"({"id": "b", "question": "y", "split": "test", "relevant_doc_ids": ["d2"]})" "\n"));
        auto test = readQaSet(path("split.jsonl").toStdString(), "test");
        QVERIFY(test && test->items.size() == 1 && test->items[0].id == "b");
        QCOMPARE(readQaSet(path("split.jsonl").toStdString(), "dev").error().code, ErrorCode::NotFound);
    }

    void relevantChunksFollowTheSpans_data()
    {
        QTest::addColumn<qint64>("size");
        QTest::addColumn<qint64>("overlap");
        QTest::addColumn<QList<int>>("counts");  // relevant chunks of q1..q4
        // size 100, no overlap: windows [100k, 100k + 100) in code points.
        //   q1 [150,420) -> k = 1..4; q2 all 3 chunks of d2 (299 code points); q3 [0,1) -> k = 0;
        //   q4 [50,60) -> k = 0 and [560,700) -> k = 5, 6.
        QTest::newRow("fixed-100-0") << qint64(100) << qint64(0) << QList<int>{4, 3, 1, 3};
        // size 250, overlap 50: windows [200k, 200k + 250).
        //   q1 [150,420) -> k = 0, 1, 2; q2: d2 [0,250), [200,299) -> 2; q3 -> k = 0;
        //   q4 [50,60) -> k = 0 and [560,700) -> k = 2, 3.
        QTest::newRow("fixed-250-50") << qint64(250) << qint64(50) << QList<int>{3, 2, 1, 3};
    }

    void relevantChunksFollowTheSpans()
    {
        QFETCH(qint64, size);
        QFETCH(qint64, overlap);
        QFETCH(QList<int>, counts);
        const std::string name = "fixed-" + std::to_string(size) + "-" + std::to_string(overlap);
        auto built = buildChunkSet(*m_project, name, fixed(size, overlap), JobContext{});
        QVERIFY2(built, built ? "" : built.error().message().c_str());
        auto qrels = chunkQrels(*m_project, name, m_stored);
        QVERIFY2(qrels, qrels ? "" : qrels.error().message().c_str());
        const char *ids[] = {"q1", "q2", "q3", "q4"};
        for (int i = 0; i < 4; ++i)
            QCOMPARE(int(qrels->at(ids[i]).size()), counts[i]);
        // q4's second span carries relevance 2 onto its chunks.
        int graded = 0;
        for (const auto &[chunk, rel] : qrels->at("q4"))
            graded += rel == 2;
        QCOMPARE(graded, 2);
    }

    void storedSetEvaluatesWithChunkMetrics()
    {
        for (const std::int64_t size : {100, 250}) {
            StoredEvalSpec spec;
            spec.evalSet = "qa";
            spec.pipeline = bm25Pipeline(fixed(size, size == 100 ? 0 : 50));
            spec.metrics = {"ndcg@10", "recall@10", "hit@10"};
            spec.depth = 10;
            auto outcome = evaluateStored(*m_project, spec, JobContext{});
            QVERIFY2(outcome, outcome ? "" : outcome.error().message().c_str());
            const EvalReport &r = outcome->report;
            QCOMPARE(r.evalSet.hash, m_stored.hash);
            QCOMPARE(r.queries, std::size_t(4));
            QVERIFY(r.metrics.contains("chunk_ndcg@10"));
            // Both documents are in every ranking (completed to depth): hit@10 is 1 for every query.
            QCOMPARE(r.metrics.at("hit@10"), 1.0);
            // The chunk set the span test built with this config, not a copy.
            QCOMPARE(r.config.value("chunk_set", std::string()), size == 100 ? std::string("fixed-100-0")
                                                                             : std::string("fixed-250-50"));
            QVERIFY(!r.retrieved.empty());
            for (const auto &[qid, chunks] : r.retrieved)
                for (const RetrievedChunk &c : chunks) {
                    QVERIFY(c.keywordRank.has_value());
                    QVERIFY(!c.denseRank.has_value());
                }
            // The retrieved chunks survive the JSON round trip (the stored run is this JSON).
            auto back = EvalReport::fromJsonText(r.toJsonText());
            QVERIFY2(back, back ? "" : back.error().message().c_str());
            QVERIFY(back->retrieved == r.retrieved);
            QVERIFY(*back == r);
            m_runs.push_back(outcome->runId);
        }
    }

    void cancelledRunIsNotRecorded()
    {
        const auto before = listRuns(*m_project);
        QVERIFY(before);
        CancelToken token;
        bool sawQuerying = false;
        const JobContext ctx(token, [&](const ProgressReport &r) {
            if (r.stage == "querying") {
                sawQuerying = true;
                token.cancel();  // after the first query
            }
        });
        StoredEvalSpec spec;
        spec.evalSet = "qa";
        spec.pipeline = bm25Pipeline(fixed(100, 0));
        spec.depth = 10;
        auto outcome = evaluateStored(*m_project, spec, ctx);
        QVERIFY(sawQuerying);
        QVERIFY(!outcome);
        QCOMPARE(outcome.error().code, ErrorCode::Cancelled);
        QCOMPARE(listRuns(*m_project)->size(), before->size());
    }

    void runsCompareAndDrillDown()
    {
        QCOMPARE(m_runs.size(), std::size_t(2));
        auto runs = listRuns(*m_project);
        QVERIFY(runs && runs->size() == 2);
        auto self = compareRuns(*m_project, m_runs[0], m_runs[0]);
        QVERIFY(self);
        QVERIFY(self->changes.empty());
        for (const MetricDelta &d : self->metrics) {
            QCOMPARE(d.comparison.test.delta, 0.0);
            QCOMPARE(d.comparison.test.pValue, 1.0);
            QCOMPARE(d.label(), std::string("within noise"));
        }
        auto cmp = compareRuns(*m_project, m_runs[0], m_runs[1]);
        QVERIFY(cmp);
        QVERIFY(std::find(cmp->changes.begin(), cmp->changes.end(), "chunker.size: 100 -> 250") != cmp->changes.end());
        QVERIFY(std::find(cmp->changes.begin(), cmp->changes.end(), "chunker.overlap: 0 -> 50") != cmp->changes.end());
        QCOMPARE(cmp->metrics.size(), std::size_t(6));  // 3 document-level + 3 chunk-level
        for (const MetricDelta &d : cmp->metrics)
            QCOMPARE(d.comparison.test.n, std::size_t(4));

        auto drill = drillDownRuns(*m_project, m_runs[0], m_runs[1], "chunk_ndcg@10", 10);
        QVERIFY(drill);
        QCOMPARE(drill->size(), std::size_t(4));
        for (std::size_t i = 1; i < drill->size(); ++i)
            QVERIFY((*drill)[i - 1].delta <= (*drill)[i].delta);
        for (const QueryDrillDown &q : *drill) {
            QVERIFY(!q.queryText.empty());
            QCOMPARE(q.delta, q.valueB - q.valueA);
        }
        auto estimates = metricEstimates(*runReport(*m_project, m_runs[0]));
        QCOMPARE(estimates.size(), std::size_t(6));
        for (const MetricEstimate &e : estimates)
            QVERIFY(e.ciLow <= e.mean + 1e-12 && e.mean <= e.ciHigh + 1e-12);
    }

    void sweepRecordsOneRunPerPointAndReusesStages()
    {
        const PipelineConfig base = bm25Pipeline(fixed(100, 0));
        SweepGrid grid;
        grid.chunkSizes = {100, 250};
        grid.chunkOverlaps = {0, 50, 150};
        auto plan = planSweep(base, grid);
        QVERIFY(plan);
        QCOMPARE(plan->points.size(), std::size_t(5));   // 100/150 is invalid
        QCOMPARE(plan->skipped.size(), std::size_t(1));
        QVERIFY(plan->skipped[0].starts_with("size=100 overlap=150"));
        // The two chunk sets built by the span test ("fixed-100-0", "fixed-250-50"):
        // the stored-set runs with the same chunker configs ran on them.
        auto setsBefore = ChunkRepository(m_project->db()).list();
        QVERIFY(setsBefore && setsBefore->size() == 2);
        StoredEvalSpec common;
        common.metrics = {"ndcg@10", "recall@10"};
        common.depth = 10;
        int seen = 0;
        auto runs = runSweep(*m_project, m_stored, *plan, common, JobContext{}, [&](const SweepRun &) { ++seen; });
        QVERIFY2(runs, runs ? "" : runs.error().message().c_str());
        QCOMPARE(runs->size(), std::size_t(5));
        QCOMPARE(seen, 5);
        // The two existing chunkings are reused; three new ones are added.
        QCOMPARE(ChunkRepository(m_project->db()).list()->size(), std::size_t(5));
        QCOMPARE(listRuns(*m_project)->size(), std::size_t(7));
        std::vector<std::int64_t> ids;
        for (const SweepRun &r : *runs)
            ids.push_back(r.runId);
        auto series = sweepSeries(*m_project, ids, "chunker.size", "chunk_ndcg@10");
        QVERIFY2(series, series ? "" : series.error().message().c_str());
        QCOMPARE(series->points.size(), std::size_t(5));
        QVERIFY(series->best.has_value());
        for (const SweepPoint &p : series->points)
            QVERIFY(series->points[*series->best].estimate.mean >= p.estimate.mean);
        QCOMPARE(series->points.front().value.get<int>(), 100);
        QCOMPARE(series->points.back().value.get<int>(), 250);
    }

    void runsExportAndImport()
    {
        const std::string file = path("runs.json").toStdString();
        QVERIFY(exportRuns(*m_project, m_runs, file));
        auto other = Project::open(path("other.ragwb").toStdString());
        QVERIFY(other);
        auto summary = importRuns(**other, file);
        QVERIFY2(summary, summary ? "" : summary.error().message().c_str());
        QCOMPARE(summary->imported.size(), std::size_t(2));
        auto again = importRuns(**other, file);
        QVERIFY(again);
        QCOMPARE(again->alreadyPresent, 2);
        QVERIFY(again->imported.empty());
        // The imported runs compare exactly as the originals.
        auto original = compareRuns(*m_project, m_runs[0], m_runs[1]);
        auto imported = compareRuns(**other, summary->imported[0], summary->imported[1]);
        QVERIFY(original && imported);
        for (std::size_t i = 0; i < original->metrics.size(); ++i)
            QCOMPARE(imported->metrics[i].comparison.test.pValue, original->metrics[i].comparison.test.pValue);
        // A run whose config no longer matches its hash is refused.
        QFile f(path("runs.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray text = f.readAll();
        f.close();
        QVERIFY(text.contains("\"size\": 100"));
        text.replace("\"size\": 100", "\"size\": 101");
        QVERIFY(writeFile(path("tampered.json"), text.toStdString()));
        auto third = Project::open(path("third.ragwb").toStdString());
        QVERIFY(third);
        auto tampered = importRuns(**third, path("tampered.json").toStdString());
        QVERIFY(!tampered);
        QCOMPARE(tampered.error().code, ErrorCode::Corrupt);
        QCOMPARE(listRuns(**third)->size(), std::size_t(0));
    }

    // A judged run needs its set's reference answers: they travel with the set, and
    // a file written before answers were exported still imports (without them).
    void runsCarryReferenceAnswers()
    {
        const std::map<std::string, std::string> expected = {{"q1", "a span"}};
        auto source = findEvalSet(*m_project, "qa");
        QVERIFY2(source, source ? "" : source.error().message().c_str());
        QCOMPARE(source->referenceAnswers, expected);
        const std::string file = path("answers.json").toStdString();
        QVERIFY(exportRuns(*m_project, m_runs, file));
        QFile f(QString::fromStdString(file));
        QVERIFY(f.open(QIODevice::ReadOnly));
        nlohmann::json json = nlohmann::json::parse(f.readAll().toStdString());
        QCOMPARE(json["eval_sets"].size(), std::size_t(1));
        QVERIFY2(json["eval_sets"][0]["reference_answers"] == nlohmann::json({{"q1", "a span"}}),
                 json["eval_sets"][0].dump().c_str());

        auto withAnswers = Project::open(path("answers.ragwb").toStdString());
        QVERIFY(withAnswers);
        auto summary = importRuns(**withAnswers, file);
        QVERIFY2(summary, summary ? "" : summary.error().message().c_str());
        QCOMPARE(summary->imported.size(), std::size_t(2));
        auto imported = findEvalSet(**withAnswers, "qa");
        QVERIFY2(imported, imported ? "" : imported.error().message().c_str());
        QCOMPARE(imported->referenceAnswers, expected);
        QCOMPARE(imported->hash, source->hash);
        QVERIFY(imported->queries == source->queries);

        // The format before answers: no "reference_answers" key.
        json["eval_sets"][0].erase("reference_answers");
        QVERIFY(writeFile(path("old.json"), json.dump(1)));
        auto old = Project::open(path("old.ragwb").toStdString());
        QVERIFY(old);
        auto oldSummary = importRuns(**old, path("old.json").toStdString());
        QVERIFY2(oldSummary, oldSummary ? "" : oldSummary.error().message().c_str());
        QCOMPARE(oldSummary->imported.size(), std::size_t(2));
        auto oldSet = findEvalSet(**old, "qa");
        QVERIFY(oldSet);
        QVERIFY(oldSet->referenceAnswers.empty());
        QCOMPARE(oldSet->hash, source->hash);
    }

    // Re-importing a set that is stored without answers (the hash leaves them out)
    // fills them in on the same set; a different answer to an answered query is
    // refused, naming the query, and changes nothing.
    void reimportAddsMissingAnswers()
    {
        auto old = Project::open(path("old.ragwb").toStdString());
        QVERIFY(old);
        auto before = findEvalSet(**old, "qa");
        QVERIFY2(before, before ? "" : before.error().message().c_str());
        QVERIFY(before->referenceAnswers.empty());
        StoredEvalSet again = *before;
        again.referenceAnswers = {{"q1", "a span"}};
        const EvalRepository evals((*old)->db());
        auto id = evals.saveEvalSet(again);
        QVERIFY2(id, id ? "" : id.error().message().c_str());
        QCOMPARE(*id, before->id);
        QCOMPARE(evals.saveEvalSet(again).value_or(-1), before->id);
        auto after = findEvalSet(**old, "qa");
        QVERIFY(after);
        QCOMPARE(after->referenceAnswers, again.referenceAnswers);
        QVERIFY(after->queries == before->queries);

        again.referenceAnswers = {{"q1", "another answer"}};
        auto clash = evals.saveEvalSet(again);
        QVERIFY(!clash);
        QCOMPARE(clash.error().code, ErrorCode::Mismatch);
        QVERIFY2(clash.error().detail.find("query q1") != std::string::npos, clash.error().detail.c_str());
        QCOMPARE(findEvalSet(**old, "qa")->referenceAnswers.at("q1"), std::string("a span"));
        auto sets = evals.evalSets();
        QVERIFY(sets);
        QCOMPARE(std::count_if(sets->begin(), sets->end(), [](const StoredEvalSet &s) { return s.name == "qa"; }), 1);
    }
};

QTEST_GUILESS_MAIN(TestEvalSets)
#include "tst_evalsets.moc"
