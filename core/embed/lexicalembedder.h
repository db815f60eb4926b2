#pragma once
// LexicalEmbedder: the offline fallback embedder. A text becomes a hashed bag of
// features (word unigrams and bigrams, character 3-5-grams of words), each weighted
// by sublinear TF (1 + ln tf) times an IDF fitted on a corpus, signed-hashed into
// `dimension` buckets and L2-normalised.
//
// The fitted statistics are frozen: embedding a text depends only on the text and
// the statistics, never on what else is being embedded, so the vectors of unchanged
// chunks stay valid in the vector cache when a document changes. Refitting is an
// explicit act that yields a new identity (weightsHash = sha256 of the statistics).
// Copies share the immutable statistics; embed() is const-safe from any thread and
// spreads large batches over all cores.
#include "core/embed/embedder.h"

#include <cstdint>
#include <memory>

namespace rag {

class LexicalFeatureTable;

class LexicalEmbedder : public Embedder {
public:
    static constexpr int kDefaultDimension = 768;
    static constexpr const char *kName = "lexical";
    static constexpr const char *kVersion = "1";

    // Fits document frequencies on `corpus` (one string per document or chunk).
    // `dimension` below 1 is raised to 1.
    static LexicalEmbedder fit(std::span<const std::string_view> corpus,
                               int dimension = kDefaultDimension);
    // The same, with progress ("fitting lexical statistics") and cancellation.
    static Result<LexicalEmbedder> fit(std::span<const std::string_view> corpus, int dimension,
                                       const JobContext &ctx);

    // The frozen statistics as bytes (a compact binary format, stable across
    // platforms), and back. deserialize() validates everything it reads.
    std::string serialize() const;
    static Result<LexicalEmbedder> deserialize(std::string_view bytes);

    EmbedderIdentity identity() const override;
    Result<std::vector<float>> embed(std::span<const std::string_view> texts,
                                     const JobContext &ctx) override;
    // One text into one L2-normalised row (all zeros when the text has no words).
    std::vector<float> embedOne(std::string_view text) const;

    int dimension() const;
    std::int64_t documentCount() const;
    std::size_t vocabularySize() const;
    // The frozen IDF of a feature id (see LexicalFeatures::featureId); features not
    // seen at fit time get maxIdf(), the weight of a term in no document.
    float idf(std::uint64_t featureId) const;
    float maxIdf() const;

private:
    struct Stats;
    explicit LexicalEmbedder(std::shared_ptr<const Stats> stats);
    static std::shared_ptr<const Stats> makeStats(int dimension, std::int64_t documents,
                                                  LexicalFeatureTable df);
    // Writes the row of one text into `row` (dimension() floats), reusing scratch.
    void embedInto(std::string_view text, float *row, std::vector<std::uint64_t> &ids,
                   std::vector<float> &acc) const;

    std::shared_ptr<const Stats> m_stats;
};

} // namespace rag
