#pragma once
// The FTS5 tokenizer of keyword indexes, "rag_porter", and the means to run it on a
// second thread during a bulk build.
//
// FTS5 tokenises a row inside its INSERT, on the writing thread, so a build spends
// its time in one thread: tokenising (unicode61 + Porter stemming) and writing the
// term hash, one after the other. rag_porter is FTS5's own porter tokenizer (with the
// arguments the table names, "unicode61 remove_diacritics 2"), except for a document
// that a PretokenizedDocument on the inserting thread stands for: then it replays the
// tokens a TextTokenizer produced from the same text beforehand, on another thread.
// The tokens are porter's own, so the index is the one porter would have built (a
// test compares every term, rowid and position). Queries always go to porter.
//
// registerKeywordTokenizer runs for every connection (see keywordindex.cpp).
// TextTokenizer: a porter instance of its own; one thread at a time.
// PretokenizedDocument: a scope on the inserting thread, for exactly one INSERT.
// BackgroundTokenizer: one worker thread that tokenises batches of rows in order.
#include "core/common/result.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

struct fts5_api;

namespace rag {

// The tokenize= argument of every keyword table this build creates.
inline constexpr const char *kKeywordTokenizerSpec = "rag_porter unicode61 remove_diacritics 2";

// Makes rag_porter available on the connection whose FTS5 this is. SQLite result code.
int registerKeywordTokenizer(fts5_api *api);

// One document's tokens, as FTS5's xToken callback receives them.
struct DocumentTokens {
    struct Token {
        std::uint32_t end = 0;  // the token is bytes[previous end, end)
        std::uint32_t textStart = 0;
        std::uint32_t textEnd = 0;
        int flags = 0;  // FTS5_TOKEN_COLOCATED or 0
    };
    std::string bytes;
    std::vector<Token> tokens;
    std::size_t textBytes = 0;  // the length of the text they came from
};

class TextTokenizer {
public:
    static Result<std::unique_ptr<TextTokenizer>> create();
    ~TextTokenizer();
    TextTokenizer(const TextTokenizer &) = delete;
    TextTokenizer &operator=(const TextTokenizer &) = delete;

    // The tokens rag_porter gives a document of this text.
    Result<void> tokenize(std::string_view text, DocumentTokens &out) const;

private:
    struct Impl;
    explicit TextTokenizer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

class PretokenizedDocument {
public:
    explicit PretokenizedDocument(const DocumentTokens &tokens);
    ~PretokenizedDocument();
    PretokenizedDocument(const PretokenizedDocument &) = delete;
    PretokenizedDocument &operator=(const PretokenizedDocument &) = delete;

    // Whether rag_porter replayed the tokens (false: it tokenised the text itself,
    // e.g. because the table uses another tokenizer).
    bool replayed() const;
};

struct TokenizedRow {
    std::int64_t rowid = 0;
    std::string text;
    DocumentTokens tokens;
};
using TokenizedBatch = std::vector<TokenizedRow>;

class BackgroundTokenizer {
public:
    static Result<std::unique_ptr<BackgroundTokenizer>> start();
    ~BackgroundTokenizer();  // stops the worker; batches not taken are dropped
    BackgroundTokenizer(const BackgroundTokenizer &) = delete;
    BackgroundTokenizer &operator=(const BackgroundTokenizer &) = delete;

    void submit(TokenizedBatch batch);
    // The oldest submitted batch, once tokenised. Only after a submit not yet taken.
    Result<TokenizedBatch> take();
    std::size_t pending() const;

private:
    explicit BackgroundTokenizer(std::unique_ptr<TextTokenizer> tokenizer);
    void run();

    struct Job {
        TokenizedBatch batch;
        Result<void> status;
        bool done = false;
    };
    std::unique_ptr<TextTokenizer> m_tokenizer;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<std::shared_ptr<Job>> m_jobs;  // oldest first; the worker takes the first not done
    bool m_stop = false;
    std::thread m_worker;
};

} // namespace rag
