#include "core/index/keywordtokenizer.h"

#include <sqlite3.h>

#include <limits>
#include <new>
#include <sstream>

namespace rag {

namespace {

// The document the inserting thread's next rag_porter call stands for.
thread_local const DocumentTokens *t_pending = nullptr;
thread_local bool t_replayed = false;

// An instance of rag_porter: FTS5's porter over the table's arguments.
struct RagPorter {
    fts5_tokenizer porter{};
    Fts5Tokenizer *inner = nullptr;
};

int createRagPorter(void *userData, const char **args, int argCount, Fts5Tokenizer **out)
{
    auto *api = static_cast<fts5_api *>(userData);
    void *porterData = nullptr;
    fts5_tokenizer porter{};
    int rc = api->xFindTokenizer(api, "porter", &porterData, &porter);
    if (rc != SQLITE_OK)
        return rc;
    auto *self = new (std::nothrow) RagPorter{porter, nullptr};
    if (!self)
        return SQLITE_NOMEM;
    rc = porter.xCreate(porterData, args, argCount, &self->inner);
    if (rc != SQLITE_OK) {
        delete self;
        return rc;
    }
    *out = reinterpret_cast<Fts5Tokenizer *>(self);
    return SQLITE_OK;
}

void deleteRagPorter(Fts5Tokenizer *tokenizer)
{
    auto *self = reinterpret_cast<RagPorter *>(tokenizer);
    self->porter.xDelete(self->inner);
    delete self;
}

using TokenCallback = int (*)(void *, int, const char *, int, int, int);

int replay(const DocumentTokens &doc, void *ctx, TokenCallback emit)
{
    std::uint32_t begin = 0;
    for (const DocumentTokens::Token &t : doc.tokens) {
        const int rc = emit(ctx, t.flags, doc.bytes.data() + begin, int(t.end - begin), int(t.textStart),
                            int(t.textEnd));
        if (rc != SQLITE_OK)
            return rc;
        begin = t.end;
    }
    return SQLITE_OK;
}

int tokenizeRagPorter(Fts5Tokenizer *tokenizer, void *ctx, int flags, const char *text, int textBytes,
                      TokenCallback emit)
{
    const DocumentTokens *pending = t_pending;
    // The length check guards against a pending document meeting another INSERT.
    if (pending && (flags & FTS5_TOKENIZE_DOCUMENT) && std::size_t(textBytes) == pending->textBytes) {
        t_pending = nullptr;
        t_replayed = true;
        return replay(*pending, ctx, emit);
    }
    auto *self = reinterpret_cast<RagPorter *>(tokenizer);
    return self->porter.xTokenize(self->inner, ctx, flags, text, textBytes, emit);
}

fts5_tokenizer ragPorterTokenizer()
{
    fts5_tokenizer t{};
    t.xCreate = createRagPorter;
    t.xDelete = deleteRagPorter;
    t.xTokenize = tokenizeRagPorter;
    return t;
}

// The words of kKeywordTokenizerSpec after the tokenizer's name.
std::vector<std::string> specArguments()
{
    std::istringstream words(kKeywordTokenizerSpec);
    std::vector<std::string> args;
    std::string word;
    words >> word;  // "rag_porter"
    while (words >> word)
        args.push_back(word);
    return args;
}

int collectToken(void *ctx, int flags, const char *token, int tokenBytes, int start, int end)
{
    auto *out = static_cast<DocumentTokens *>(ctx);
    try {
        out->bytes.append(token, std::size_t(tokenBytes));
        out->tokens.push_back({std::uint32_t(out->bytes.size()), std::uint32_t(start), std::uint32_t(end), flags});
    } catch (const std::bad_alloc &) {
        return SQLITE_NOMEM;
    }
    return SQLITE_OK;
}

} // namespace

int registerKeywordTokenizer(fts5_api *api)
{
    fts5_tokenizer tokenizer = ragPorterTokenizer();
    return api->xCreateTokenizer(api, "rag_porter", api, &tokenizer, nullptr);
}

// ---- TextTokenizer -------------------------------------------------------------

// Porter instances are created through an FTS5 API, which belongs to a connection:
// a private in-memory one, kept open while the instance lives.
struct TextTokenizer::Impl {
    sqlite3 *db = nullptr;
    fts5_tokenizer porter{};
    Fts5Tokenizer *inner = nullptr;

    ~Impl()
    {
        if (inner)
            porter.xDelete(inner);
        sqlite3_close(db);
    }
};

TextTokenizer::TextTokenizer(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
TextTokenizer::~TextTokenizer() = default;

Result<std::unique_ptr<TextTokenizer>> TextTokenizer::create()
{
    auto impl = std::make_unique<Impl>();
    if (sqlite3_open_v2(":memory:", &impl->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
        return fail(ErrorCode::Database, "cannot open an in-memory SQLite connection for the keyword tokenizer", "sqlite");
    fts5_api *api = nullptr;
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(impl->db, "SELECT fts5(?1)", -1, &stmt, nullptr) == SQLITE_OK) {
        sqlite3_bind_pointer(stmt, 1, static_cast<void *>(&api), "fts5_api_ptr", nullptr);
        sqlite3_step(stmt);
    }
    sqlite3_finalize(stmt);
    if (!api)
        return fail(ErrorCode::Unsupported, "this SQLite has no FTS5", "sqlite");
    void *porterData = nullptr;
    if (api->xFindTokenizer(api, "porter", &porterData, &impl->porter) != SQLITE_OK)
        return fail(ErrorCode::Unsupported, "this SQLite's FTS5 has no porter tokenizer", "sqlite");
    const std::vector<std::string> args = specArguments();
    std::vector<const char *> argv;
    for (const std::string &a : args)
        argv.push_back(a.c_str());
    if (impl->porter.xCreate(porterData, argv.data(), int(argv.size()), &impl->inner) != SQLITE_OK)
        return fail(ErrorCode::Unsupported, std::string("FTS5 refuses the tokenizer '") + kKeywordTokenizerSpec + "'",
                    "sqlite");
    return std::unique_ptr<TextTokenizer>(new TextTokenizer(std::move(impl)));
}

Result<void> TextTokenizer::tokenize(std::string_view text, DocumentTokens &out) const
{
    out.bytes.clear();
    out.tokens.clear();
    out.textBytes = text.size();
    if (text.size() > std::size_t(std::numeric_limits<int>::max()))
        return fail(ErrorCode::TooLarge, "a chunk of " + std::to_string(text.size()) + " bytes is too large for FTS5",
                    "keyword index");
    const int rc = m_impl->porter.xTokenize(m_impl->inner, &out, FTS5_TOKENIZE_DOCUMENT, text.data(), int(text.size()),
                                            collectToken);
    if (rc != SQLITE_OK)
        return fail(ErrorCode::Database, std::string("the keyword tokenizer failed: ") + sqlite3_errstr(rc), "keyword index");
    return {};
}

// ---- PretokenizedDocument ------------------------------------------------------

PretokenizedDocument::PretokenizedDocument(const DocumentTokens &tokens)
{
    t_pending = &tokens;
    t_replayed = false;
}

PretokenizedDocument::~PretokenizedDocument()
{
    t_pending = nullptr;
    t_replayed = false;
}

bool PretokenizedDocument::replayed() const
{
    return t_replayed;
}

// ---- BackgroundTokenizer -------------------------------------------------------

BackgroundTokenizer::BackgroundTokenizer(std::unique_ptr<TextTokenizer> tokenizer)
    : m_tokenizer(std::move(tokenizer))
{
}

Result<std::unique_ptr<BackgroundTokenizer>> BackgroundTokenizer::start()
{
    auto tokenizer = TextTokenizer::create();
    if (!tokenizer)
        return std::unexpected(tokenizer.error());
    std::unique_ptr<BackgroundTokenizer> self(new BackgroundTokenizer(std::move(*tokenizer)));
    self->m_worker = std::thread([raw = self.get()] { raw->run(); });
    return self;
}

BackgroundTokenizer::~BackgroundTokenizer()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_changed.notify_all();
    if (m_worker.joinable())
        m_worker.join();
}

void BackgroundTokenizer::submit(TokenizedBatch batch)
{
    auto job = std::make_shared<Job>();
    job->batch = std::move(batch);
    {
        const std::lock_guard lock(m_mutex);
        m_jobs.push_back(std::move(job));
    }
    m_changed.notify_all();
}

Result<TokenizedBatch> BackgroundTokenizer::take()
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return m_jobs.empty() || m_jobs.front()->done; });
    if (m_jobs.empty())
        return fail(ErrorCode::Internal, "no batch was submitted to the keyword tokenizer", "keyword index");
    const std::shared_ptr<Job> job = std::move(m_jobs.front());
    m_jobs.pop_front();
    if (!job->status)
        return std::unexpected(job->status.error());
    return std::move(job->batch);
}

std::size_t BackgroundTokenizer::pending() const
{
    const std::lock_guard lock(m_mutex);
    return m_jobs.size();
}

void BackgroundTokenizer::run()
{
    for (;;) {
        std::shared_ptr<Job> job;
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [this, &job] {
                if (m_stop)
                    return true;
                for (const auto &j : m_jobs)
                    if (!j->done) {
                        job = j;
                        return true;
                    }
                return false;
            });
            if (m_stop)
                return;
        }
        // The job is only touched here until it is marked done.
        Result<void> status;
        for (TokenizedRow &row : job->batch) {
            status = m_tokenizer->tokenize(row.text, row.tokens);
            if (!status)
                break;
        }
        {
            const std::lock_guard lock(m_mutex);
            job->status = std::move(status);
            job->done = true;
        }
        m_changed.notify_all();
    }
}

} // namespace rag
