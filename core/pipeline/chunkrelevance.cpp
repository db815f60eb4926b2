#include "core/pipeline/chunkrelevance.h"

#include "core/store/chunkrepository.h"
#include "core/store/documentrepository.h"
#include "core/store/project.h"

#include <map>
#include <unordered_map>

namespace rag {

std::string chunkKey(std::int64_t chunkId) { return std::to_string(chunkId); }

Result<Qrels> chunkQrels(const Project &project, const std::string &chunkSet, const StoredEvalSet &set)
{
    ChunkRepository chunksRepo(project.db());
    auto info = chunksRepo.find(chunkSet);
    if (!info)
        return std::unexpected(info.error());
    auto chunks = chunksRepo.chunks(info->id);
    if (!chunks)
        return std::unexpected(chunks.error());
    auto docs = DocumentRepository(project.db()).list();
    if (!docs)
        return std::unexpected(docs.error());
    std::unordered_map<std::string, std::int64_t> idOfKey;
    for (const DocumentInfo &d : *docs)
        idOfKey.emplace(d.docKey, d.id);
    std::unordered_map<std::int64_t, std::vector<const ChunkRecord *>> byDocument;
    for (const ChunkRecord &c : *chunks)
        byDocument[c.documentId].push_back(&c);

    Qrels qrels;
    for (const auto &[qid, text] : set.queries)
        qrels[qid];  // a query whose labels meet no chunk is still judged (and scores 0)
    for (const StoredJudgment &j : set.judgments) {
        const auto doc = idOfKey.find(j.docKey);
        if (doc == idOfKey.end())
            continue;
        const auto found = byDocument.find(doc->second);
        if (found == byDocument.end())
            continue;
        auto &judged = qrels[j.queryId];
        for (const ChunkRecord *c : found->second) {
            const bool meets = !(j.spanStart && j.spanEnd) || (c->start < *j.spanEnd && *j.spanStart < c->end);
            if (!meets)
                continue;
            const auto [it, inserted] = judged.emplace(chunkKey(c->id), j.relevance);
            if (!inserted)
                it->second = std::max(it->second, j.relevance);
        }
    }
    return qrels;
}

} // namespace rag
