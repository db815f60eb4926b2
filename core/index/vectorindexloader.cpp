// loadVectorIndex(): picks the index class from the kind recorded in the file.
#include "core/index/flatindex.h"
#include "core/index/hnswindex.h"
#include "core/index/indexfilereader.h"
#include "core/index/vectorindex.h"

namespace rag {

Result<std::unique_ptr<VectorIndex>> loadVectorIndex(const std::string &path)
{
    std::string kind;
    {
        IndexFileReader reader;
        auto json = reader.open(path);
        if (!json)
            return std::unexpected(json.error());
        auto identity = IndexIdentity::fromJson(*json, path);
        if (!identity)
            return reader.corrupt("unreadable identity header: " + identity.error().detail);
        kind = identity->kind;
    }
    std::unique_ptr<VectorIndex> index;
    if (kind == "hnsw")
        index = std::make_unique<HnswIndex>();
    else if (kind == "flat")
        index = std::make_unique<FlatIndex>();
    else
        return fail(ErrorCode::Unsupported, "unknown index kind \"" + kind + "\"", path);
    if (auto loaded = index->load(path); !loaded)
        return std::unexpected(loaded.error());
    return index;
}

} // namespace rag
