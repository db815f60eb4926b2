#include "core/embed/uselitemodel.h"

#include "core/common/logging.h"

#include <QCryptographicHash>
#include <QFile>

#include <nlohmann/json.hpp>

#include <cstring>
#include <map>
#include <vector>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rag {

namespace {

// Tensor and node names as the converter wrote them; "K/" and "TS/" abbreviate
// the two long prefixes in the structural checks below.
const std::string kApply = "module_apply_default/Encoder_en/KonaTransformer/";
const std::string kStack = kApply + "Encode/TransformerStack/";
const std::string kModule = "module/Encoder_en/KonaTransformer/Encode/";

std::string expand(const std::string &name)
{
    if (name.starts_with("TS/"))
        return kStack + name.substr(3);
    if (name.starts_with("K/"))
        return kApply + name.substr(2);
    return name;
}

std::string layerName(int layer, const std::string &rest)
{
    return "Layer_" + std::to_string(layer) + "/TransformerLayer/" + rest;
}

struct TensorSpec {
    std::string dtype;
    std::vector<std::int64_t> shape;
    std::size_t offset = 0;
    std::size_t count = 0;
};

std::string shapeText(const std::vector<std::int64_t> &shape)
{
    std::string text = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        text += (i ? "," : "") + std::to_string(shape[i]);
    return text + "]";
}

} // namespace

// The weight bytes: the shards mapped back to back into one reserved address
// range (they are page-sized, so a tensor that straddles two shards still reads
// as one array), or read into memory when the shard sizes do not allow that.
struct UseLiteModel::Mapping {
    std::byte *base = nullptr;
    std::size_t size = 0;
    bool mapped = false;
    std::vector<std::byte> heap;

    ~Mapping()
    {
        if (mapped)
            ::munmap(base, size);
    }
    const std::byte *data() const { return mapped ? base : heap.data(); }
};

class UseLiteModel::Loader {
public:
    Loader(std::string dir) : m_dir(std::move(dir)) {}

    Result<void> readManifest();
    Result<void> mapShards(Mapping &target, std::string &hash);
    Result<const float *> floats(const std::string &name, const std::vector<std::int64_t> &shape) const;
    Result<std::vector<std::int64_t>> shapeOf(const std::string &name) const;
    Result<float> scalarFloat(const std::string &name) const;
    Result<int> scalarInt(const std::string &name) const;
    Result<void> expectNode(const std::string &name, const std::string &op,
                            const std::vector<std::string> &inputs) const;
    Result<void> expectNoNodeContaining(const std::string &fragment) const;

    const Mapping *mapping = nullptr;

private:
    std::string path(const std::string &file) const { return m_dir + "/" + file; }
    Result<const TensorSpec *> spec(const std::string &name) const;

    std::string m_dir;
    QByteArray m_modelJson;
    std::vector<std::string> m_shardPaths;
    std::map<std::string, TensorSpec> m_tensors;
    std::map<std::string, std::pair<std::string, std::vector<std::string>>> m_nodes;  // op, inputs
    std::size_t m_totalBytes = 0;
};

Result<void> UseLiteModel::Loader::readManifest()
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
                TensorSpec spec;
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

Result<void> UseLiteModel::Loader::mapShards(Mapping &target, std::string &hash)
{
    QCryptographicHash sha(QCryptographicHash::Sha256);
    sha.addData(m_modelJson);

    std::vector<std::size_t> sizes;
    for (const std::string &shard : m_shardPaths) {
        struct stat st {};
        if (::stat(path(shard).c_str(), &st) != 0)
            return fail(ErrorCode::NotFound, "weight shard is missing", path(shard));
        sizes.push_back(std::size_t(st.st_size));
    }
    std::size_t total = 0;
    bool pageAligned = true;
    const std::size_t page = std::size_t(::sysconf(_SC_PAGESIZE));
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        if (i + 1 < sizes.size() && sizes[i] % page != 0)
            pageAligned = false;
        total += sizes[i];
    }
    if (total != m_totalBytes)
        return fail(ErrorCode::Corrupt,
                    "the shards hold " + std::to_string(total) + " bytes but the manifest needs "
                        + std::to_string(m_totalBytes),
                    path(m_shardPaths.front()));

    target.size = total;
    if (pageAligned) {
        void *reserved = ::mmap(nullptr, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (reserved != MAP_FAILED) {
            target.base = static_cast<std::byte *>(reserved);
            target.mapped = true;
        }
    }
    if (!target.mapped)
        target.heap.resize(total);

    std::size_t offset = 0;
    for (std::size_t i = 0; i < m_shardPaths.size(); ++i) {
        const std::string shardPath = path(m_shardPaths[i]);
        const int fd = ::open(shardPath.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return fail(ErrorCode::Io, "cannot open the weight shard", shardPath);
        bool ok = true;
        if (target.mapped) {
            ok = ::mmap(target.base + offset, sizes[i], PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) != MAP_FAILED;
        } else {
            for (std::size_t done = 0; ok && done < sizes[i];) {
                const ssize_t got = ::pread(fd, target.heap.data() + offset + done, sizes[i] - done, off_t(done));
                ok = got > 0;
                done += ok ? std::size_t(got) : 0;
            }
        }
        ::close(fd);
        if (!ok)
            return fail(ErrorCode::Io, "cannot read the weight shard", shardPath);
        sha.addData(QByteArrayView(reinterpret_cast<const char *>(target.data() + offset), qsizetype(sizes[i])));
        offset += sizes[i];
    }
    hash = sha.result().toHex().toStdString();
    return {};
}

Result<const TensorSpec *> UseLiteModel::Loader::spec(const std::string &name) const
{
    const auto it = m_tensors.find(expand(name));
    if (it == m_tensors.end())
        return fail(ErrorCode::Unsupported, "the graph has no tensor " + expand(name), path("model.json"));
    return &it->second;
}

Result<const float *> UseLiteModel::Loader::floats(const std::string &name,
                                                   const std::vector<std::int64_t> &shape) const
{
    auto s = spec(name);
    if (!s)
        return std::unexpected(s.error());
    if ((*s)->dtype != "float32" || (*s)->shape != shape)
        return fail(ErrorCode::Unsupported,
                    expand(name) + " is " + (*s)->dtype + shapeText((*s)->shape) + ", expected float32"
                        + shapeText(shape),
                    path("model.json"));
    return reinterpret_cast<const float *>(mapping->data() + (*s)->offset);
}

Result<std::vector<std::int64_t>> UseLiteModel::Loader::shapeOf(const std::string &name) const
{
    auto s = spec(name);
    if (!s)
        return std::unexpected(s.error());
    return (*s)->shape;
}

Result<float> UseLiteModel::Loader::scalarFloat(const std::string &name) const
{
    auto p = floats(name, {});
    if (!p)
        return std::unexpected(p.error());
    return **p;
}

Result<int> UseLiteModel::Loader::scalarInt(const std::string &name) const
{
    auto s = spec(name);
    if (!s)
        return std::unexpected(s.error());
    if ((*s)->dtype != "int32" || !(*s)->shape.empty())
        return fail(ErrorCode::Unsupported, expand(name) + " is not an int32 scalar", path("model.json"));
    std::int32_t value = 0;
    std::memcpy(&value, mapping->data() + (*s)->offset, sizeof value);
    return int(value);
}

Result<void> UseLiteModel::Loader::expectNode(const std::string &name, const std::string &op,
                                              const std::vector<std::string> &inputs) const
{
    const auto it = m_nodes.find(expand(name));
    std::vector<std::string> expanded;
    for (const std::string &input : inputs)
        expanded.push_back(expand(input));
    if (it == m_nodes.end() || it->second.first != op
        || (!inputs.empty() && it->second.second != expanded))
        return fail(ErrorCode::Unsupported,
                    "graph node " + expand(name) + " is not " + op + " of the expected inputs; this is not the "
                        "Universal Sentence Encoder Lite graph the engine implements",
                    path("model.json"));
    return {};
}

Result<void> UseLiteModel::Loader::expectNoNodeContaining(const std::string &fragment) const
{
    for (const auto &[name, node] : m_nodes) {
        if (name.find(fragment) != std::string::npos)
            return fail(ErrorCode::Unsupported, "unexpected graph node " + name, path("model.json"));
    }
    return {};
}

// The nodes whose arithmetic the forward pass reproduces; a graph that differs in
// any of them is refused rather than run wrongly.
Result<void> UseLiteModel::checkStructure(const Loader &loader)
{
    struct Expect {
        std::string name, op;
        std::vector<std::string> inputs;
    };
    std::vector<Expect> expected = {
        {"K/ClipToMaxLength/Less", "Less", {"K/ClipToMaxLength/strided_slice", "K/ClipToMaxLength/Less/y"}},
        {"TS/Layer_0/AddTimingSignal/TimingSignal/concat", "ConcatV2", {}},
        {"TS/Layer_0/AddTimingSignal/TimingSignal/Sin", "Sin", {}},
        {"TS/Layer_0/AddTimingSignal/add", "Add",
         {"TS/Layer_0/AddTimingSignal/Gather/GatherNd", "TS/Layer_0/AddTimingSignal/TimingSignal/concat"}},
        // The stack's input is embedding + (embedding + timing signal): the
        // embedding is added twice, and the forward pass does the same.
        {"TS/Layer_0/add", "Add", {"K/Encode/Scatter/ScatterNd", "TS/Layer_0/AddTimingSignal/Scatter/ScatterNd"}},
        {"TS/" + layerName(0, "AdjustResidualInput/Gather/GatherNd"), "GatherNd",
         {"TS/Layer_0/add", "TS/" + layerName(1, "FFN/StoreMask/ToInt32")}},
        {"TS/" + layerName(0, "layer_postprocess/add"), "Add",
         {"TS/" + layerName(0, "MultiheadAttention/Squeeze_1"),
          "TS/" + layerName(0, "AdjustResidualInput/Scatter/ScatterNd")}},
        {"TS/" + layerName(1, "layer_postprocess/add"), "Add",
         {"TS/" + layerName(1, "MultiheadAttention/Squeeze_1"), "TS/" + layerName(0, "FFN/layer_postprocess/add")}},
        {"K/div", "RealDiv", {"K/Sum", "K/ExpandDims_1"}},
        {"module_apply_default/Encoder_en/hidden_layers/tanh_layer_0/Tanh", "Tanh", {}},
        {"module_apply_default/Encoder_en/hidden_layers/l2_normalize", "Mul", {}},
    };
    for (int layer = 0; layer < UseLiteModel::kLayers; ++layer) {
        const std::string l = "TS/" + layerName(layer, "");
        expected.push_back({l + "MultiheadAttention/mul", "Mul",
                            {l + "MultiheadAttention/split_heads/transpose", l + "MultiheadAttention/mul/y"}});
        expected.push_back({l + "MultiheadAttention/DotProductAttention/BaseDotProductAttention/Softmax",
                            "Softmax", {}});
        expected.push_back({l + "FFN/conv1/Relu", "Relu", {l + "FFN/conv1/BiasAdd"}});
        expected.push_back({l + "FFN/layer_postprocess/add", "Add",
                            {l + "FFN/Scatter/ScatterNd", l + "layer_postprocess/add"}});
    }
    for (const Expect &e : expected) {
        if (auto ok = loader.expectNode(e.name, e.op, e.inputs); !ok)
            return ok;
    }
    return loader.expectNoNodeContaining("/Layer_" + std::to_string(UseLiteModel::kLayers) + "/");
}

// The sizes come from the tensors themselves (embedding 8002x256, width 512,
// FFN 1536) and every other tensor is checked against them.
Result<void> UseLiteModel::resolve(const Loader &loader)
{
    auto embeddingShape = loader.shapeOf("module/Embeddings_en");
    auto outShape = loader.shapeOf(kModule + layerName(0, "MultiheadAttention/output_transform_single/kernel/part_0"));
    auto ffnShape = loader.shapeOf("TS/" + layerName(0, "FFN/conv1/Tensordot/Reshape_1"));
    auto tanhShape = loader.shapeOf("module/Encoder_en/hidden_layers/tanh_layer_0/weights");
    for (const auto *shape : {&embeddingShape, &outShape, &ffnShape, &tanhShape}) {
        if (!*shape)
            return std::unexpected(shape->error());
    }
    if (embeddingShape->size() != 2 || outShape->size() != 4 || ffnShape->size() != 2 || tanhShape->size() != 2
        || (*embeddingShape)[1] % 2 != 0)
        return fail(ErrorCode::Unsupported, "unexpected tensor ranks in the graph", "model.json");
    m_vocabularyRows = int((*embeddingShape)[0]);
    m_embeddingWidth = int((*embeddingShape)[1]);
    m_width = int((*outShape)[3]);
    m_ffnWidth = int((*ffnShape)[1]);
    m_outputWidth = int((*tanhShape)[1]);

    auto embeddings = loader.floats("module/Embeddings_en", {m_vocabularyRows, m_embeddingWidth});
    auto timescales = loader.floats("TS/Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1",
                                    {1, m_embeddingWidth / 2});
    auto tanhKernel = loader.floats("module/Encoder_en/hidden_layers/tanh_layer_0/weights", {m_width, m_outputWidth});
    auto tanhBias = loader.floats("module/Encoder_en/hidden_layers/tanh_layer_0/bias", {m_outputWidth});
    auto epsilon = loader.scalarFloat("TS/" + layerName(1, "FFN/layer_prepostprocess/layer_norm/Cast/x"));
    auto l2Epsilon = loader.scalarFloat("module_apply_default/Encoder_en/hidden_layers/l2_normalize/Maximum/y");
    auto maxLength = loader.scalarInt("K/ClipToMaxLength/Less/y");
    if (!embeddings || !timescales || !tanhKernel || !tanhBias)
        return std::unexpected((!embeddings ? embeddings : !timescales ? timescales : !tanhKernel ? tanhKernel : tanhBias)
                                   .error());
    if (!epsilon || !l2Epsilon)
        return std::unexpected((!epsilon ? epsilon : l2Epsilon).error());
    if (!maxLength)
        return std::unexpected(maxLength.error());
    if (*maxLength <= 0)
        return fail(ErrorCode::Unsupported, "the graph's maximum length is not positive", "model.json");
    m_embeddings = *embeddings;
    m_inverseTimescales = *timescales;
    m_tanhKernel = *tanhKernel;
    m_tanhBias = *tanhBias;
    m_lnEpsilon = *epsilon;
    m_l2Epsilon = *l2Epsilon;
    m_maxLength = *maxLength;

    int inputWidth = m_embeddingWidth;
    for (int i = 0; i < kLayers; ++i) {
        if (auto ok = resolveLayer(loader, i, inputWidth); !ok)
            return ok;
        inputWidth = m_width;
    }
    m_tanhPacked = uselite::PackedMatrix::pack(m_tanhKernel, m_width, m_outputWidth, m_outputWidth);
    return {};
}

Result<void> UseLiteModel::resolveLayer(const Loader &loader, int index, const int inputWidth)
{
    Layer &layer = m_layers[index];
    layer.inputWidth = inputWidth;
    const std::string stack = "TS/" + layerName(index, "");
    const std::string apply = "K/Encode/" + layerName(index, "");
    const std::string module = kModule + layerName(index, "");
    auto heads = loader.scalarInt("TS/" + layerName(1, "MultiheadAttention/split_heads/split_last_dimension/Reshape/shape/2"));
    auto depth = loader.scalarInt(stack + "MultiheadAttention/split_heads/split_last_dimension/Reshape/shape/3");
    auto scale = loader.scalarFloat(stack + "MultiheadAttention/mul/y");
    if (!heads || !depth)
        return std::unexpected((!heads ? heads : depth).error());
    if (!scale)
        return std::unexpected(scale.error());
    if (*heads <= 0 || *depth <= 0 || *heads * *depth != inputWidth)
        return fail(ErrorCode::Unsupported, "attention heads do not divide the layer width", "model.json");
    layer.heads = *heads;
    layer.headDepth = *depth;
    layer.attentionScale = *scale;

    const std::int64_t in = inputWidth, w = m_width, f = m_ffnWidth;
    struct Slot {
        const float **target;
        std::string name;
        std::vector<std::int64_t> shape;
    };
    std::vector<Slot> slots = {
        {&layer.lnScale, apply + "layer_prepostprocess/layer_norm/layer_norm_scale/ConcatPartitions/concat", {in}},
        {&layer.lnBias, apply + "layer_prepostprocess/layer_norm/layer_norm_bias/ConcatPartitions/concat", {in}},
        {&layer.qkvKernel, module + "MultiheadAttention/qkv_transform_single/kernel/part_0", {1, 1, in, 3 * in}},
        {&layer.qkvBias, apply + "MultiheadAttention/qkv_transform_single/bias/ConcatPartitions/concat", {3 * in}},
        {&layer.outKernel, module + "MultiheadAttention/output_transform_single/kernel/part_0", {1, 1, in, w}},
        {&layer.outBias, apply + "MultiheadAttention/output_transform_single/bias/ConcatPartitions/concat", {w}},
        {&layer.ffnLnScale, apply + "FFN/layer_prepostprocess/layer_norm/layer_norm_scale/ConcatPartitions/concat", {w}},
        {&layer.ffnLnBias, apply + "FFN/layer_prepostprocess/layer_norm/layer_norm_bias/ConcatPartitions/concat", {w}},
        {&layer.ffnInKernel, stack + "FFN/conv1/Tensordot/Reshape_1", {w, f}},
        {&layer.ffnInBias, apply + "FFN/conv1/bias/ConcatPartitions/concat", {f}},
        {&layer.ffnOutKernel, stack + "FFN/conv2/Tensordot/Reshape_1", {f, w}},
        {&layer.ffnOutBias, apply + "FFN/conv2/bias/ConcatPartitions/concat", {w}},
    };
    // A layer that changes the width projects its residual input (AdjustResidualInput).
    if (in != w) {
        slots.push_back({&layer.residualKernel, apply + "dense/kernel/ConcatPartitions/concat", {in, w}});
        slots.push_back({&layer.residualBias, apply + "dense/bias/ConcatPartitions/concat", {w}});
    }
    for (const Slot &slot : slots) {
        auto p = loader.floats(slot.name, slot.shape);
        if (!p)
            return std::unexpected(p.error());
        *slot.target = *p;
    }
    const int inWidth = inputWidth;
    layer.qkv = uselite::PackedMatrix::pack(layer.qkvKernel, inWidth, 3 * inWidth, 3 * inWidth);
    layer.out = uselite::PackedMatrix::pack(layer.outKernel, inWidth, m_width, m_width);
    if (layer.residualKernel)
        layer.residual = uselite::PackedMatrix::pack(layer.residualKernel, inWidth, m_width, m_width);
    layer.ffnIn = uselite::PackedMatrix::pack(layer.ffnInKernel, m_width, m_ffnWidth, m_ffnWidth);
    layer.ffnOut = uselite::PackedMatrix::pack(layer.ffnOutKernel, m_ffnWidth, m_width, m_width);
    return {};
}

double UseLiteModel::flopsForLength(int length) const
{
    double perToken = 0;
    double attention = 0;
    for (const Layer &layer : m_layers) {
        const double in = layer.inputWidth;
        perToken += 2.0 * in * 3 * in + 2.0 * in * m_width + 4.0 * m_width * m_ffnWidth;
        if (layer.residualKernel)
            perToken += 2.0 * in * m_width;
        attention += 4.0 * double(length) * length * in;  // scores and weighted values, all heads
    }
    return perToken * length + attention + 2.0 * m_width * m_outputWidth;
}

UseLiteModel::~UseLiteModel() = default;

Result<std::unique_ptr<UseLiteModel>> UseLiteModel::load(const std::string &modelDir)
{
    Loader loader(modelDir);
    if (auto ok = loader.readManifest(); !ok)
        return std::unexpected(ok.error());
    if (auto ok = checkStructure(loader); !ok)
        return std::unexpected(ok.error());

    std::unique_ptr<UseLiteModel> model(new UseLiteModel);
    model->m_mapping = std::make_unique<Mapping>();
    if (auto ok = loader.mapShards(*model->m_mapping, model->m_weightsHash); !ok)
        return std::unexpected(ok.error());
    loader.mapping = model->m_mapping.get();
    if (auto ok = model->resolve(loader); !ok)
        return std::unexpected(ok.error());
    qCDebug(lcEmbed) << "loaded USE-Lite from" << modelDir.c_str() << "weights" << model->m_weightsHash.c_str();
    return model;
}

} // namespace rag
