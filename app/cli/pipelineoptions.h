#pragma once
// The pipeline options every command that runs a pipeline declares (eval, evalset
// run, sweep, judge): retriever, embedder, vector index and HNSW parameters, fusion,
// chunking, depth, and the query transform with its chat model. One parser set-up
// and one reading, so the same option means the same PipelineConfig everywhere.
// Free functions over a QCommandLineParser, used on the command's thread.
#include "core/common/result.h"
#include "core/config/pipelineconfig.h"
#include "core/pipeline/evaluation.h"

#include <QCommandLineParser>
#include <QString>

#include <memory>
#include <string>

namespace rag {
class ChatModel;
}

namespace rag::cli {

// Which optional groups a command declares besides the pipeline itself.
struct PipelineOptionSet {
    bool transform = true;     // --transform, --chat, --variants, --transform-temperature, --hyde-keyword, --transform-fallback
    bool chatEndpoint = true;  // --base-url and --prices (off when the command declares its own)
};

// What a bm25 pipeline does with --embedder.
enum class KeywordEmbedder {
    Drop,        // always empty: a keyword run's identity (config hash) never depends on it
    KeepIfGiven  // kept when given explicitly: a sweep may switch lanes (planSweep clears it for bm25 points)
};

void addPipelineOptions(QCommandLineParser &parser, PipelineOptionSet set = {});

// The transform options alone (ragwb query declares them without a pipeline).
void addTransformOptions(QCommandLineParser &parser, bool chatEndpoint);

// The validated config of the declared options; a transform without --chat is an
// InvalidArgument naming transform.chat (commands report it as a usage error).
Result<PipelineConfig> pipelineFromOptions(const QCommandLineParser &parser, KeywordEmbedder keyword,
                                           PipelineOptionSet set = {});

// The validated transform of the transform options (kind none when not asked for).
Result<QueryTransform> transformFromOptions(const QCommandLineParser &parser);

// The chat model `spec` with the base URL of option `baseUrlOption` and --prices
// (when declared and given); keys come from the environment.
Result<std::shared_ptr<const ChatModel>> chatModelFromOptions(const QCommandLineParser &parser, const std::string &spec,
                                                              const QString &baseUrlOption = QStringLiteral("base-url"));

// The evaluation hook for `transform` over its chat model (chatModelFromOptions);
// empty when the transform is none.
Result<QueryExpander> queryExpanderFromOptions(const QCommandLineParser &parser, const QueryTransform &transform);

} // namespace rag::cli
