#include "core/embed/useliteweightfile.h"

#include <QCryptographicHash>
#include <QFile>

#include <nlohmann/json.hpp>

#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rag {

namespace {

std::string shapeText(const std::vector<std::int64_t> &shape)
{
    std::string text = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        text += (i ? "," : "") + std::to_string(shape[i]);
    return text + "]";
}

} // namespace

UseLiteWeightFile::~UseLiteWeightFile()
{
    if (m_mapped)
        ::munmap(m_base, m_totalBytes);
}

Result<std::unique_ptr<UseLiteWeightFile>> UseLiteWeightFile::open(const std::string &dir)
{
    std::unique_ptr<UseLiteWeightFile> file(new UseLiteWeightFile(dir));
    if (auto ok = file->readGraph(); !ok)
        return std::unexpected(ok.error());
    if (auto ok = file->mapShards(); !ok)
        return std::unexpected(ok.error());
    return file;
}

Result<void> UseLiteWeightFile::readGraph()
{
    const std::string modelPath = path("model.json");
    QFile file(QString::fromStdString(modelPath));
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::NotFound, "cannot open the model graph: " + file.errorString().toStdString(),
                    modelPath);
    m_modelJson = file.readAll();
    const nlohmann::json json = nlohmann::json::parse(m_modelJson.begin(), m_modelJson.end(), nullptr, false);
    if (json.is_discarded() || !json.is_object() || !json.contains("weightsManifest")
        || !json.contains("modelTopology"))
        return fail(ErrorCode::Parse, "not a TensorFlow.js graph model (model.json)", modelPath);
    try {
        for (const auto &group : json.at("weightsManifest")) {
            for (const auto &p : group.at("paths"))
                m_shardPaths.push_back(p.get<std::string>());
            for (const auto &w : group.at("weights")) {
                Tensor spec;
                spec.dtype = w.at("dtype").get<std::string>();
                spec.shape = w.at("shape").get<std::vector<std::int64_t>>();
                if (spec.dtype != "float32" && spec.dtype != "int32")
                    return fail(ErrorCode::Unsupported, "weight dtype " + spec.dtype + " is not float32/int32",
                                modelPath);
                spec.count = 1;
                for (std::int64_t d : spec.shape)
                    spec.count *= std::size_t(d);
                spec.offset = m_totalBytes;
                m_totalBytes += spec.count * 4;
                m_tensors[w.at("name").get<std::string>()] = std::move(spec);
            }
        }
        for (const auto &node : json.at("modelTopology").at("node")) {
            std::vector<std::string> inputs;
            if (node.contains("input"))
                inputs = node.at("input").get<std::vector<std::string>>();
            m_nodes[node.at("name").get<std::string>()] = {node.at("op").get<std::string>(), std::move(inputs)};
        }
    } catch (const nlohmann::json::exception &e) {
        return fail(ErrorCode::Parse, std::string("malformed graph model: ") + e.what(), modelPath);
    }
    if (m_shardPaths.empty() || m_totalBytes == 0)
        return fail(ErrorCode::Parse, "the graph names no weight shards", modelPath);
    return {};
}

Result<std::vector<std::size_t>> UseLiteWeightFile::shardSizes() const
{
    std::vector<std::size_t> sizes;
    std::size_t total = 0;
    for (const std::string &shard : m_shardPaths) {
        struct stat st {};
        if (::stat(path(shard).c_str(), &st) != 0)
            return fail(ErrorCode::NotFound, "weight shard is missing", path(shard));
        sizes.push_back(std::size_t(st.st_size));
        total += sizes.back();
    }
    if (total != m_totalBytes)
        return fail(ErrorCode::Corrupt,
                    "the shards hold " + std::to_string(total) + " bytes but the manifest needs "
                        + std::to_string(m_totalBytes),
                    path(m_shardPaths.front()));
    return sizes;
}

// Maps (or reads) one shard to its place in the contiguous weight bytes.
Result<void> UseLiteWeightFile::placeShard(std::size_t index, std::size_t offset, std::size_t size)
{
    const std::string shardPath = path(m_shardPaths[index]);
    const int fd = ::open(shardPath.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail(ErrorCode::Io, "cannot open the weight shard", shardPath);
    bool ok = true;
    if (m_mapped && size > 0) {
        ok = ::mmap(m_base + offset, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) != MAP_FAILED;
    } else if (!m_mapped) {
        for (std::size_t done = 0; ok && done < size;) {
            const ssize_t got = ::pread(fd, m_heap.data() + offset + done, size - done, off_t(done));
            ok = got > 0;
            done += ok ? std::size_t(got) : 0;
        }
    }
    ::close(fd);
    if (!ok)
        return fail(ErrorCode::Io, "cannot read the weight shard", shardPath);
    return {};
}

Result<void> UseLiteWeightFile::mapShards()
{
    auto sizes = shardSizes();
    if (!sizes)
        return std::unexpected(sizes.error());
    const std::size_t page = std::size_t(::sysconf(_SC_PAGESIZE));
    bool pageAligned = true;
    for (std::size_t i = 0; i + 1 < sizes->size(); ++i)
        pageAligned = pageAligned && (*sizes)[i] % page == 0;
    if (pageAligned) {
        void *reserved = ::mmap(nullptr, m_totalBytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (reserved != MAP_FAILED) {
            m_base = static_cast<std::byte *>(reserved);
            m_mapped = true;
        }
    }
    if (!m_mapped)
        m_heap.resize(m_totalBytes);

    QCryptographicHash sha(QCryptographicHash::Sha256);
    sha.addData(m_modelJson);
    std::size_t offset = 0;
    for (std::size_t i = 0; i < sizes->size(); ++i) {
        if (auto ok = placeShard(i, offset, (*sizes)[i]); !ok)
            return ok;
        sha.addData(QByteArrayView(reinterpret_cast<const char *>(bytes() + offset), qsizetype((*sizes)[i])));
        offset += (*sizes)[i];
    }
    m_sha256 = sha.result().toHex().toStdString();
    return {};
}

Result<const UseLiteWeightFile::Tensor *> UseLiteWeightFile::tensor(const std::string &name) const
{
    const auto it = m_tensors.find(name);
    if (it == m_tensors.end())
        return fail(ErrorCode::Unsupported, "the graph has no tensor " + name, path("model.json"));
    return &it->second;
}

Result<const float *> UseLiteWeightFile::floats(const std::string &name,
                                                   const std::vector<std::int64_t> &shape) const
{
    auto s = tensor(name);
    if (!s)
        return std::unexpected(s.error());
    if ((*s)->dtype != "float32" || (*s)->shape != shape)
        return fail(ErrorCode::Unsupported,
                    name + " is " + (*s)->dtype + shapeText((*s)->shape) + ", expected float32"
                        + shapeText(shape),
                    path("model.json"));
    return reinterpret_cast<const float *>(bytes() + (*s)->offset);
}

Result<std::vector<std::int64_t>> UseLiteWeightFile::shapeOf(const std::string &name) const
{
    auto s = tensor(name);
    if (!s)
        return std::unexpected(s.error());
    return (*s)->shape;
}

Result<float> UseLiteWeightFile::scalarFloat(const std::string &name) const
{
    auto p = floats(name, {});
    if (!p)
        return std::unexpected(p.error());
    return **p;
}

Result<int> UseLiteWeightFile::scalarInt(const std::string &name) const
{
    auto s = tensor(name);
    if (!s)
        return std::unexpected(s.error());
    if ((*s)->dtype != "int32" || !(*s)->shape.empty())
        return fail(ErrorCode::Unsupported, name + " is not an int32 scalar", path("model.json"));
    std::int32_t value = 0;
    std::memcpy(&value, bytes() + (*s)->offset, sizeof value);
    return int(value);
}

Result<void> UseLiteWeightFile::expectNode(const std::string &name, const std::string &op,
                                              const std::vector<std::string> &inputs) const
{
    const auto it = m_nodes.find(name);
    if (it == m_nodes.end() || it->second.first != op || (!inputs.empty() && it->second.second != inputs))
        return fail(ErrorCode::Unsupported,
                    "graph node " + name + " is not " + op + " of the expected inputs; this is not the "
                        "Universal Sentence Encoder Lite graph the engine implements",
                    path("model.json"));
    return {};
}

Result<void> UseLiteWeightFile::expectNoNodeContaining(const std::string &fragment) const
{
    for (const auto &[name, node] : m_nodes) {
        if (name.find(fragment) != std::string::npos)
            return fail(ErrorCode::Unsupported, "unexpected graph node " + name, path("model.json"));
    }
    return {};
}


} // namespace rag
