// SciFact text cut into benchmark chunks and stored in a project (see benchcorpus.h).
#include "benchcorpus.h"

#include "core/common/hashing.h"
#include "core/store/chunkrepository.h"
#include "core/store/documentrepository.h"
#include "core/store/project.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <numeric>

namespace rag::bench {

namespace {

constexpr std::size_t kChunkBytes = 1000;
constexpr std::size_t kChunksPerDocument = 8;

std::uint64_t splitmix64(std::uint64_t &state)
{
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// One JSON object per line; `field(json)` picks the text.
template<typename Field>
std::vector<std::string> readJsonl(const std::string &path, std::size_t limit, Field field)
{
    std::vector<std::string> out;
    std::ifstream in(path);
    std::string line;
    while (out.size() < limit && std::getline(in, line)) {
        if (!line.empty())
            out.push_back(field(nlohmann::json::parse(line)));
    }
    return out;
}

// Cuts `stream` from the first word after `skip` into pieces of at most kChunkBytes,
// ending at the last space of the window (a window without one ends on a UTF-8 boundary).
void cutStream(const std::string &stream, std::size_t skip, std::size_t count, std::vector<std::string> &chunks)
{
    std::size_t pos = stream.find(' ', skip);
    pos = pos == std::string::npos ? stream.size() : pos + 1;
    while (chunks.size() < count && pos + kChunkBytes <= stream.size()) {
        std::size_t cut = stream.rfind(' ', pos + kChunkBytes);
        if (cut == std::string::npos || cut < pos + kChunkBytes * 4 / 5) {
            cut = pos + kChunkBytes;
            while (cut > pos && (static_cast<unsigned char>(stream[cut]) & 0xC0) == 0x80)
                --cut;
        }
        chunks.push_back(stream.substr(pos, cut - pos));
        pos = cut;
        while (pos < stream.size() && (stream[pos] == ' ' || stream[pos] == '\n'))
            ++pos;
    }
}

} // namespace

std::vector<std::string> makeChunks(const std::vector<std::string> &documents, std::size_t count)
{
    std::vector<std::string> chunks;
    if (documents.empty())
        return chunks;
    chunks.reserve(count);
    for (std::uint64_t pass = 0; chunks.size() < count; ++pass) {
        std::vector<std::size_t> order(documents.size());
        std::iota(order.begin(), order.end(), std::size_t(0));
        std::uint64_t state = pass + 1;
        for (std::size_t i = order.size() - 1; i > 0; --i)
            std::swap(order[i], order[splitmix64(state) % (i + 1)]);
        std::string stream;
        for (std::size_t index : order)
            stream.append(documents[index]).append("\n\n");
        cutStream(stream, std::size_t((pass * 331) % kChunkBytes), count, chunks);
    }
    return chunks;
}

std::vector<std::string> scifactCorpus(const std::string &dir)
{
    return readJsonl(dir + "/corpus.jsonl", SIZE_MAX, [](const nlohmann::json &j) {
        return j.at("title").get<std::string>() + "\n" + j.at("text").get<std::string>();
    });
}

std::vector<std::string> scifactQueries(const std::string &dir, std::size_t count)
{
    return readJsonl(dir + "/queries.jsonl", count, [](const nlohmann::json &j) { return j.at("text").get<std::string>(); });
}

Result<StoredChunks> storeChunks(const Project &project, const std::vector<std::string> &chunks)
{
    LoadedFile file{"/bench/bm25-chunks.jsonl", "jsonl", {}, 0, {}, {}};
    std::vector<std::vector<ChunkRecord>> layout;
    std::string identity;
    for (std::size_t first = 0; first < chunks.size(); first += kChunksPerDocument) {
        SourceDocument document{"d" + std::to_string(first / kChunksPerDocument), "", "", "{}"};
        std::vector<ChunkRecord> records;
        for (std::size_t i = first; i < std::min(chunks.size(), first + kChunksPerDocument); ++i) {
            if (i > first)
                document.text += '\n';
            ChunkRecord record;
            record.ordinal = int(i - first);
            record.start = std::int64_t(document.text.size());
            document.text += chunks[i];
            record.end = std::int64_t(document.text.size());
            record.textHash = sha256Hex(chunks[i]);
            identity += record.textHash;
            records.push_back(std::move(record));
        }
        file.byteSize += std::int64_t(document.text.size());
        file.documents.push_back(std::move(document));
        layout.push_back(std::move(records));
    }
    file.fileHash = sha256Hex(identity);
    auto imported = DocumentRepository(project.db()).importFile(file);
    if (!imported)
        return std::unexpected(imported.error());
    if (imported->status != ImportStatus::Imported || std::size_t(imported->added) != layout.size())
        return fail(ErrorCode::Internal, "imported " + std::to_string(imported->added) + " of "
                                             + std::to_string(layout.size()) + " documents", file.path);
    ChunkRepository repository(project.db());
    auto set = repository.ensureChunkSet("bench", "{}", "bench");
    auto pending = set ? repository.pending(*set) : Result<std::vector<PendingDocument>>(std::unexpected(set.error()));
    if (!pending)
        return std::unexpected(pending.error());
    if (pending->size() != layout.size())
        return fail(ErrorCode::Internal, "unexpected pending document count", file.path);
    auto tx = project.db().begin();
    if (!tx)
        return std::unexpected(tx.error());
    for (std::size_t d = 0; d < layout.size(); ++d) {  // pending is in document id = import order
        for (ChunkRecord &record : layout[d])
            record.documentId = (*pending)[d].documentId;
        if (auto ok = repository.storeChunks(*set, (*pending)[d].documentId, (*pending)[d].contentHash, layout[d]); !ok)
            return std::unexpected(ok.error());
    }
    if (auto ok = (*tx)->commit(); !ok)
        return std::unexpected(ok.error());
    auto stored = repository.chunks(*set);
    if (!stored)
        return std::unexpected(stored.error());
    StoredChunks out{*set, {}};
    for (const ChunkRecord &record : *stored)
        out.chunkIds.push_back(record.id);
    return out;
}

} // namespace rag::bench
