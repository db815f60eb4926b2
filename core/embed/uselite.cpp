#include "core/embed/uselite.h"

#include "core/common/assets.h"
#include "core/common/logging.h"
#include "core/embed/useliteencoder.h"
#include "core/embed/uselitemodel.h"

#include <QFileInfo>

#include <algorithm>
#include <atomic>
#include <thread>

namespace rag {

namespace {

// Tokens per work unit. Each core runs whole units on its own encoder: 512 rows
// keep the GEMMs efficient (512, 1024 and 2048 measure the same per core), and a
// unit takes ~50 ms on one core, so cancellation and progress stay responsive,
// a batch of eight chunks already uses two cores, and the cores finish close
// together.
constexpr std::size_t kUnitTokens = 512;

struct Unit {
    std::size_t begin;
    std::size_t end;
};

std::vector<Unit> splitIntoUnits(const std::vector<std::vector<std::int32_t>> &ids)
{
    std::vector<Unit> units;
    std::size_t tokens = 0;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (units.empty() || (tokens + ids[i].size() > kUnitTokens && units.back().end > units.back().begin)) {
            units.push_back(Unit{i, i});
            tokens = 0;
        }
        units.back().end = i + 1;
        tokens += ids[i].size();
    }
    return units;
}

} // namespace

UseLiteEmbedder::UseLiteEmbedder(std::unique_ptr<UseLiteModel> model, SentencePieceTokenizer tokenizer)
    : m_model(std::move(model)), m_tokenizer(std::move(tokenizer))
{
    m_identity = EmbedderIdentity{kName, kVersion, m_model->weightsHash(), m_model->outputWidth(),
                                  EmbedderKind::Neural};
}

UseLiteEmbedder::~UseLiteEmbedder() = default;

Result<std::unique_ptr<UseLiteEmbedder>> UseLiteEmbedder::load(const std::string &modelDir)
{
    auto model = UseLiteModel::load(modelDir);
    if (!model)
        return std::unexpected(model.error());
    auto tokenizer = SentencePieceTokenizer::load(modelDir + "/vocab.json");
    if (!tokenizer)
        return std::unexpected(tokenizer.error());
    if (tokenizer->vocabularySize() > (*model)->vocabularyRows())
        return fail(ErrorCode::Mismatch,
                    "the vocabulary has " + std::to_string(tokenizer->vocabularySize())
                        + " pieces but the embedding table only " + std::to_string((*model)->vocabularyRows()),
                    modelDir + "/vocab.json");
    return std::unique_ptr<UseLiteEmbedder>(new UseLiteEmbedder(std::move(*model), std::move(*tokenizer)));
}

int UseLiteEmbedder::maxTokens() const
{
    return m_model->maxLength();
}

// Tokenizing is a few percent of the work; two threads keep it off the critical path.
std::vector<std::vector<std::int32_t>> UseLiteEmbedder::tokenizeAll(std::span<const std::string_view> texts) const
{
    std::vector<std::vector<std::int32_t>> ids(texts.size());
    const std::size_t maxLength = std::size_t(m_model->maxLength());
    std::atomic<std::size_t> next{0};
    constexpr std::size_t kBlock = 16;
    auto work = [&] {
        for (std::size_t begin; (begin = next.fetch_add(kBlock)) < texts.size();) {
            for (std::size_t i = begin; i < std::min(begin + kBlock, texts.size()); ++i) {
                ids[i] = m_tokenizer.encode(texts[i]);
                if (ids[i].size() > maxLength)
                    ids[i].resize(maxLength);  // the graph drops every position >= maxLength
            }
        }
    };
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const unsigned helpers = texts.size() > kBlock ? std::min(cores - 1, 3u) : 0u;
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < helpers; ++t)
        threads.emplace_back(work);
    work();
    for (std::thread &thread : threads)
        thread.join();
    return ids;
}

// Units of consecutive texts are pulled from a shared counter by one thread per
// core, each with its own encoder: no thread ever waits for another until the
// end. Only the calling thread reports progress (JobContext is not shared).
Result<std::vector<float>> UseLiteEmbedder::embed(std::span<const std::string_view> texts, const JobContext &ctx)
{
    const std::size_t width = std::size_t(m_model->outputWidth());
    std::vector<float> vectors(texts.size() * width);
    if (texts.empty())
        return vectors;
    if (ctx.cancelled())
        return fail(ErrorCode::Cancelled, "embedding cancelled", kName);
    const std::vector<std::vector<std::int32_t>> ids = tokenizeAll(texts);
    const std::vector<Unit> units = splitIntoUnits(ids);

    std::atomic<std::size_t> nextUnit{0};
    std::atomic<std::size_t> textsDone{0};
    std::atomic<bool> stopped{false};
    auto work = [&](bool reportsProgress) {
        UseLiteEncoder encoder(*m_model);
        std::vector<std::span<const std::int32_t>> batch;
        while (!stopped.load(std::memory_order_relaxed)) {
            if (ctx.cancelled()) {
                stopped = true;
                break;
            }
            const std::size_t u = nextUnit.fetch_add(1);
            if (u >= units.size())
                break;
            batch.assign(ids.begin() + std::ptrdiff_t(units[u].begin), ids.begin() + std::ptrdiff_t(units[u].end));
            encoder.encode(batch, vectors.data() + units[u].begin * width);
            const std::size_t done = textsDone.fetch_add(units[u].end - units[u].begin) + units[u].end - units[u].begin;
            if (reportsProgress && done < texts.size())
                ctx.progress(std::int64_t(done), std::int64_t(texts.size()), "embedding");
        }
    };
    const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::thread> helpers;
    for (std::size_t t = 1; t < std::min(cores, units.size()); ++t)
        helpers.emplace_back(work, false);
    work(true);
    for (std::thread &helper : helpers)
        helper.join();
    if (stopped || ctx.cancelled())
        return fail(ErrorCode::Cancelled, "embedding cancelled", kName);
    ctx.progress(std::int64_t(texts.size()), std::int64_t(texts.size()), "embedding");
    return vectors;
}

std::string defaultUseLiteDir()
{
    return assetDir() + "/use-lite/dist";
}

Result<std::unique_ptr<Embedder>> makeDefaultLocalEmbedder()
{
    const std::string dir = defaultUseLiteDir();
    for (const char *file : {"model.json", "vocab.json"}) {
        if (!QFileInfo::exists(QString::fromStdString(dir + "/" + file)))
            return fail(ErrorCode::NotFound,
                        "the Universal Sentence Encoder Lite files are missing (no " + std::string(file)
                            + "); run packaging/setup.sh to fetch them. Until then `--embedder lexical` embeds "
                              "offline with the lexical embedder",
                        dir);
    }
    auto embedder = UseLiteEmbedder::load(dir);
    if (!embedder)
        return std::unexpected(embedder.error());
    qCInfo(lcEmbed) << "default local embedder:" << (*embedder)->identity().key().c_str();
    return std::unique_ptr<Embedder>(std::move(*embedder));
}

} // namespace rag
