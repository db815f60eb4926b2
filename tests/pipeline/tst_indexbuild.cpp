// Index builds through the content-addressed vector cache: a rebuild embeds
// nothing, a changed document re-embeds only its own chunks, a cancelled build
// leaves the previous index usable, and a query with another embedder is
// refused with a rebuild hint. Runs with the lexical and the neural embedder.
#include "core/chunking/chunkerconfig.h"
#include "core/embed/lexicalembedder.h"
#include "core/index/vectorindex.h"
#include "core/pipeline/chunkbuild.h"
#include "core/pipeline/embedderfactory.h"
#include "core/pipeline/indexbuild.h"
#include "core/pipeline/ingestion.h"
#include "core/retrieve/searcher.h"
#include "core/store/indexcatalog.h"
#include "core/store/project.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace rag;

class TestIndexBuild : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_docs;

    void writeDoc(const QString &name, const QByteArray &text)
    {
        QFile f(m_docs.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
    }

    std::unique_ptr<Project> freshProject(const QString &name)
    {
        auto project = Project::open(m_docs.filePath(name).toStdString());
        return project ? std::move(*project) : nullptr;
    }

    static ChunkerConfig smallChunks()
    {
        ChunkerConfig c;
        c.strategy = ChunkStrategy::Recursive;
        c.size = 120;
        c.overlap = 0;
        return c;
    }

private Q_SLOTS:
    void initTestCase()
    {
        writeDoc(QStringLiteral("a.md"), "# Cats\n\nCats are small carnivorous mammals that purr and hunt mice at night.\n\n"
                                         "They sleep for most of the day and groom themselves with rough tongues.\n");
        writeDoc(QStringLiteral("b.md"), "# Dogs\n\nDogs descend from wolves and were domesticated thousands of years ago.\n\n"
                                         "They bark, fetch sticks and guard houses for their families.\n");
        writeDoc(QStringLiteral("c.txt"), "Rivers carry water from mountains to the sea, shaping valleys and deltas.\n");
    }

    void rebuildEmbedsNothingAndChangesEmbedOnlyThemselves_data()
    {
        QTest::addColumn<QString>("embedder");
        QTest::newRow("lexical") << QStringLiteral("lexical");
        QTest::newRow("use-lite") << QStringLiteral("use-lite");
    }
    void rebuildEmbedsNothingAndChangesEmbedOnlyThemselves()
    {
        QFETCH(QString, embedder);
        auto project = freshProject(embedder + QStringLiteral(".ragwb"));
        QVERIFY(project);
        QVERIFY(ingestPaths(*project, {m_docs.filePath(QStringLiteral("a.md")).toStdString(),
                                       m_docs.filePath(QStringLiteral("b.md")).toStdString(),
                                       m_docs.filePath(QStringLiteral("c.txt")).toStdString()},
                            LoadOptions{}, JobContext()));
        auto chunked = buildChunkSet(*project, "small", smallChunks(), JobContext());
        QVERIFY2(chunked, chunked ? "" : chunked.error().message().c_str());
        const std::int64_t chunks = chunked->chunkSet.chunks;
        QVERIFY(chunks >= 5);

        IndexBuildSpec spec;
        spec.chunkSet = "small";
        spec.kind = "hnsw";
        spec.embedder = embedder.toStdString();
        auto first = buildIndex(*project, spec, JobContext());
        QVERIFY2(first, first ? "" : first.error().message().c_str());
        QCOMPARE(first->embedded + first->cached, chunks);
        QCOMPARE(first->embedded, chunks);  // every chunk text is distinct

        auto second = buildIndex(*project, spec, JobContext());
        QVERIFY(second);
        QCOMPARE(second->embedded, std::int64_t(0));
        QCOMPARE(second->cached, chunks);
        QCOMPARE(*isStale(*project, second->record), false);

        // Change one document: only its chunks are new text.
        writeDoc(QStringLiteral("c.txt"), "Rivers carry water and sediment from mountains to the sea.\n");
        QVERIFY(ingestPaths(*project, {m_docs.filePath(QStringLiteral("c.txt")).toStdString()}, LoadOptions{}, JobContext()));
        QCOMPARE(*isStale(*project, second->record), true);
        auto rechunked = buildChunkSet(*project, "small", smallChunks(), JobContext());
        QVERIFY(rechunked);
        QCOMPARE(rechunked->documentsChunked, std::int64_t(1));
        auto third = buildIndex(*project, spec, JobContext());
        QVERIFY(third);
        QCOMPARE(third->embedded, std::int64_t(1));
        QCOMPARE(third->cached, rechunked->chunkSet.chunks - 1);
        QCOMPARE(third->record.embedderKey, second->record.embedderKey);  // lexical statistics stay frozen

        // The index answers with the changed text.
        const Project &p = *project;
        auto searcher = Searcher::open(p, "small", third->record.name,
                                       [&](const std::string &key) { return embedderForKey(p, key); });
        QVERIFY2(searcher, searcher ? "" : searcher.error().message().c_str());
        auto hits = (*searcher)->denseLeg("water and sediment carried by rivers", 3);
        QVERIFY(hits && !hits->empty());
        QCOMPARE((*searcher)->docKeyOf((*searcher)->documentOf(hits->front().chunkId)),
                 m_docs.filePath(QStringLiteral("c.txt")).toStdString());
        writeDoc(QStringLiteral("c.txt"), "Rivers carry water from mountains to the sea, shaping valleys and deltas.\n");
    }

    void cancelledBuildKeepsPreviousIndex()
    {
        auto project = freshProject(QStringLiteral("cancel.ragwb"));
        QVERIFY(project);
        QVERIFY(ingestPaths(*project, {m_docs.path().toStdString()}, LoadOptions{}, JobContext()));
        QVERIFY(buildChunkSet(*project, "small", smallChunks(), JobContext()));
        IndexBuildSpec spec;
        spec.chunkSet = "small";
        spec.kind = "flat";
        spec.embedder = "lexical";
        auto built = buildIndex(*project, spec, JobContext());
        QVERIFY(built);
        QFile file(QString::fromStdString(built->record.filePath));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray before = file.readAll();
        file.close();

        CancelToken token;
        token.cancel();
        spec.refit = true;  // new statistics: every chunk would have to be embedded again
        auto cancelled = buildIndex(*project, spec, JobContext(token, {}));
        QVERIFY(!cancelled);
        QCOMPARE(cancelled.error().code, ErrorCode::Cancelled);
        auto record = IndexCatalog(project->db()).find(built->record.name);
        QVERIFY(record);
        QCOMPARE(record->builtAt, built->record.builtAt);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), before);
        QVERIFY(loadVectorIndex(record->filePath));
    }

    void queryWithAnotherEmbedderIsRefused()
    {
        auto project = freshProject(QStringLiteral("mismatch.ragwb"));
        QVERIFY(project);
        QVERIFY(ingestPaths(*project, {m_docs.path().toStdString()}, LoadOptions{}, JobContext()));
        QVERIFY(buildChunkSet(*project, "small", smallChunks(), JobContext()));
        IndexBuildSpec spec;
        spec.chunkSet = "small";
        spec.kind = "hnsw";
        spec.embedder = "lexical";
        auto built = buildIndex(*project, spec, JobContext());
        QVERIFY(built);
        // Resolve the index's embedder key to a different embedder (another dimension).
        const std::vector<std::string_view> corpus = {"other statistics entirely"};
        auto other = std::make_shared<LexicalEmbedder>(LexicalEmbedder::fit(corpus, 256));
        auto searcher = Searcher::open(*project, "small", built->record.name,
                                       [&](const std::string &) { return Result<std::shared_ptr<Embedder>>(other); });
        QVERIFY(!searcher);
        QCOMPARE(searcher.error().code, ErrorCode::Mismatch);
        QVERIFY2(searcher.error().detail.find("rebuild") != std::string::npos, searcher.error().detail.c_str());
    }
};

QTEST_GUILESS_MAIN(TestIndexBuild)
#include "tst_indexbuild.moc"
