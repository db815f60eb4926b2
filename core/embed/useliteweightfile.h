#pragma once
// UseLiteWeightFile: a TensorFlow.js graph-model folder as the use-lite engine
// reads it: model.json's graph (node ops and inputs) and weights manifest, and the
// weight shards it names, mapped back to back into one reserved address range
// (the shards are page-sized, so a tensor that straddles two still reads as one
// array) or, when the shard sizes do not allow that, read into memory. Typed
// access by tensor name checks dtype and shape. Also hashes model.json and the
// shards (sha256) for the embedder identity.
// Immutable after open(); safe to share between threads; owns the mapping.
#include "core/common/result.h"

#include <QByteArray>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace rag {

class UseLiteWeightFile {
public:
    ~UseLiteWeightFile();
    UseLiteWeightFile(const UseLiteWeightFile &) = delete;
    UseLiteWeightFile &operator=(const UseLiteWeightFile &) = delete;

    // dir holds model.json and the shards.
    static Result<std::unique_ptr<UseLiteWeightFile>> open(const std::string &dir);

    // sha256 of model.json followed by every shard's bytes, in manifest order.
    const std::string &sha256() const { return m_sha256; }

    Result<std::vector<std::int64_t>> shapeOf(const std::string &name) const;
    Result<const float *> floats(const std::string &name, const std::vector<std::int64_t> &shape) const;
    Result<float> scalarFloat(const std::string &name) const;
    Result<int> scalarInt(const std::string &name) const;

    // Fails (Unsupported) unless the graph has node `name` with this op and, when
    // `inputs` is not empty, exactly these inputs.
    Result<void> expectNode(const std::string &name, const std::string &op,
                            const std::vector<std::string> &inputs) const;
    // Fails (Unsupported) when any node name contains `fragment`.
    Result<void> expectNoNodeContaining(const std::string &fragment) const;

private:
    struct Tensor {
        std::string dtype;
        std::vector<std::int64_t> shape;
        std::size_t offset = 0;
        std::size_t count = 0;
    };

    explicit UseLiteWeightFile(std::string dir) : m_dir(std::move(dir)) {}
    std::string path(const std::string &file) const { return m_dir + "/" + file; }
    Result<void> readGraph();
    Result<std::vector<std::size_t>> shardSizes() const;
    Result<void> placeShard(std::size_t index, std::size_t offset, std::size_t size);
    Result<void> mapShards();
    Result<const Tensor *> tensor(const std::string &name) const;
    const std::byte *bytes() const { return m_mapped ? m_base : m_heap.data(); }

    std::string m_dir;
    QByteArray m_modelJson;
    std::vector<std::string> m_shardPaths;
    std::map<std::string, Tensor> m_tensors;
    std::map<std::string, std::pair<std::string, std::vector<std::string>>> m_nodes;  // op, inputs
    std::size_t m_totalBytes = 0;
    std::string m_sha256;
    std::byte *m_base = nullptr;  // the reserved range, when mapped
    bool m_mapped = false;
    std::vector<std::byte> m_heap;  // the bytes, when read instead
};

} // namespace rag
