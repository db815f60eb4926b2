// The BM25 keyword index: any user text is a safe query (FTS5 syntax and SQL
// metacharacters never error and never change the meaning), ranking follows
// BM25, a rebuild swaps atomically, and a cancelled build keeps the old index.
#include "core/common/hashing.h"
#include "core/index/keywordindex.h"
#include "core/index/keywordtokenizer.h"
#include "core/store/chunkrepository.h"
#include "core/store/documentrepository.h"
#include "core/store/project.h"

#include <QTemporaryDir>
#include <QTest>

using namespace rag;

class TestKeywordIndex : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<Project> m_project;
    std::int64_t m_set = 0;

    // One chunk per document, the whole text.
    void addDocuments(const std::vector<std::pair<std::string, std::string>> &docs, const std::string &file)
    {
        LoadedFile f;
        f.path = file;
        f.format = "jsonl";
        std::string all;
        for (const auto &[id, text] : docs) {
            f.documents.push_back(SourceDocument{id, "", text, "{}"});
            all += id + "\n" + text;
        }
        f.fileHash = sha256Hex(all);
        QVERIFY(DocumentRepository(m_project->db()).importFile(f));
        ChunkRepository chunks(m_project->db());
        DocumentRepository documents(m_project->db());
        const auto pending = chunks.pending(m_set);
        QVERIFY(pending);
        for (const auto &p : *pending) {
            const std::string text = *documents.text(p.documentId);
            QVERIFY(chunks.storeChunks(m_set, p.documentId, p.contentHash,
                                       {ChunkRecord{0, p.documentId, 0, 0, std::int64_t(text.size()), "", sha256Hex(text)}}));
        }
    }

    std::vector<std::string> search(const std::string &q, int k = 10)
    {
        auto hits = KeywordIndex::search(m_project->db(), m_set, q, k);
        if (!hits) {
            qWarning("%s", hits.error().message().c_str());
            return {"<error>"};
        }
        ChunkRepository chunks(m_project->db());
        DocumentRepository documents(m_project->db());
        std::vector<std::string> keys;
        for (const KeywordHit &h : *hits)
            keys.push_back(documents.info(chunks.chunk(h.chunkId)->documentId)->docKey);
        return keys;
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto project = Project::open(m_dir.filePath(QStringLiteral("kw.ragwb")).toStdString());
        QVERIFY(project);
        m_project = std::move(*project);
        m_set = *ChunkRepository(m_project->db()).ensureChunkSet("whole", "{}", "h");
        addDocuments({{"cats", "Cats are small domesticated carnivorous mammals. A cat purrs."},
                      {"dogs", "Dogs are domesticated descendants of wolves; dogs bark and dogs run."},
                      {"near", "NEAR the river AND the hill OR the valley (a path) - with \"quotes\" and col:on"},
                      {"sql", "Robert'); DROP TABLE documents;-- is a well known name"},
                      {"stem", "Running runners ran; the runner runs daily."},
                      {"accent", "Caf\xc3\xa9 cr\xc3\xa8me br\xc3\xbbl\xc3\xa9\x65 recipes"}},
                     "/animals.jsonl");
        auto built = KeywordIndex::build(m_project->db(), ChunkRepository(m_project->db()), m_set, JobContext());
        QVERIFY2(built, built ? "" : built.error().message().c_str());
        QCOMPARE(built->chunks, std::int64_t(6));
        // At least the data, docsize, config, lengths tables: one page each.
        auto size = KeywordIndex::sizeBytes(m_project->db(), m_set);
        QVERIFY2(size, size ? "" : size.error().message().c_str());
        QVERIFY(*size >= 4 * 4096);
        QCOMPARE(*KeywordIndex::sizeBytes(m_project->db(), m_set + 1000), std::int64_t(0));
    }

    void ranksByBm25()
    {
        QCOMPARE(search("dogs").front(), std::string("dogs"));
        QCOMPARE(search("cat purrs").front(), std::string("cats"));
        // "dogs" occurs three times in one document: it outranks a single mention.
        QCOMPARE(search("domesticated dogs").front(), std::string("dogs"));
    }

    void stemsAndFoldsDiacritics()
    {
        // Porter: "running" and "runs" stem to "run" (twice in "stem"); "dogs run" once.
        QCOMPARE(search("run"), (std::vector<std::string>{"stem", "dogs"}));
        QCOMPARE(search("creme brulee"), std::vector<std::string>{"accent"});
    }

    void metacharactersAreSafe_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("expectedFirst");
        QTest::newRow("double quote") << QStringLiteral("\"quotes") << QStringLiteral("near");
        QTest::newRow("unbalanced quotes") << QStringLiteral("\"\"\"river") << QStringLiteral("near");
        QTest::newRow("star") << QStringLiteral("riv*") << QStringLiteral("");
        QTest::newRow("minus") << QStringLiteral("-river") << QStringLiteral("near");
        QTest::newRow("colon column filter") << QStringLiteral("text:river") << QStringLiteral("near");
        QTest::newRow("NEAR operator") << QStringLiteral("NEAR(river hill)") << QStringLiteral("near");
        QTest::newRow("AND OR") << QStringLiteral("cats AND OR dogs") << QStringLiteral("");
        QTest::newRow("parentheses") << QStringLiteral("((cats") << QStringLiteral("cats");
        QTest::newRow("sql injection") << QStringLiteral("'); DROP TABLE documents;--") << QStringLiteral("sql");
        QTest::newRow("caret and braces") << QStringLiteral("^{river}") << QStringLiteral("near");
        QTest::newRow("only punctuation") << QStringLiteral("\"*-:()") << QStringLiteral("");
        QTest::newRow("empty") << QString() << QStringLiteral("");
    }
    void metacharactersAreSafe()
    {
        QFETCH(QString, query);
        QFETCH(QString, expectedFirst);
        auto hits = KeywordIndex::search(m_project->db(), m_set, query.toStdString(), 10);
        QVERIFY2(hits, hits ? "" : hits.error().message().c_str());
        const auto keys = search(query.toStdString());
        if (!expectedFirst.isEmpty()) {
            QVERIFY(!keys.empty());
            QCOMPARE(QString::fromStdString(keys.front()), expectedFirst);
        }
        // The project's tables are untouched whatever the query said.
        QCOMPARE(*DocumentRepository(m_project->db()).count(), std::int64_t(6));
    }

    void operatorsAreTermsNotSyntax()
    {
        // "AND"/"OR"/"NEAR" are searched as words: only the document containing
        // them matches a query made of nothing else.
        QCOMPARE(search("near and or"), std::vector<std::string>{"near"});
        // "riv*" is the term "riv", not a prefix query: no document has it.
        QVERIFY(search("riv*").empty());
        QCOMPARE(KeywordIndex::safeMatchExpression("a \"b\" NEAR c"), std::string("\"b\" OR \"near\" OR \"c\""));
        QCOMPARE(KeywordIndex::queryTerms("The cat AND the dog"), (std::vector<std::string>{"cat", "dog"}));
        QCOMPARE(KeywordIndex::queryTerms("the of"), (std::vector<std::string>{"the", "of"}));
    }

    void advancedModePassesSyntax()
    {
        auto prefix = KeywordIndex::search(m_project->db(), m_set, "riv*", 10, KeywordIndex::QueryMode::Advanced);
        QVERIFY(prefix);
        QCOMPARE(prefix->size(), std::size_t(1));
        auto broken = KeywordIndex::search(m_project->db(), m_set, "\"unbalanced", 10, KeywordIndex::QueryMode::Advanced);
        QVERIFY(!broken);
        QCOMPARE(broken.error().code, ErrorCode::InvalidArgument);
        QVERIFY(broken.error().detail.find("not a valid FTS5 query") != std::string::npos);
    }

    void cancelledRebuildKeepsPreviousIndex()
    {
        addDocuments({{"birds", "Birds fly and sing; dogs watch birds."}}, "/birds.jsonl");
        CancelToken token;
        token.cancel();
        auto cancelled = KeywordIndex::build(m_project->db(), ChunkRepository(m_project->db()), m_set,
                                             JobContext(token, {}));
        QVERIFY(!cancelled);
        QCOMPARE(cancelled.error().code, ErrorCode::Cancelled);
        QCOMPARE(search("dogs").size(), std::size_t(1));  // the old index, without the new document
        QVERIFY(KeywordIndex::build(m_project->db(), ChunkRepository(m_project->db()), m_set, JobContext()));
        QCOMPARE(search("dogs").size(), std::size_t(2));
        QCOMPARE(search("birds").front(), std::string("birds"));
    }

    void missingIndexIsAClearError()
    {
        const auto other = *ChunkRepository(m_project->db()).ensureChunkSet("other", "{}", "h2");
        auto hits = KeywordIndex::search(m_project->db(), other, "dogs", 10);
        QVERIFY(!hits);
        QCOMPARE(hits.error().code, ErrorCode::NotFound);
        QVERIFY(hits.error().detail.find("ragwb index --kind bm25") != std::string::npos);
    }

    void textTokenizerIsPorter()
    {
        auto tokenizer = TextTokenizer::create();
        QVERIFY2(tokenizer, tokenizer ? "" : tokenizer.error().message().c_str());
        DocumentTokens tokens;
        QVERIFY((*tokenizer)->tokenize("Running runners, Caf\xc3\xa9!", tokens));
        QCOMPARE(tokens.bytes, std::string("runrunnercafe"));
        QCOMPARE(tokens.tokens.size(), std::size_t(3));
        QCOMPARE(tokens.tokens[1].end, 9u);
        QCOMPARE(tokens.tokens[1].textStart, 8u);   // offsets in the text: "runners"
        QCOMPARE(tokens.tokens[1].textEnd, 15u);
        QCOMPARE(tokens.tokens[2].textEnd, 22u);    // "Café" is 5 bytes
        QCOMPARE(tokens.textBytes, std::size_t(23));
    }

    void insertReplaysPretokenizedDocument()
    {
        const Database &db = m_project->db();
        QVERIFY(db.exec(std::string("CREATE VIRTUAL TABLE temp.replay USING fts5(text, content='', tokenize='")
                        + kKeywordTokenizerSpec + "')"));
        auto tokenizer = TextTokenizer::create();
        QVERIFY(tokenizer);
        DocumentTokens tokens;
        QVERIFY((*tokenizer)->tokenize("wolves howl", tokens));
        auto insert = db.prepare("INSERT INTO temp.replay(rowid, text) VALUES(1, ?)");
        QVERIFY(insert);
        {
            const PretokenizedDocument scope(tokens);
            QVERIFY(insert->bind(1, std::string_view("wolves howl")).run());
            QVERIFY(scope.replayed());
        }
        // A text of another length is never taken for the pending document.
        auto second = db.prepare("INSERT INTO temp.replay(rowid, text) VALUES(2, 'sheep')");
        QVERIFY(second);
        {
            const PretokenizedDocument stale(tokens);
            QVERIFY(second->run());
            QVERIFY(!stale.replayed());
        }
        auto match = [&](const char *q) {
            auto stmt = db.prepare(std::string("SELECT rowid FROM temp.replay WHERE replay MATCH '") + q + "'");
            return stmt && *stmt->step() ? stmt->columnInt(0) : std::int64_t(0);
        };
        QCOMPARE(match("wolves"), std::int64_t(1));  // porter stems the query as it stemmed the row
        QCOMPARE(match("sheep"), std::int64_t(2));
    }

    // The parallel build must index exactly what FTS5's porter tokenizer would: every
    // (term, row, column, position) of the index equals a plain porter table's.
    void parallelBuildIndexesWhatPorterWould()
    {
        std::vector<std::pair<std::string, std::string>> docs;
        for (int i = 0; i < 700; ++i)  // more than two batches of 256 rows
            docs.emplace_back("bulk" + std::to_string(i),
                              "Document " + std::to_string(i) + " about running wolves, caf\xc3\xa9s and "
                                  + std::string(std::size_t(i % 90), 'x') + " \xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0 "
                                  "\xe6\x9d\xb1\xe4\xba\xac e\xcc\x81t\xc3\xa9 \xf0\x9f\x98\x80 x" + std::to_string(i * 7919));
        docs.emplace_back("empty-ish", "  ;;  ");
        addDocuments(docs, "/bulk.jsonl");
        const Database &db = m_project->db();
        QVERIFY(KeywordIndex::build(db, ChunkRepository(db), m_set, JobContext()));
        QVERIFY(db.exec("CREATE VIRTUAL TABLE temp.plain USING fts5(text, content='', "
                        "tokenize='porter unicode61 remove_diacritics 2')"));
        auto insert = db.prepare("INSERT INTO temp.plain(rowid, text) VALUES(?, ?)");
        QVERIFY(insert);
        auto copied = ChunkRepository(db).forEachChunkText(m_set, [&](const ChunkRecord &c, std::string_view text) {
            return bool(insert->bind(1, c.id).bind(2, text).run());
        });
        QVERIFY(copied);
        const std::string table = KeywordIndex::tableName(m_set);
        QVERIFY(db.exec("CREATE VIRTUAL TABLE temp.v_built USING fts5vocab(main, " + table + ", instance);"
                        "CREATE VIRTUAL TABLE temp.v_plain USING fts5vocab(temp, plain, instance);"));
        auto rows = [&](const std::string &vocab) {
            std::vector<std::string> out;
            auto stmt = db.prepare("SELECT term, doc, col, offset FROM temp." + vocab + " ORDER BY term, doc, offset");
            while (stmt && *stmt->step())
                out.push_back(stmt->columnText(0) + "|" + std::to_string(stmt->columnInt(1)) + "|"
                              + stmt->columnText(2) + "|" + std::to_string(stmt->columnInt(3)));
            return out;
        };
        const auto built = rows("v_built");
        QVERIFY(built.size() > 700 * 12);
        QCOMPARE(built, rows("v_plain"));
    }
};

QTEST_GUILESS_MAIN(TestKeywordIndex)
#include "tst_keywordindex.moc"
