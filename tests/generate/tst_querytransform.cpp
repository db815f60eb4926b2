// Query transforms against the scripted server (OpenAI wire, tests/reference/
// llm_test_server.cjs, scenario "transform"): parsing of multi-query replies; HyDE's
// dense leg equals a hand-computed normalised mean of the lexical embedder's vectors
// searched on a FlatIndex; multi-query's fused ranking equals RRF computed by hand
// over each phrasing's ranking; a document the query's words miss is found with
// HyDE and not without it; the pipeline hash covers the transform; provider errors
// name the transform and the model and fall back only when asked; cancellation;
// the evaluation hook asks the model once per distinct query and reports usage.
#include "../net/testserver.h"

#include "core/chunking/chunkerconfig.h"
#include "core/embed/embedder.h"
#include "core/generate/querytransform.h"
#include "core/generate/remotechatmodel.h"
#include "core/index/flatindex.h"
#include "core/pipeline/embedderfactory.h"
#include "core/pipeline/evaluation.h"
#include "core/pipeline/ingestion.h"
#include "core/store/chunkrepository.h"
#include "core/store/documentrepository.h"
#include "core/store/project.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <map>
#include <thread>

using namespace rag;
using namespace std::chrono_literals;

namespace {

// The server's texts for the question below (see the script's transform section).
const std::string kQuestion = "How do green plants make their own food?";
const std::string kPassage1 = "Photosynthesis happens in chloroplasts, which capture sunlight to turn carbon dioxide and "
                              "water into glucose and release oxygen.";
const std::string kPassage2 = "Using light energy, chloroplasts convert water and carbon dioxide into glucose; oxygen is "
                              "released as a by-product of photosynthesis.";

// The target shares no word with the question; three distractors share several.
const std::map<QString, QByteArray> kDocs = {
    {QStringLiteral("photosynthesis.txt"),
     "Chloroplasts capture sunlight and carry out photosynthesis, turning carbon dioxide and water into glucose and oxygen.\n"},
    {QStringLiteral("garden.txt"), "Garden plants need regular watering, and food scraps make good compost for green plants.\n"},
    {QStringLiteral("kitchen.txt"), "Home cooks make their own food from fresh vegetables and grains.\n"},
    {QStringLiteral("bread.txt"), "How do bakers make bread? They knead flour, yeast and salt into their own dough.\n"},
    {QStringLiteral("volcano.txt"), "Volcanoes erupt when magma rises through the crust and escapes as lava, ash and gas.\n"},
    {QStringLiteral("heart.txt"), "The heart pumps blood through arteries and veins to every organ of the body.\n"},
};

QueryTransform transformOf(TransformKind kind, int variants)
{
    QueryTransform t;
    t.kind = kind;
    t.chat = "openai:gpt-test";
    t.variants = variants;
    return t;
}

} // namespace

class TestQueryTransform : public QObject {
    Q_OBJECT

private:
    test::TestServer m_server;
    std::shared_ptr<HttpClient> m_http = std::make_shared<HttpClient>();
    QTemporaryDir m_dir;
    std::unique_ptr<Project> m_project;
    PipelineConfig m_config;
    PreparedPipeline m_prepared;
    std::shared_ptr<const Searcher> m_searcher;

    std::shared_ptr<const ChatModel> model(const std::string &scenario, const std::string &id) const
    {
        RemoteChatOptions o;
        o.provider = "openai";
        o.model = "gpt-test";
        o.baseUrl = m_server.url("/" + scenario + "/" + id + "/v1");
        o.retry = RetryOptions{2, 2ms, 10ms, 50ms};
        auto prices = std::make_shared<PriceTable>(std::vector<ModelPrice>{{"openai", "gpt-test", 1.0, 2.0}});
        return std::make_shared<RemoteChatModel>(o, m_http, prices);
    }

    std::string docKey(const QString &name) const { return m_dir.filePath(name).toStdString(); }
    std::string docOfChunk(std::int64_t chunkId) const { return m_searcher->docKeyOf(m_searcher->documentOf(chunkId)); }

    // 1-based rank of a document in a lane result, 0 when absent.
    int rankOf(const LaneResult &result, const QString &name) const
    {
        for (const DocumentHit &d : result.documents)
            if (d.docKey == docKey(name))
                return d.rank;
        return 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        test::clearProxyEnvironment();
        const QString error = m_server.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(m_dir.isValid());
        std::vector<std::string> paths;
        for (const auto &[name, text] : kDocs) {
            QFile f(m_dir.filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(text);
            paths.push_back(docKey(name));
        }
        auto project = Project::open(m_dir.filePath(QStringLiteral("t.ragwb")).toStdString());
        QVERIFY2(project, project ? "" : project.error().message().c_str());
        m_project = std::move(*project);
        QVERIFY(ingestPaths(*m_project, paths, LoadOptions{}, JobContext()));
        ChunkerConfig chunker;
        chunker.strategy = ChunkStrategy::Recursive;
        chunker.size = 400;
        chunker.overlap = 0;
        m_config.chunkerJson = chunker.canonicalJson();
        m_config.lane = Lane::Hybrid;
        m_config.embedder = "lexical";
        m_config.vectorIndex = "flat";
        auto prepared = preparePipeline(*m_project, m_config, JobContext());
        QVERIFY2(prepared, prepared ? "" : prepared.error().message().c_str());
        m_prepared = *prepared;
        const Project &p = *m_project;
        auto searcher = Searcher::open(p, m_prepared.chunkSet, m_prepared.denseIndex,
                                       [&](const std::string &key) { return embedderForKey(p, key); });
        QVERIFY2(searcher, searcher ? "" : searcher.error().message().c_str());
        m_searcher = *searcher;
    }

    void parsesPhrasings_data()
    {
        QTest::addColumn<QString>("reply");
        QTest::addColumn<int>("max");
        QTest::addColumn<QStringList>("expected");
        const QString original = QString::fromStdString(kQuestion);
        QTest::newRow("numbered") << "1. alpha beta\n2) gamma delta\n3: epsilon" << 3
                                  << QStringList{"alpha beta", "gamma delta", "epsilon"};
        QTest::newRow("parenthesised and bracketed") << "(1) alpha\n[2] beta\nQ3: gamma\nQuery 4: delta" << 4
                                                     << QStringList{"alpha", "beta", "gamma", "delta"};
        QTest::newRow("bullets") << "- alpha\n* beta\n\u2022 gamma\n+ delta" << 4
                                 << QStringList{"alpha", "beta", "gamma", "delta"};
        QTest::newRow("quotes") << "1. \"alpha\"\n'beta'\n\u201cgamma\u201d\n`delta`" << 4
                                << QStringList{"alpha", "beta", "gamma", "delta"};
        QTest::newRow("preamble, blanks, bold") << "Here are three queries:\n\n  **alpha**  \n\r\n- beta\r\n" << 3
                                                << QStringList{"alpha", "beta"};
        QTest::newRow("duplicates of the original and each other")
            << "1. how do green plants make their own food\n2. alpha\n3. Alpha!\n4. HOW DO GREEN PLANTS MAKE THEIR OWN FOOD?"
            << 3 << QStringList{"alpha"};
        QTest::newRow("more than N") << "1. a1\n2. a2\n3. a3\n4. a4\n5. a5" << 2 << QStringList{"a1", "a2"};
        QTest::newRow("numbers that are not list marks") << "3.5 mm cables\n-5 degrees\n1999: a year" << 3
                                                         << QStringList{"3.5 mm cables", "-5 degrees", "1999: a year"};
        QTest::newRow("the server's messy list") << QString::fromUtf8(
            "Here are 3 alternative search queries:\n1. \"What process do chloroplasts use to turn sunlight into glucose?\"\n"
            "2) - How do green plants make their own food?\n* **Photosynthesis carbon dioxide water glucose**\n"
            "(4) \u201cHow does photosynthesis produce oxygen?\u201d\n5. Which organelle captures sunlight?\n")
                                                 << 3
                                                 << QStringList{"What process do chloroplasts use to turn sunlight into glucose?",
                                                                "Photosynthesis carbon dioxide water glucose",
                                                                "How does photosynthesis produce oxygen?"};
        QTest::newRow("nothing usable") << "Sure:\n\n" + original << 3 << QStringList{};
    }
    void parsesPhrasings()
    {
        QFETCH(QString, reply);
        QFETCH(int, max);
        QFETCH(QStringList, expected);
        const auto got = parseQueryVariants(reply.toStdString(), kQuestion, max);
        QStringList actual;
        for (const std::string &s : got)
            actual << QString::fromStdString(s);
        QCOMPARE(actual, expected);
    }

    void promptTemplatesAreVersioned()
    {
        auto hyde = transformPrompt(transformOf(TransformKind::Hyde, 1));
        QVERIFY(hyde);
        QCOMPARE(hyde->key(), std::string("hyde@v1"));
        auto multi = transformPrompt(transformOf(TransformKind::MultiQuery, 1));
        QVERIFY(multi);
        QCOMPARE(multi->key(), std::string("multi-query@v1"));
        QVERIFY(multi->system.find("{n}") != std::string::npos);
        QueryTransform bad = transformOf(TransformKind::Hyde, 1);
        bad.prompt = "hyde@v7";
        QCOMPARE(transformPrompt(bad).error().code, ErrorCode::NotFound);
    }

    void hydeWritesPassagesAndReportsUsage()
    {
        auto chat = model("transform", "h1");
        auto t = transformQuery(kQuestion, transformOf(TransformKind::Hyde, 3), *chat, JobContext());
        QVERIFY2(t, t ? "" : t.error().message().c_str());
        // Seeds 1, 2, 3 pick passages 1, 2, 1 from the server's table.
        QCOMPARE(t->passages, (std::vector<std::string>{kPassage1, kPassage2, kPassage1}));
        QCOMPARE(t->promptKey, std::string("hyde@v1"));
        QCOMPARE(t->model, std::string("openai:gpt-test"));
        QCOMPARE(t->usage.calls, 3);
        QCOMPARE(t->usage.inputTokens, std::int64_t(90));
        QCOMPARE(t->usage.outputTokens, std::int64_t(18 + 19 + 18));  // words per passage
        QVERIFY(t->usage.usageKnown);
        QVERIFY(t->usage.costUsd);
        QVERIFY(std::abs(*t->usage.costUsd - (90 * 1.0 + 55 * 2.0) / 1e6) < 1e-12);
        QCOMPARE(m_server.stats("transform", "h1")["requests"].get<int>(), 3);
        const auto searches = t->searches();
        QCOMPARE(searches.size(), std::size_t(1));
        QCOMPARE(searches[0].keywordText, kQuestion);  // BM25 keeps the original query
        QCOMPARE(searches[0].denseTexts, (std::vector<std::string>{kQuestion, kPassage1, kPassage2, kPassage1}));
    }

    void hydeMeanVectorEqualsHandComputedMean()
    {
        auto chat = model("transform", "h2");
        LaneParams params;
        params.topK = 0;
        auto found = searchTransformed(*m_searcher, m_project->db(), Lane::Dense, kQuestion,
                                       transformOf(TransformKind::Hyde, 2), *chat, params, 100, JobContext());
        QVERIFY2(found, found ? "" : found.error().message().c_str());

        // By hand: the same embedder's vectors of the query and both passages, their
        // mean normalised, searched on a FlatIndex over the chunk texts.
        auto embedder = embedderForKey(*m_project, m_searcher->embedderKey());
        QVERIFY(embedder);
        const std::vector<std::string> texts{kQuestion, kPassage1, kPassage2};
        std::vector<std::string_view> views(texts.begin(), texts.end());
        auto vectors = (*embedder)->embed(views, JobContext());
        QVERIFY(vectors);
        const std::size_t dim = std::size_t((*embedder)->identity().dimension);
        std::vector<float> mean(dim);
        double norm = 0;
        for (std::size_t d = 0; d < dim; ++d) {
            const double v = (double((*vectors)[d]) + (*vectors)[dim + d] + (*vectors)[2 * dim + d]) / 3.0;
            mean[d] = float(v);
            norm += v * v;
        }
        QVERIFY(norm > 0);
        for (float &v : mean)
            v = float(v / std::sqrt(norm));

        ChunkRepository chunks(m_project->db());
        auto set = chunks.find(m_prepared.chunkSet);
        QVERIFY(set);
        auto records = chunks.chunks(set->id);
        QVERIFY(records && records->size() == kDocs.size());
        std::vector<std::int64_t> labels;
        std::vector<std::string> chunkTexts;
        for (const ChunkRecord &c : *records) {
            auto text = DocumentRepository(m_project->db()).text(c.documentId);
            QVERIFY(text);
            labels.push_back(c.id);
            chunkTexts.push_back(text->substr(std::size_t(c.start), std::size_t(c.end - c.start)));
        }
        std::vector<std::string_view> chunkViews(chunkTexts.begin(), chunkTexts.end());
        auto rows = (*embedder)->embed(chunkViews, JobContext());
        QVERIFY(rows);
        FlatIndex flat("hand", (*embedder)->identity(), Metric::Cosine);
        QVERIFY(flat.build(labels, *rows));
        const std::vector<Hit> expected = flat.search(mean, 100);

        const LaneResult &lane = found->result.lane;
        QCOMPARE(lane.chunks.size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(lane.chunks[i].chunkId, expected[i].label);
            QVERIFY2(std::abs(*lane.chunks[i].denseScore - double(expected[i].score)) < 1e-5,
                     qPrintable(QStringLiteral("rank %1: %2 vs %3").arg(i + 1).arg(*lane.chunks[i].denseScore).arg(expected[i].score)));
        }
        // The mean-vector leg itself says the same.
        auto leg = m_searcher->denseLegMean(texts, 100, JobContext());
        QVERIFY(leg);
        QCOMPARE(leg->front().chunkId, expected.front().label);
    }

    void hydeFindsWhatTheQueryWordsMiss_data()
    {
        QTest::addColumn<int>("lane");
        QTest::addColumn<bool>("inKeyword");
        QTest::newRow("dense") << int(Lane::Dense) << false;
        QTest::newRow("bm25 with passages") << int(Lane::Keyword) << true;
        // Hybrid with BM25 on the plain query: the distractors lead both legs, so
        // the passages must reach BM25 too for the target to come first.
        QTest::newRow("hybrid with passages") << int(Lane::Hybrid) << true;
    }
    void hydeFindsWhatTheQueryWordsMiss()
    {
        QFETCH(int, lane);
        QFETCH(bool, inKeyword);
        const QString target = QStringLiteral("photosynthesis.txt");
        LaneParams params;
        params.topK = 3;
        auto plain = m_searcher->searchExpanded(m_project->db(), Lane(lane), {QuerySearch{kQuestion, {kQuestion}}},
                                                params, 100, JobContext());
        QVERIFY(plain);
        QCOMPARE(rankOf(plain->lane, target), 0);  // not in the top 3 without HyDE
        QCOMPARE(int(plain->lane.documents.size()), 3);

        QueryTransform hyde = transformOf(TransformKind::Hyde, 2);
        hyde.hydeInKeyword = inKeyword;
        auto chat = model("transform", "h3");
        auto found = searchTransformed(*m_searcher, m_project->db(), Lane(lane), kQuestion, hyde, *chat, params, 100,
                                       JobContext());
        QVERIFY2(found, found ? "" : found.error().message().c_str());
        QCOMPARE(rankOf(found->result.lane, target), 1);
        if (Lane(lane) == Lane::Keyword) {
            // BM25 alone: the plain query shares no term with the target at all.
            LaneParams all;
            all.topK = 0;
            auto everything = m_searcher->searchExpanded(m_project->db(), Lane::Keyword,
                                                         {QuerySearch{kQuestion, {kQuestion}}}, all, 100, JobContext());
            QVERIFY(everything);
            QCOMPARE(rankOf(everything->lane, target), 0);
        }
    }

    void multiQueryFusionEqualsRrfByHand_data()
    {
        QTest::addColumn<int>("lane");
        QTest::addColumn<int>("rrfK");
        QTest::newRow("bm25 k=60") << int(Lane::Keyword) << 60;
        QTest::newRow("dense k=60") << int(Lane::Dense) << 60;
        QTest::newRow("hybrid k=10") << int(Lane::Hybrid) << 10;
    }
    void multiQueryFusionEqualsRrfByHand()
    {
        QFETCH(int, lane);
        QFETCH(int, rrfK);
        auto chat = model("transform", "m1");
        LaneParams params;
        params.topK = 0;
        params.fusion.rrfK = rrfK;
        auto found = searchTransformed(*m_searcher, m_project->db(), Lane(lane), kQuestion,
                                       transformOf(TransformKind::MultiQuery, 3), *chat, params, 100, JobContext());
        QVERIFY2(found, found ? "" : found.error().message().c_str());
        const TransformedQuery &t = found->transformed;
        QCOMPARE(t.phrasings, (std::vector<std::string>{"What process do chloroplasts use to turn sunlight into glucose?",
                                                         "Photosynthesis carbon dioxide water glucose",
                                                         "How does photosynthesis produce oxygen?"}));
        QCOMPARE(t.usage.calls, 1);

        // By hand: each of the four texts through the lane alone, then RRF.
        std::vector<std::string> variants{kQuestion};
        variants.insert(variants.end(), t.phrasings.begin(), t.phrasings.end());
        std::map<std::int64_t, double> score;
        std::map<std::int64_t, std::vector<SearchRank>> foundBy;
        for (std::size_t v = 0; v < variants.size(); ++v) {
            std::vector<LegHit> keyword, dense;
            if (Lane(lane) != Lane::Dense)
                keyword = *m_searcher->keywordLeg(m_project->db(), variants[v], 100);
            if (Lane(lane) != Lane::Keyword)
                dense = *m_searcher->denseLeg(variants[v], 100);
            const LaneResult alone = m_searcher->assemble(Lane(lane), keyword, dense, params);
            for (const FusedHit &h : alone.chunks) {
                score[h.chunkId] += 1.0 / double(rrfK + h.rank);
                foundBy[h.chunkId].push_back(SearchRank{int(v), h.rank});
            }
        }
        std::vector<std::pair<std::int64_t, double>> expected(score.begin(), score.end());
        std::sort(expected.begin(), expected.end(), [](auto &a, auto &b) {
            return a.second != b.second ? a.second > b.second : a.first < b.first;
        });
        const LaneResult &fused = found->result.lane;
        QCOMPARE(fused.chunks.size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(fused.chunks[i].chunkId, expected[i].first);
            QCOMPARE(fused.chunks[i].rank, int(i) + 1);
            QVERIFY(std::abs(fused.chunks[i].score - expected[i].second) < 1e-12);
            QCOMPARE(found->result.foundBy[i], foundBy[expected[i].first]);
        }
        // The phrasings reach the target that the original misses in the lexical lanes.
        QCOMPARE(docOfChunk(fused.chunks.front().chunkId), docKey(QStringLiteral("photosynthesis.txt")));
    }

    void configHashCoversTheTransform()
    {
        PipelineConfig plain = m_config;
        const std::string before = plain.toJson();
        QVERIFY(before.find("transform") == std::string::npos);  // old configs keep their hash
        PipelineConfig hyde = plain;
        hyde.transform = transformOf(TransformKind::Hyde, 4);
        QVERIFY(hyde.validate());
        QVERIFY(hyde.hash() != plain.hash());
        PipelineConfig multi = plain;
        multi.transform = transformOf(TransformKind::MultiQuery, 4);
        QVERIFY(multi.hash() != hyde.hash());
        PipelineConfig more = hyde;
        more.transform.variants = 5;
        QVERIFY(more.hash() != hyde.hash());
        auto back = PipelineConfig::fromJson(hyde.toJson());
        QVERIFY2(back, back ? "" : back.error().message().c_str());
        QCOMPARE(back->transform, hyde.transform);
        QCOMPARE(back->hash(), hyde.hash());
        PipelineConfig noModel = hyde;
        noModel.transform.chat.clear();
        QCOMPARE(noModel.validate().error().source, std::string("transform.chat"));
        noModel.transform.chat = "extractive";
        QVERIFY(!noModel.validate());
        QVERIFY(parseTransformKind("multi-query").value() == TransformKind::MultiQuery);
        QVERIFY(!parseTransformKind("hype"));
    }

    void providerErrorNamesTransformAndModel_data()
    {
        QTest::addColumn<int>("kind");
        QTest::newRow("hyde") << int(TransformKind::Hyde);
        QTest::newRow("multi-query") << int(TransformKind::MultiQuery);
    }
    void providerErrorNamesTransformAndModel()
    {
        QFETCH(int, kind);
        auto chat = model("status-400", "e" + std::to_string(kind));
        QueryTransform t = transformOf(TransformKind(kind), 2);
        auto failed = transformQuery(kQuestion, t, *chat, JobContext());
        QVERIFY(!failed);
        QCOMPARE(failed.error().code, ErrorCode::Provider);
        const std::string message = failed.error().message();
        QVERIFY2(message.find(std::string(transformKindName(t.kind)) + " query transform") != std::string::npos,
                 message.c_str());
        QVERIFY2(message.find("openai:gpt-test") != std::string::npos, message.c_str());
        QVERIFY2(message.find("scripted 400 error") != std::string::npos, message.c_str());  // the provider's words

        t.fallbackOnError = true;
        auto fellBack = transformQuery(kQuestion, t, *chat, JobContext());
        QVERIFY(fellBack);
        QVERIFY(fellBack->fellBack);
        QVERIFY(fellBack->fallbackReason.find("openai:gpt-test") != std::string::npos);
        QVERIFY(fellBack->passages.empty() && fellBack->phrasings.empty());
        const auto searches = fellBack->searches();
        QCOMPARE(searches.size(), std::size_t(1));
        QCOMPARE(searches[0].keywordText, kQuestion);
        QCOMPARE(searches[0].denseTexts, std::vector<std::string>{kQuestion});
    }

    void cancellation()
    {
        // Cancelled before the call: no request is sent, and no fallback either.
        CancelToken early;
        early.cancel();
        QueryTransform t = transformOf(TransformKind::Hyde, 2);
        t.fallbackOnError = true;
        auto before = transformQuery(kQuestion, t, *model("transform", "c1"), JobContext(early, {}));
        QVERIFY(!before);
        QCOMPARE(before.error().code, ErrorCode::Cancelled);
        QCOMPARE(m_server.stats("transform", "c1")["requests"].get<int>(), 0);

        // Cancelled while the provider is silent: ends promptly.
        CancelToken token;
        Result<TransformedQuery> during = fail(ErrorCode::Internal, "not run");
        QElapsedTimer timer;
        timer.start();
        std::thread worker([&] { during = transformQuery(kQuestion, t, *model("hang", "c2"), JobContext(token, {})); });
        std::this_thread::sleep_for(300ms);
        token.cancel();
        worker.join();
        QVERIFY(!during);
        QCOMPARE(during.error().code, ErrorCode::Cancelled);
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    }

    void evaluationAsksOncePerDistinctQuery()
    {
        EvalSet set;
        set.name = "plants";
        set.queries = {{"q1", kQuestion}, {"q2", "Where does lava come from?"}, {"q3", kQuestion}};
        set.qrels["q1"][docKey(QStringLiteral("photosynthesis.txt"))] = 1;
        set.qrels["q2"][docKey(QStringLiteral("volcano.txt"))] = 1;
        set.qrels["q3"][docKey(QStringLiteral("photosynthesis.txt"))] = 1;
        PipelineConfig config = m_config;
        config.lane = Lane::Dense;
        config.transform = transformOf(TransformKind::Hyde, 2);

        // A transform without its hook (or the reverse) is refused, not ignored.
        auto noHook = runEvalSet(*m_project, m_prepared, config, set, {"mrr"}, 10, JobContext());
        QVERIFY(!noHook);
        QCOMPARE(noHook.error().code, ErrorCode::InvalidArgument);

        int seen = 0;
        const QueryExpander hook = makeQueryExpander(config.transform, model("transform", "ev1"),
                                                     [&](const TransformedQuery &) { ++seen; });
        auto withPlain = runEvalSet(*m_project, m_prepared, m_config, set, {"mrr"}, 10, JobContext(), hook);
        QVERIFY(!withPlain);

        auto outcome = runEvalSet(*m_project, m_prepared, config, set, {"mrr"}, 10, JobContext(), hook);
        QVERIFY2(outcome, outcome ? "" : outcome.error().message().c_str());
        QCOMPARE(seen, 2);  // q3 repeats q1's text: not asked again
        QCOMPARE(m_server.stats("transform", "ev1")["requests"].get<int>(), 4);  // 2 texts x 2 passages
        const auto &usage = outcome->report.config["transform_usage"];
        QCOMPARE(usage["expanded_queries"].get<int>(), 2);
        QCOMPARE(usage["reused"].get<int>(), 1);
        QCOMPARE(usage["model_calls"].get<int>(), 4);
        QCOMPARE(usage["input_tokens"].get<int>(), 120);
        // Output: the plant passages (18 + 19 words) and the lava passage twice (16 + 16).
        QCOMPARE(usage["output_tokens"].get<int>(), 69);
        QVERIFY(std::abs(usage["cost_usd"].get<double>() - (120 * 1.0 + 69 * 2.0) / 1e6) < 1e-12);
        QCOMPARE(usage["fallbacks"].get<int>(), 0);
        QCOMPARE(outcome->report.config["transform"]["kind"].get<std::string>(), std::string("hyde"));
        QCOMPARE(outcome->report.config["config_hash"].get<std::string>(), config.hash());
        QVERIFY(outcome->report.timingsMs.count("transform_total"));
        // The target is first for both copies of the question.
        QCOMPARE(outcome->run.at("q1").front().docId, docKey(QStringLiteral("photosynthesis.txt")));
        QCOMPARE(outcome->run.at("q3").front().docId, docKey(QStringLiteral("photosynthesis.txt")));
        QCOMPARE(outcome->report.metrics.at("mrr"), 1.0);

        // Without the transform the same set scores lower on the plant question.
        auto plain = runEvalSet(*m_project, m_prepared, [&] { PipelineConfig c = m_config; c.lane = Lane::Dense; return c; }(),
                                set, {"mrr"}, 10, JobContext());
        QVERIFY(plain);
        QVERIFY(plain->report.perQuery.at("q1").at("mrr") < 1.0);
    }
};

QTEST_GUILESS_MAIN(TestQueryTransform)
#include "tst_querytransform.moc"
