// Documents: import, no-op re-import, replacement, removal, failures that keep
// what was imported, duplicate ids; chunk sets see changed documents as pending.
#include "core/common/hashing.h"
#include "core/store/chunkrepository.h"
#include "core/store/documentrepository.h"
#include "core/store/project.h"
#include "core/store/vectorcache.h"

#include <QTemporaryDir>
#include <QTest>

using namespace rag;

namespace {
LoadedFile records(const std::string &path, std::vector<std::pair<std::string, std::string>> docs)
{
    LoadedFile f;
    f.path = path;
    f.format = "beir";
    std::string all;
    for (auto &[id, text] : docs) {
        f.documents.push_back(SourceDocument{id, "T" + id, text, "{}"});
        all += id + text;
    }
    f.fileHash = sha256Hex(all);
    f.byteSize = std::int64_t(all.size());
    return f;
}
} // namespace

class TestDocumentRepository : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<Project> m_project;

private Q_SLOTS:
    void init()
    {
        auto project = Project::open(m_dir.filePath(QStringLiteral("docs.ragwb")).toStdString());
        QVERIFY(project);
        m_project = std::move(*project);
    }
    void cleanup()
    {
        const std::string path = m_project->path();
        m_project.reset();
        QFile::remove(QString::fromStdString(path));
    }

    void importReimportReplaceRemove()
    {
        DocumentRepository docs(m_project->db());
        auto first = docs.importFile(records("/c.jsonl", {{"1", "alpha"}, {"2", "beta"}, {"3", "gamma"}}));
        QVERIFY(first);
        QCOMPARE(first->status, ImportStatus::Imported);
        QCOMPARE(first->added, 3);
        QCOMPARE(*docs.count(), 3);

        auto again = docs.importFile(records("/c.jsonl", {{"1", "alpha"}, {"2", "beta"}, {"3", "gamma"}}));
        QVERIFY(again);
        QCOMPARE(again->status, ImportStatus::Unchanged);
        QCOMPARE(again->added, 0);

        auto changed = docs.importFile(records("/c.jsonl", {{"1", "alpha"}, {"2", "beta two"}, {"4", "delta"}}));
        QVERIFY(changed);
        QCOMPARE(changed->status, ImportStatus::Replaced);
        QCOMPARE(changed->added, 1);
        QCOMPARE(changed->replaced, 1);
        QCOMPARE(changed->unchanged, 1);
        QCOMPARE(changed->removed, 1);
        auto list = docs.list();
        QVERIFY(list);
        QCOMPARE(list->size(), std::size_t(3));
        QCOMPARE((*list)[1].docKey, std::string("2"));
        QCOMPARE(*docs.text((*list)[1].id), std::string("T2\n\nbeta two"));  // title joins the text
    }

    void failureKeepsImportedDocuments()
    {
        DocumentRepository docs(m_project->db());
        QVERIFY(docs.importFile(records("/a.jsonl", {{"x", "kept"}})));
        auto failed = docs.recordFailure("/a.jsonl", Error{ErrorCode::Corrupt, "truncated", "/a.jsonl"});
        QVERIFY(failed);
        QCOMPARE(failed->status, ImportStatus::Failed);
        QCOMPARE(*docs.count(), 1);
        auto sources = docs.sources();
        QVERIFY(sources);
        QCOMPARE(sources->front().status, std::string("failed"));
        QCOMPARE(sources->front().errorCode, std::string("corrupt"));
        QCOMPARE(sources->front().errorDetail, std::string("truncated"));
        // A later good import of the same file recovers it.
        auto again = docs.importFile(records("/a.jsonl", {{"x", "kept"}}));
        QVERIFY(again);
        QCOMPARE(again->status, ImportStatus::Unchanged);
        QCOMPARE(docs.sources()->front().status, std::string("imported"));
    }

    void duplicateIdsAreRecordErrors()
    {
        DocumentRepository docs(m_project->db());
        QVERIFY(docs.importFile(records("/a.jsonl", {{"x", "one"}})));
        auto clash = docs.importFile(records("/b.jsonl", {{"x", "two"}, {"y", "three"}, {"y", "again"}}));
        QVERIFY(clash);
        QCOMPARE(clash->added, 1);
        QCOMPARE(clash->recordErrors.size(), std::size_t(2));
        QVERIFY(clash->recordErrors[0].detail.find("duplicate record id 'y'") != std::string::npos
                || clash->recordErrors[1].detail.find("duplicate record id 'y'") != std::string::npos);
        QCOMPARE(*docs.count(), 2);
    }

    void chunkSetsTrackDocumentVersions()
    {
        DocumentRepository docs(m_project->db());
        ChunkRepository chunks(m_project->db());
        QVERIFY(docs.importFile(records("/c.jsonl", {{"1", "alpha beta"}, {"2", "gamma"}})));
        auto set = chunks.ensureChunkSet("whole", R"({"strategy":"fixed"})", "h1");
        QVERIFY(set);
        auto pending = chunks.pending(*set);
        QCOMPARE(pending->size(), std::size_t(2));
        for (const auto &p : *pending) {
            const std::string text = *docs.text(p.documentId);
            ChunkRecord c{0, p.documentId, 0, 0, std::int64_t(text.size()), "", sha256Hex(text)};
            QVERIFY(chunks.storeChunks(*set, p.documentId, p.contentHash, {c}));
        }
        QCOMPARE(chunks.pending(*set)->size(), std::size_t(0));
        const std::string stateBefore = *chunks.state(*set);

        QVERIFY(docs.importFile(records("/c.jsonl", {{"1", "alpha beta"}, {"2", "gamma changed"}})));
        auto stale = chunks.pending(*set);
        QCOMPARE(stale->size(), std::size_t(1));
        QCOMPARE(docs.info(stale->front().documentId)->docKey, std::string("2"));
        QCOMPARE(chunks.find("whole")->chunks, std::int64_t(1));  // the changed document's chunk is gone
        QVERIFY(*chunks.state(*set) != stateBefore);

        std::vector<std::string> texts;
        QVERIFY(chunks.forEachChunkText(*set, [&](const ChunkRecord &, std::string_view t) {
            texts.emplace_back(t);
            return true;
        }));
        QCOMPARE(texts, std::vector<std::string>{"T1\n\nalpha beta"});

        auto reused = chunks.ensureChunkSet("whole", "{}", "other-hash");
        QVERIFY(!reused);
        QCOMPARE(reused.error().code, ErrorCode::InvalidArgument);
        auto missing = chunks.find("nope");
        QVERIFY(!missing);
        QVERIFY(missing.error().detail.find("known: whole") != std::string::npos);
    }

    void vectorCacheRoundTrip()
    {
        VectorCache cache(m_project->db());
        const std::vector<float> v = {1, 2, 3, 4, 5, 6};
        QVERIFY(cache.put("e@1#/3", {"h1", "h2"}, v, 3));
        auto got = cache.get("e@1#/3", {"h2", "h3", "h1"}, 3);
        QVERIFY(got);
        QCOMPARE(got->size(), std::size_t(2));
        QCOMPARE(got->at("h2"), (std::vector<float>{4, 5, 6}));
        QCOMPARE(*cache.count("e@1#/3"), std::int64_t(2));
        QCOMPARE(*cache.count("other"), std::int64_t(0));
        auto wrongDim = cache.get("e@1#/3", {"h1"}, 4);
        QVERIFY(!wrongDim);
        QCOMPARE(wrongDim.error().code, ErrorCode::Corrupt);
        QVERIFY(cache.saveEmbedderState("lex", "{}", std::string("\0ab", 3)));
        QCOMPARE(*cache.embedderState("lex"), std::string("\0ab", 3));
        QCOMPARE(*cache.embedderState("none"), std::string());
    }
};

QTEST_GUILESS_MAIN(TestDocumentRepository)
#include "tst_documentrepository.moc"
