// Every item model under QAbstractItemModelTester (reset, inserts, removals,
// updates), the values each column shows, the UTF-8 -> UTF-16 span mapping and
// the snippet highlighting.
#include "models/documentlistmodel.h"
#include "models/importoutcomemodel.h"
#include "models/indexvariantmodel.h"
#include "models/joblistmodel.h"
#include "models/laneresultmodel.h"
#include "models/sweeppointmodel.h"
#include "models/utf8indexmap.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace rag;

class TestModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void utf8IndexMap_data();
    void utf8IndexMap();
    void documentList();
    void importOutcomes();
    void indexVariants();
    void jobList();
    void laneResults();
    void snippetHighlight_data();
    void snippetHighlight();
    void sweepPoints();
};

void TestModels::utf8IndexMap_data()
{
    QTest::addColumn<QByteArray>("utf8");
    QTest::addColumn<qint64>("byteOffset");
    QTest::addColumn<int>("utf16");
    QTest::newRow("ascii") << QByteArray("hello") << qint64(3) << 3;
    QTest::newRow("end") << QByteArray("hello") << qint64(5) << 5;
    QTest::newRow("past end clamps") << QByteArray("hello") << qint64(99) << 5;
    QTest::newRow("after two-byte") << QByteArray("\xC3\xA4" "b") << qint64(2) << 1;      // äb
    QTest::newRow("after three-byte") << QByteArray("\xE2\x82\xAC" "x") << qint64(3) << 1; // €x
    QTest::newRow("after astral") << QByteArray("\xF0\x9F\x98\x80" "x") << qint64(4) << 2; // 😀x
    QTest::newRow("mixed") << QByteArray("a\xC3\xA4\xF0\x9F\x98\x80\xE2\x82\xAC" "z") << qint64(10) << 5;
}

void TestModels::utf8IndexMap()
{
    QFETCH(QByteArray, utf8);
    QFETCH(qint64, byteOffset);
    QFETCH(int, utf16);
    const Utf8IndexMap map(std::string_view(utf8.constData(), std::size_t(utf8.size())));
    QCOMPARE(map.toUtf16(byteOffset), utf16);
    // Against Qt's own decoder of the prefix.
    if (byteOffset <= utf8.size())
        QCOMPARE(map.toUtf16(byteOffset), int(QString::fromUtf8(utf8.left(byteOffset)).size()));
    QCOMPARE(map.utf16Length(), QString::fromUtf8(utf8).size());
}

void TestModels::documentList()
{
    DocumentListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    std::vector<DocumentInfo> docs = {{1, "a.md", "Alpha", "/x/a.md", "md", 2048, "h1"},
                                      {2, "b.txt", "", "/x/b.txt", "txt", 10, "h2"}};
    model.setDocuments(docs, {{1, 7}});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), int(DocumentListModel::Column::Count));
    QCOMPARE(model.index(0, int(DocumentListModel::Column::Title)).data().toString(), QStringLiteral("Alpha"));
    QCOMPARE(model.index(1, int(DocumentListModel::Column::Title)).data().toString(), QStringLiteral("b.txt"));
    QCOMPARE(model.index(0, int(DocumentListModel::Column::Chunks)).data().toLongLong(), 7);
    QCOMPARE(model.index(1, int(DocumentListModel::Column::Chunks)).data().toLongLong(), 0);
    QCOMPARE(model.index(0, int(DocumentListModel::Column::Size)).data(DocumentListModel::SortRole).toLongLong(), 2048);
    QCOMPARE(model.index(0, int(DocumentListModel::Column::Format)).data().toString(), QStringLiteral("md"));
    QCOMPARE(model.rowOfDocument(2), 1);
    QCOMPARE(model.rowOfDocument(9), -1);
    model.setDocuments({}, {});
    QCOMPARE(model.rowCount(), 0);
}

void TestModels::importOutcomes()
{
    ImportOutcomeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ImportOutcome ok;
    ok.path = "/data/guide.md";
    ok.status = ImportStatus::Imported;
    ok.added = 1;
    ImportOutcome bad;
    bad.path = "/data/broken.pdf";
    bad.status = ImportStatus::Failed;
    bad.error = Error{ErrorCode::Corrupt, "not a PDF", "/data/broken.pdf"};
    model.addOutcomes({ok, bad});
    model.addOutcomes({ok});
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(1, int(ImportOutcomeModel::Column::File)).data().toString(), QStringLiteral("guide.md"));
    QCOMPARE(model.index(2, int(ImportOutcomeModel::Column::Status)).data().toString(), QStringLiteral("failed"));
    QCOMPARE(model.index(2, int(ImportOutcomeModel::Column::Reason)).data().toString(),
             QStringLiteral("/data/broken.pdf: not a PDF"));
    QCOMPARE(model.index(0, int(ImportOutcomeModel::Column::Documents)).data().toString(),
             QStringLiteral("1 added, 0 replaced, 0 unchanged"));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestModels::indexVariants()
{
    IndexVariantModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    IndexRecord bm25;
    bm25.name = "s:bm25";
    bm25.kind = "bm25";
    bm25.chunkSetName = "s";
    bm25.identityJson = R"({"kind":"bm25","k1":1.2,"b":0.75})";
    bm25.sizeBytes = 4096;
    IndexRecord hnsw;
    hnsw.name = "s:hnsw:lexical";
    hnsw.kind = "hnsw";
    hnsw.chunkSetName = "s";
    hnsw.buildMs = 2500;
    hnsw.sizeBytes = 4096;
    hnsw.identityJson = R"({"embedder":{"name":"lexical","dimension":512},"M":16,"efConstruction":200,"efSearch":64})";
    model.setIndexes({bm25, hnsw}, {false, true});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, int(IndexVariantModel::Column::Parameters)).data().toString(), QStringLiteral("k1=1.2 b=0.75"));
    QCOMPARE(model.index(1, int(IndexVariantModel::Column::Embedder)).data().toString(), QStringLiteral("lexical"));
    QCOMPARE(model.index(1, int(IndexVariantModel::Column::Dimension)).data().toInt(), 512);
    QCOMPARE(model.index(1, int(IndexVariantModel::Column::Parameters)).data().toString(),
             QStringLiteral("M=16 efC=200 ef=64"));
    QCOMPARE(model.index(1, int(IndexVariantModel::Column::Status)).data().toString(), QStringLiteral("stale"));
    QCOMPARE(model.index(0, int(IndexVariantModel::Column::Status)).data().toString(), QStringLiteral("current"));
    QCOMPARE(model.index(1, 0).data(IndexVariantModel::StaleRole).toBool(), true);
    QCOMPARE(model.index(1, int(IndexVariantModel::Column::BuildTime)).data().toString(), QStringLiteral("2.5 s"));
    // The BM25 index's size is the FTS5 tables' share of the project file.
    const QString hnswSize = model.index(1, int(IndexVariantModel::Column::Size)).data().toString();
    QVERIFY(!hnswSize.isEmpty());
    QCOMPARE(model.index(0, int(IndexVariantModel::Column::Size)).data().toString(), hnswSize + QStringLiteral(" in project"));
    QVERIFY(model.isStale(1));
    QVERIFY(!model.isStale(0));
}

void TestModels::jobList()
{
    JobListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    JobInfo a;
    a.id = 1;
    a.title = "Import";
    a.progress = {25, 100, "importing"};
    a.itemsPerSecond = 12.5;
    a.etaSeconds = 75;
    model.upsert(a);
    JobInfo b;
    b.id = 2;
    b.title = "Index";
    b.state = JobState::Failed;
    b.error = Error{ErrorCode::Io, "disk full", "idx"};
    model.upsert(b);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.rowOfJob(2), 0);  // newest first
    const int rowA = model.rowOfJob(1);
    QCOMPARE(model.index(rowA, int(JobListModel::Column::Progress)).data(JobListModel::FractionRole).toDouble(), 0.25);
    QCOMPARE(model.index(rowA, int(JobListModel::Column::Throughput)).data().toString(), QStringLiteral("12.5/s"));
    QCOMPARE(model.index(rowA, int(JobListModel::Column::Eta)).data().toString(), QStringLiteral("1 min 15 s"));
    QCOMPARE(model.index(rowA, int(JobListModel::Column::State)).data().toString(), QStringLiteral("importing"));
    QCOMPARE(model.index(0, 0).data(JobListModel::ErrorRole).toString(), QStringLiteral("idx: disk full"));
    a.progress.done = 100;
    a.state = JobState::Succeeded;
    model.upsert(a);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(rowA, 0).data(JobListModel::FractionRole).toDouble(), 1.0);
    model.retain({1});
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.job(0)->id, std::uint64_t(1));
}

void TestModels::laneResults()
{
    LaneResultModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    LaneRow r;
    r.chunkId = 5;
    r.documentId = 3;
    r.rank = 1;
    r.score = 0.03;
    r.keyword = LegPlace{2, 7.5};
    r.hybrid = LegPlace{1, 0.032};
    r.document = QStringLiteral("Guide");
    r.text = QStringLiteral("Build the HNSW index, then tune ef_search.");
    r.start = 10;
    r.end = 52;
    model.setRows({r}, queryTerms(QStringLiteral("hnsw index?")));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, int(LaneResultModel::Column::Keyword)).data().toString(), QStringLiteral("#2 (7.5)"));
    QCOMPARE(model.index(0, int(LaneResultModel::Column::Dense)).data().toString(), QStringLiteral("–"));
    QCOMPARE(model.index(0, int(LaneResultModel::Column::Document)).data().toString(), QStringLiteral("Guide"));
    QCOMPARE(model.index(0, 0).data(LaneResultModel::SnippetHtmlRole).toString(),
             QStringLiteral("Build the <b>HNSW</b> <b>index</b>, then tune ef_search."));
    QCOMPARE(model.index(0, 0).data(LaneResultModel::SpanEndRole).toLongLong(), 52);
    model.setRows({}, {});
    QCOMPARE(model.rowCount(), 0);
}

void TestModels::snippetHighlight_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("maxChars");
    QTest::addColumn<QString>("html");
    QTest::newRow("plain") << QStringLiteral("a b c") << QString() << 50 << QStringLiteral("a b c");
    QTest::newRow("escape") << QStringLiteral("x < y & z") << QStringLiteral("zz") << 50 << QStringLiteral("x &lt; y &amp; z");
    QTest::newRow("case-insensitive prefix") << QStringLiteral("Chunking chunks text")
                                             << QStringLiteral("chunk") << 50
                                             << QStringLiteral("<b>Chunking</b> <b>chunks</b> text");
    QTest::newRow("window cut around term") << QStringLiteral("one two three four five six seven eight nine ten target end")
                                            << QStringLiteral("target") << 20
                                            << QStringLiteral("… ten <b>target</b> end");
}

void TestModels::snippetHighlight()
{
    QFETCH(QString, text);
    QFETCH(QString, query);
    QFETCH(int, maxChars);
    QFETCH(QString, html);
    QString out;
    snippetAround(text, queryTerms(query), maxChars, &out);
    QCOMPARE(out, html);
}

void TestModels::sweepPoints()
{
    SweepPointModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPoints({{16, 10, 0.81234, 0.05, 0.5}, {16, 80, 0.99, 0.1, 0.5}});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, int(SweepPointModel::Column::Recall)).data().toString(), QStringLiteral("0.812"));
    QCOMPARE(model.index(0, int(SweepPointModel::Column::Speedup)).data().toString(), QStringLiteral("10.0×"));
    QCOMPARE(model.index(1, int(SweepPointModel::Column::EfSearch)).data().toInt(), 80);
}

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
