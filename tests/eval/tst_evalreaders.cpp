// Eval-set readers on the real SciFact (BEIR) and Cranfield files, and on
// small malformed inputs for the error paths.
#include "core/eval/beirreader.h"
#include "core/eval/cranfieldreader.h"

#include <QtTest>

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <type_traits>

using namespace rag;

// Structural guard: a query is exactly an id and a text. Adding a field (say,
// metadata) must be a conscious change that breaks this test.
static_assert(sizeof(EvalQuery) == 2 * sizeof(std::string));
static_assert(std::is_aggregate_v<EvalQuery>);

namespace {

const std::string kSciFact = RAG_SHARED_DIR "/datasets/scifact";
const std::string kCranfield = RAG_SHARED_DIR "/datasets/cranfield";

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

std::map<int, int> relevanceHistogram(const Qrels &qrels)
{
    std::map<int, int> histogram;
    for (const auto &[qid, docs] : qrels)
        for (const auto &[doc, relevance] : docs)
            ++histogram[relevance];
    return histogram;
}

} // namespace

class TestEvalReaders : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void sciFactSplits_data();
    void sciFactSplits();
    void sciFactQueriesCarryNoMetadata();
    void beirUnknownSplitListsSplits();
    void beirErrorsNameFileAndLine_data();
    void beirErrorsNameFileAndLine();
    void beirAcceptsIntegerIdsAndCrlf();
    void evalSetHashIsCanonical();
    void cranfieldConventions_data();
    void cranfieldConventions();
    void cranfieldMatchesQueriesByPosition();
    void cranfieldErrors();
    void cranfieldCorpus();
};

void TestEvalReaders::initTestCase()
{
    QVERIFY2(QFile::exists(QString::fromStdString(kSciFact + "/queries.jsonl")),
             "SciFact is missing from shared/datasets/scifact; restore the shared datasets (see packaging/setup.sh)");
    QVERIFY2(QFile::exists(QString::fromStdString(kCranfield + "/cran.qry")),
             "Cranfield is missing from shared/datasets/cranfield; restore the shared datasets (see packaging/setup.sh)");
}

void TestEvalReaders::sciFactSplits_data()
{
    QTest::addColumn<QString>("split");
    QTest::addColumn<int>("queries");
    QTest::addColumn<int>("judgements");
    QTest::addColumn<QString>("firstId");
    QTest::addColumn<QString>("firstText");
    // Numbers from shared/datasets/scifact/README.md.
    QTest::newRow("test") << "test" << 300 << 339 << "1" << "0-dimensional biomaterials show inductive properties.";
    QTest::newRow("train") << "train" << 809 << 919 << "0" << "0-dimensional biomaterials lack inductive properties.";
}

void TestEvalReaders::sciFactSplits()
{
    QFETCH(QString, split);
    QFETCH(int, queries);
    QFETCH(int, judgements);
    QFETCH(QString, firstId);
    QFETCH(QString, firstText);

    const auto set = readBeirEvalSet(kSciFact, split.toStdString());
    QVERIFY2(set.has_value(), set ? "" : set.error().message().c_str());
    QCOMPARE(set->name, std::string("scifact"));
    QCOMPARE(set->split, split.toStdString());
    QCOMPARE(int(set->queries.size()), queries);
    QCOMPARE(int(set->qrels.size()), queries);
    QCOMPARE(int(set->judgementCount()), judgements);
    QCOMPARE(relevanceHistogram(set->qrels), (std::map<int, int>{{1, judgements}}));  // all scores are 1
    QCOMPARE(QString::fromStdString(set->queries.front().id), firstId);
    QCOMPARE(QString::fromStdString(set->queries.front().text), firstText);
    for (const EvalQuery &query : set->queries)
        QVERIFY2(set->qrels.contains(query.id), query.id.c_str());
}

void TestEvalReaders::sciFactQueriesCarryNoMetadata()
{
    // Independent parse with Qt's JSON: every EvalQuery text equals the
    // "text" field exactly, and nothing of the metadata (doc ids, labels)
    // shows up in it.
    QFile file(QString::fromStdString(kSciFact + "/queries.jsonl"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    std::map<std::string, QJsonObject> byId;
    int withMetadata = 0;
    while (!file.atEnd()) {
        const QJsonObject object = QJsonDocument::fromJson(file.readLine()).object();
        byId[object.value("_id").toString().toStdString()] = object;
        withMetadata += object.value("metadata").toObject().isEmpty() ? 0 : 1;
    }
    QCOMPARE(int(byId.size()), 1109);
    QCOMPARE(withMetadata, 693);  // the leak is really there in the file

    int checkedLeaks = 0;
    for (const char *split : {"test", "train"}) {
        const auto set = readBeirEvalSet(kSciFact, split);
        QVERIFY(set.has_value());
        for (const EvalQuery &query : set->queries) {
            const QJsonObject &object = byId.at(query.id);
            QCOMPARE(QString::fromStdString(query.text), object.value("text").toString());
            const QJsonObject metadata = object.value("metadata").toObject();
            for (const QString &docId : metadata.keys()) {
                QVERIFY2(!QString::fromStdString(query.text).contains(docId), query.id.c_str());
                ++checkedLeaks;
            }
            for (const char *label : {"SUPPORT", "CONTRADICT", "sentences"})
                QVERIFY2(!QString::fromStdString(query.text).contains(label), query.id.c_str());
        }
    }
    QVERIFY(checkedLeaks > 200);
}

void TestEvalReaders::beirUnknownSplitListsSplits()
{
    const auto set = readBeirEvalSet(kSciFact, "dev");
    QVERIFY(!set.has_value());
    QCOMPARE(set.error().code, ErrorCode::NotFound);
    QVERIFY2(set.error().detail.find("available splits: test, train") != std::string::npos,
             set.error().message().c_str());
    QCOMPARE(readBeirEvalSet(kSciFact + "/no-such-folder", "test").error().code, ErrorCode::NotFound);
}

void TestEvalReaders::beirErrorsNameFileAndLine_data()
{
    QTest::addColumn<QByteArray>("queries");
    QTest::addColumn<QByteArray>("qrels");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("sourceSuffix");
    QTest::addColumn<QString>("detailPart");

    const QByteArray goodQueries = "{\"_id\": \"q1\", \"text\": \"one\"}\n{\"_id\": \"q2\", \"text\": \"two\"}\n";
    const QByteArray goodQrels = "query-id\tcorpus-id\tscore\r\nq1\td1\t1\r\n";
    QTest::newRow("broken JSON") << QByteArray("{\"_id\": \"q1\", \"text\": \"one\"}\n{\"_id\": \"q2\", \n")
                                 << goodQrels << int(ErrorCode::Parse) << "queries.jsonl:2" << "parse error";
    QTest::newRow("no _id") << QByteArray("{\"text\": \"one\"}\n") << goodQrels << int(ErrorCode::Parse)
                            << "queries.jsonl:1" << "no \"_id\"";
    QTest::newRow("no text") << QByteArray("\n{\"_id\": \"q1\", \"metadata\": {\"text\": \"x\"}}\n") << goodQrels
                             << int(ErrorCode::Parse) << "queries.jsonl:2" << "no \"text\"";
    QTest::newRow("text not a string") << QByteArray("{\"_id\": \"q1\", \"text\": [\"a\"]}\n") << goodQrels
                                       << int(ErrorCode::Parse) << "queries.jsonl:1" << "must be a string";
    QTest::newRow("duplicate query") << QByteArray(goodQueries + "{\"_id\": \"q1\", \"text\": \"again\"}\n")
                                     << goodQrels << int(ErrorCode::Parse) << "queries.jsonl:3" << "duplicate";
    QTest::newRow("qrels field count") << goodQueries << QByteArray(goodQrels + "q2\td2\r\n") << int(ErrorCode::Parse)
                                       << "test.tsv:3" << "3 tab-separated";
    QTest::newRow("qrels score") << goodQueries << QByteArray(goodQrels + "q2\td2\thigh\r\n") << int(ErrorCode::Parse)
                                 << "test.tsv:3" << "not an integer";
    QTest::newRow("conflicting duplicate judgement") << goodQueries << QByteArray(goodQrels + "q1\td1\t2\r\n")
                                                     << int(ErrorCode::Parse) << "test.tsv:3" << "line 2";
    QTest::newRow("judged query missing") << goodQueries << QByteArray(goodQrels + "q7\td1\t1\r\n")
                                          << int(ErrorCode::Mismatch) << "test.tsv:3" << "q7";
}

void TestEvalReaders::beirErrorsNameFileAndLine()
{
    QFETCH(QByteArray, queries);
    QFETCH(QByteArray, qrels);
    QFETCH(int, code);
    QFETCH(QString, sourceSuffix);
    QFETCH(QString, detailPart);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir(dir.path()).mkdir("qrels"));
    QVERIFY(writeFile(dir.filePath("queries.jsonl"), queries));
    QVERIFY(writeFile(dir.filePath("qrels/test.tsv"), qrels));
    const auto set = readBeirEvalSet(dir.path().toStdString(), "test");
    QVERIFY(!set.has_value());
    QCOMPARE(int(set.error().code), code);
    QVERIFY2(QString::fromStdString(set.error().source).endsWith(sourceSuffix), set.error().message().c_str());
    QVERIFY2(QString::fromStdString(set.error().detail).contains(detailPart), set.error().message().c_str());
}

void TestEvalReaders::beirAcceptsIntegerIdsAndCrlf()
{
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkdir("qrels"));
    // Integer _id, fields in any order, nested metadata with its own "_id"
    // and "text" keys that must not be picked up, CRLF everywhere, an
    // identical duplicate judgement (accepted once), a judged 0 and a -1.
    QVERIFY(writeFile(dir.filePath("queries.jsonl"),
                      "{\"metadata\": {\"_id\": \"leak\", \"text\": \"leak\"}, \"text\": \"alpha\", \"_id\": 7}\r\n"
                      "{\"_id\": \"8\", \"text\": \"beta\", \"metadata\": [1, {\"text\": \"leak\"}]}\r\n"
                      "{\"_id\": \"9\", \"text\": \"not judged\"}\r\n"));
    QVERIFY(writeFile(dir.filePath("qrels/dev.tsv"),
                      "query-id\tcorpus-id\tscore\r\n8\tdA\t2\r\n7\tdB\t1\r\n7\tdB\t1\r\n7\tdC\t0\r\n7\tdD\t-1\r\n"));
    const auto set = readBeirEvalSet(dir.path().toStdString(), "dev");
    QVERIFY2(set.has_value(), set ? "" : set.error().message().c_str());
    QCOMPARE(set->queries, (std::vector<EvalQuery>{{"7", "alpha"}, {"8", "beta"}}));
    QCOMPARE(set->qrels, (Qrels{{"7", {{"dB", 1}, {"dC", 0}, {"dD", -1}}}, {"8", {{"dA", 2}}}}));
}

void TestEvalReaders::evalSetHashIsCanonical()
{
    auto set = readBeirEvalSet(kSciFact, "test");
    QVERIFY(set.has_value());
    const std::string hash = set->hash();
    QCOMPARE(hash.size(), std::size_t(64));
    QCOMPARE(readBeirEvalSet(kSciFact, "test")->hash(), hash);  // stable

    EvalSet shuffled = *set;
    std::reverse(shuffled.queries.begin(), shuffled.queries.end());
    shuffled.name = "renamed";
    QCOMPARE(shuffled.hash(), hash);  // order and name are not content

    EvalSet regraded = *set;
    regraded.qrels.begin()->second.begin()->second = 2;
    QVERIFY(regraded.hash() != hash);
    EvalSet retexted = *set;
    retexted.queries.front().text += " ";
    QVERIFY(retexted.hash() != hash);
    QVERIFY(readBeirEvalSet(kSciFact, "train")->hash() != hash);
}

void TestEvalReaders::cranfieldConventions_data()
{
    QTest::addColumn<int>("convention");
    QTest::addColumn<QString>("histogram");  // relevance:count
    QTest::addColumn<int>("firstPair");      // relevance of "1 184 2"
    QTest::addColumn<int>("lastPair");       // relevance of "225 1188 -1"
    // Code counts from the README: -1: 225, 1: 128, 2: 387, 3: 734, 4: 363.
    QTest::newRow("binary, all listed") << int(CranfieldRelevance::BinaryAll) << "1:1837" << 1 << 1;
    QTest::newRow("binary, codes 1-4") << int(CranfieldRelevance::BinaryCodes1To4) << "0:225 1:1612" << 1 << 0;
    // gain 5 - code: 1 -> 4 (128), 2 -> 3 (387), 3 -> 2 (734), 4 -> 1 (363)
    QTest::newRow("graded 5 - code") << int(CranfieldRelevance::GradedFiveMinusCode)
                                     << "0:225 1:363 2:734 3:387 4:128" << 3 << 0;
}

void TestEvalReaders::cranfieldConventions()
{
    QFETCH(int, convention);
    QFETCH(QString, histogram);
    QFETCH(int, firstPair);
    QFETCH(int, lastPair);

    const auto set = readCranfieldEvalSet(kCranfield, static_cast<CranfieldRelevance>(convention));
    QVERIFY2(set.has_value(), set ? "" : set.error().message().c_str());
    QCOMPARE(set->name, std::string("cranfield"));
    QCOMPARE(set->queries.size(), std::size_t(225));
    QCOMPARE(set->qrels.size(), std::size_t(225));
    QCOMPARE(set->judgementCount(), std::size_t(1837));
    QStringList actual;
    for (const auto &[relevance, count] : relevanceHistogram(set->qrels))
        actual << QStringLiteral("%1:%2").arg(relevance).arg(count);
    QCOMPARE(actual.join(' '), histogram);
    QCOMPARE(set->qrels.at("1").at("184"), firstPair);
    QCOMPARE(set->qrels.at("225").at("1188"), lastPair);
}

void TestEvalReaders::cranfieldMatchesQueriesByPosition()
{
    const auto set = readCranfieldEvalSet(kCranfield, CranfieldRelevance::BinaryAll);
    QVERIFY(set.has_value());
    for (std::size_t i = 0; i < set->queries.size(); ++i)
        QCOMPARE(set->queries[i].id, std::to_string(i + 1));
    QCOMPARE(set->queries[0].text,
             std::string("what similarity laws must be obeyed when constructing aeroelastic models of heated high "
                         "speed aircraft ."));
    // Position 3 is ".I 004"; matching by ".I" would give query 4 (".I 008") this slot.
    QCOMPARE(set->queries[2].text,
             std::string("what problems of heat conduction in composite slabs have been solved so far ."));
    // Position 225 is ".I 365", the last record (CRLF stripped).
    QVERIFY2(QString::fromStdString(set->queries[224].text).endsWith("lift-drag ratios at mach numbers above 5 ."),
             set->queries[224].text.c_str());
    for (const EvalQuery &query : set->queries)
        QVERIFY2(query.text.find('\r') == std::string::npos && !query.text.empty(), query.id.c_str());
}

void TestEvalReaders::cranfieldErrors()
{
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath("cran.qry"), ".I 001\r\n.W\r\nfirst query\r\n.I 003\r\n.W\r\nsecond\r\n"));
    QVERIFY(writeFile(dir.filePath("cranqrel"), "1 10 2\n2 11 5\n"));
    auto set = readCranfieldEvalSet(dir.path().toStdString(), CranfieldRelevance::BinaryAll);
    QVERIFY(!set.has_value());
    QCOMPARE(set.error().code, ErrorCode::Parse);
    QVERIFY2(set.error().source.ends_with("cranqrel:2"), set.error().message().c_str());

    // Query 3 does not exist: only two queries, numbered by position.
    QVERIFY(writeFile(dir.filePath("cranqrel"), "1 10 2\n3 11 1"));
    set = readCranfieldEvalSet(dir.path().toStdString(), CranfieldRelevance::BinaryAll);
    QVERIFY(!set.has_value());
    QCOMPARE(set.error().code, ErrorCode::Mismatch);
    QVERIFY2(set.error().source.ends_with("cranqrel:2"), set.error().message().c_str());

    QVERIFY(writeFile(dir.filePath("cranqrel"), "1 10 2\n2 11 1"));
    set = readCranfieldEvalSet(dir.path().toStdString(), CranfieldRelevance::BinaryAll);
    QVERIFY2(set.has_value(), set ? "" : set.error().message().c_str());
    QCOMPARE(set->queries, (std::vector<EvalQuery>{{"1", "first query"}, {"2", "second"}}));

    QVERIFY(writeFile(dir.filePath("cran.qry"), ".I 001\r\n.W\r\nok\r\n.I 002\r\n.T\r\nno text field\r\n"));
    set = readCranfieldEvalSet(dir.path().toStdString(), CranfieldRelevance::BinaryAll);
    QVERIFY(!set.has_value());
    QVERIFY2(set.error().source.ends_with("cran.qry:5"), set.error().message().c_str());

    QCOMPARE(readCranfieldCorpus(dir.path().toStdString()).error().code, ErrorCode::NotFound);
}

void TestEvalReaders::cranfieldCorpus()
{
    const auto docs = readCranfieldCorpus(kCranfield);
    QVERIFY2(docs.has_value(), docs ? "" : docs.error().message().c_str());
    QCOMPARE(docs->size(), std::size_t(1400));
    for (std::size_t i = 0; i < docs->size(); ++i)
        QCOMPARE((*docs)[i].id, std::to_string(i + 1));
    const CranfieldDoc &first = docs->front();
    QCOMPARE(first.title, std::string("experimental investigation of the aerodynamics of a wing in a slipstream ."));
    QVERIFY(first.text.starts_with("experimental investigation of the aerodynamics of a\nwing in a slipstream ."));
    QVERIFY(first.text.ends_with("for\nthe specific configuration of the experiment ."));
    QVERIFY(first.text.find("brenckman") == std::string::npos);  // authors are not text

    // Doc 240 has stray ".A"/".B" lines inside its abstract: the text after
    // them stays in the abstract and the tag lines themselves are dropped.
    const CranfieldDoc &damaged = (*docs)[239];
    QVERIFY(damaged.text.find("application to turbulent separations is made for a prandtl number of")
            != std::string::npos);
    QVERIFY(damaged.text.find("transfer in a laminar separated flow .") != std::string::npos);
    QVERIFY(damaged.text.find("\n.A\n") == std::string::npos);
    // Multi-line titles are joined with single spaces.
    QCOMPARE((*docs)[575].title,
             std::string("viscous and inviscid stagnation flow in a dissociated hypervelocity free stream ."));
    // Doc 471 is empty in the distribution; it is kept, empty.
    QCOMPARE((*docs)[470].title, std::string());
    QCOMPARE((*docs)[470].text, std::string());
}

QTEST_GUILESS_MAIN(TestEvalReaders)
#include "tst_evalreaders.moc"
