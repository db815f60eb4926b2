#pragma once
// chunkText: the engine's one entry point for cutting a document into chunks.
//
// Validates the config and the text, then runs the strategy's chunker
// (FixedChunker, RecursiveChunker, SentenceChunker, MarkdownChunker). Guarantees,
// for every strategy and unit:
//  * chunk.start/end are byte offsets on code point boundaries, ascending by start;
//    text.substr(start, end - start) is the chunk text;
//  * no chunk is longer than config.size units (characters = code points; tokens
//    = tokens->countTokens(chunk text)), except a single code point that alone is
//    larger (possible only for token sizes below ~4);
//  * every non-whitespace byte of the text is in some chunk, and consecutive chunks
//    either touch, are separated by whitespace only, or share a region of at most
//    config.overlap units (for Fixed: exactly config.overlap, except around a
//    dropped whitespace-only window);
//  * whitespace-only chunks are dropped; Recursive, Sentence and Markdown chunks
//    are trimmed of leading/trailing whitespace (JavaScript String.trim() set) by
//    moving their offsets; Fixed windows are never trimmed.
// Recursive matches LangChain's RecursiveCharacterTextSplitter (keepSeparator:
// true) chunk for chunk when LangChain measures length in code points; its
// default text.length counts UTF-16 units, which differs only for text outside
// the Basic Multilingual Plane. Two deliberate differences: the "" separator splits
// by code point (LangChain by UTF-16 unit, which can cut a surrogate pair), and a
// separator list without "" still ends in a code point split (LangChain would
// emit an oversized piece).
//
// Pure function of its inputs; safe to call from any thread (the TokenCounter
// must be thread-safe, as its interface requires).
#include "core/chunking/chunk.h"
#include "core/chunking/chunkerconfig.h"
#include "core/common/result.h"
#include "core/tokenize/tokencounter.h"

#include <string_view>
#include <vector>

namespace rag {

// `tokens` is required when config.unit == ChunkUnit::Tokens and must count in
// config.encoding; it is ignored for characters. Errors: InvalidArgument (bad
// config, naming the field; missing counter, source "tokens"), Mismatch (a
// BpeTokenizer of another encoding, source "tokens"), Parse (text is not valid
// UTF-8, naming the byte offset).
Result<std::vector<Chunk>> chunkText(std::string_view utf8Text, const ChunkerConfig &config,
                                     const TokenCounter *tokens);

} // namespace rag
