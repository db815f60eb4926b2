#include "core/embed/uselitemodel.h"

#include "core/common/logging.h"
#include "core/embed/useliteweightfile.h"

#include <vector>

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

} // namespace

// The nodes whose arithmetic the forward pass reproduces; a graph that differs in
// any of them is refused rather than run wrongly.
Result<void> UseLiteModel::checkStructure(const UseLiteWeightFile &file)
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
        std::vector<std::string> inputs;
        for (const std::string &input : e.inputs)
            inputs.push_back(expand(input));
        if (auto ok = file.expectNode(expand(e.name), e.op, inputs); !ok)
            return ok;
    }
    return file.expectNoNodeContaining("/Layer_" + std::to_string(UseLiteModel::kLayers) + "/");
}

// The sizes come from the tensors themselves (embedding 8002x256, width 512,
// FFN 1536) and every other tensor is checked against them.
Result<void> UseLiteModel::resolve(const UseLiteWeightFile &file)
{
    auto embeddingShape = file.shapeOf("module/Embeddings_en");
    auto outShape = file.shapeOf(kModule + layerName(0, "MultiheadAttention/output_transform_single/kernel/part_0"));
    auto ffnShape = file.shapeOf(kStack + layerName(0, "FFN/conv1/Tensordot/Reshape_1"));
    auto tanhShape = file.shapeOf("module/Encoder_en/hidden_layers/tanh_layer_0/weights");
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

    auto embeddings = file.floats("module/Embeddings_en", {m_vocabularyRows, m_embeddingWidth});
    auto timescales = file.floats(kStack + "Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1",
                                    {1, m_embeddingWidth / 2});
    auto tanhKernel = file.floats("module/Encoder_en/hidden_layers/tanh_layer_0/weights", {m_width, m_outputWidth});
    auto tanhBias = file.floats("module/Encoder_en/hidden_layers/tanh_layer_0/bias", {m_outputWidth});
    auto epsilon = file.scalarFloat(kStack + layerName(1, "FFN/layer_prepostprocess/layer_norm/Cast/x"));
    auto l2Epsilon = file.scalarFloat("module_apply_default/Encoder_en/hidden_layers/l2_normalize/Maximum/y");
    auto maxLength = file.scalarInt(kApply + "ClipToMaxLength/Less/y");
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
        if (auto ok = resolveLayer(file, i, inputWidth); !ok)
            return ok;
        inputWidth = m_width;
    }
    m_tanhPacked = uselite::PackedMatrix::pack(m_tanhKernel, m_width, m_outputWidth, m_outputWidth);
    return {};
}

Result<void> UseLiteModel::resolveLayer(const UseLiteWeightFile &file, int index, const int inputWidth)
{
    Layer &layer = m_layers[index];
    layer.inputWidth = inputWidth;
    const std::string stack = kStack + layerName(index, "");
    const std::string apply = kApply + "Encode/" + layerName(index, "");
    const std::string module = kModule + layerName(index, "");
    auto heads = file.scalarInt(kStack + layerName(1, "MultiheadAttention/split_heads/split_last_dimension/Reshape/shape/2"));
    auto depth = file.scalarInt(stack + "MultiheadAttention/split_heads/split_last_dimension/Reshape/shape/3");
    auto scale = file.scalarFloat(stack + "MultiheadAttention/mul/y");
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
        auto p = file.floats(slot.name, slot.shape);
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

const std::string &UseLiteModel::weightsHash() const
{
    return m_file->sha256();
}

Result<std::unique_ptr<UseLiteModel>> UseLiteModel::load(const std::string &modelDir)
{
    auto file = UseLiteWeightFile::open(modelDir);
    if (!file)
        return std::unexpected(file.error());
    if (auto ok = checkStructure(**file); !ok)
        return std::unexpected(ok.error());
    std::unique_ptr<UseLiteModel> model(new UseLiteModel);
    model->m_file = std::move(*file);
    if (auto ok = model->resolve(*model->m_file); !ok)
        return std::unexpected(ok.error());
    qCDebug(lcEmbed) << "loaded USE-Lite from" << modelDir.c_str() << "weights" << model->weightsHash().c_str();
    return model;
}

} // namespace rag
