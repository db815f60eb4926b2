#include "core/ingest/pdfloader.h"

#include "core/common/logging.h"
#include "core/ingest/textnormaliser.h"

#include <poppler-qt6.h>

#include <nlohmann/json.hpp>

#include <QByteArray>
#include <QStringList>

#include <algorithm>
#include <exception>
#include <mutex>

namespace rag {

namespace {

// Poppler reports problems through one process-wide callback. It is installed
// once and appends to the collector of whichever thread is loading a PDF, so
// each load sees only its own document's messages.
thread_local QStringList *t_popplerMessages = nullptr;

void collectPopplerMessage(const QString &message, const QVariant &)
{
    if (t_popplerMessages)
        t_popplerMessages->append(message.trimmed());
    else
        qCDebug(lcIngest) << "poppler:" << message;
}

class PopplerMessageScope {
public:
    PopplerMessageScope()
    {
        static std::once_flag installed;
        std::call_once(installed, [] { Poppler::setDebugErrorFunction(collectPopplerMessage, QVariant()); });
        t_popplerMessages = &m_messages;
    }
    ~PopplerMessageScope() { t_popplerMessages = nullptr; }
    PopplerMessageScope(const PopplerMessageScope &) = delete;
    PopplerMessageScope &operator=(const PopplerMessageScope &) = delete;

    // The first few distinct messages, which name the actual fault.
    std::string summary() const
    {
        QStringList distinct;
        for (const QString &message : m_messages) {
            if (!message.isEmpty() && !distinct.contains(message))
                distinct.append(message);
            if (distinct.size() == 3)
                break;
        }
        return distinct.join(QStringLiteral("; ")).toStdString();
    }

private:
    QStringList m_messages;
};

// Fonts draw "ff", "fi", "fl", ... as one ligature glyph and poppler reports
// that glyph's code point (U+FB00-U+FB06), which NFC keeps: "ﬁnd" would then
// never match "find". The letters are what the author typed, so they come back.
QString expandLigatures(QString text)
{
    static const char16_t kFirst = 0xfb00, kLast = 0xfb06;
    static const char *const kLetters[] = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};
    if (std::none_of(text.cbegin(), text.cend(), [](QChar c) { return c.unicode() >= kFirst && c.unicode() <= kLast; }))
        return text;
    QString out;
    out.reserve(text.size() + 8);
    for (const QChar c : std::as_const(text)) {
        if (c.unicode() >= kFirst && c.unicode() <= kLast)
            out += QLatin1String(kLetters[c.unicode() - kFirst]);
        else
            out += c;
    }
    return out;
}

std::string trimWhitespace(std::string text)
{
    const std::size_t first = text.find_first_not_of(" \t\n\f");
    if (first == std::string::npos)
        return {};
    text.erase(text.find_last_not_of(" \t\n\f") + 1);
    text.erase(0, first);
    return text;
}

nlohmann::json infoMetadata(const Poppler::Document &doc)
{
    nlohmann::json info = nlohmann::json::object();
    static const std::pair<const char *, const char *> kKeys[] = {
        {"Author", "author"}, {"Subject", "subject"}, {"Keywords", "keywords"},
        {"Creator", "creator"}, {"Producer", "producer"}};
    for (const auto &[pdfKey, jsonKey] : kKeys) {
        const QString value = doc.info(QString::fromLatin1(pdfKey)).trimmed();
        if (!value.isEmpty())
            info[jsonKey] = normaliseTitle(value.toStdString());
    }
    return info;
}

Result<void> loadDocument(const RawFile &raw, const LoadOptions &options, LoadedFile &out)
{
    PopplerMessageScope messages;
    const QByteArray data = QByteArray::fromRawData(raw.bytes.data(), qsizetype(raw.bytes.size()));
    const std::unique_ptr<Poppler::Document> doc = Poppler::Document::loadFromData(data);
    if (!doc) {
        const std::string reason = messages.summary();
        return fail(ErrorCode::Corrupt,
                    "not a readable PDF" + (reason.empty() ? std::string() : " (poppler: " + reason + ")"),
                    raw.path);
    }
    if (doc->isLocked())
        return fail(ErrorCode::Corrupt, "the PDF is encrypted and needs a password", raw.path);

    const int pageCount = doc->numPages();
    if (pageCount <= 0)
        return fail(ErrorCode::Empty, "the PDF has no pages", raw.path);

    // Pages are normalised one by one so that the recorded page offsets hold in
    // the final text: "\n\n" separators stop NFC from composing across pages.
    SourceDocument document;
    nlohmann::json pageOffsets = nlohmann::json::array();
    for (int i = 0; i < pageCount; ++i) {
        const std::unique_ptr<Poppler::Page> page = doc->page(i);
        std::string text = page ? trimWhitespace(normaliseText(expandLigatures(page->text(QRectF())).toStdString()))
                               : std::string();
        if (!text.empty() && !document.text.empty())
            document.text += "\n\n";
        pageOffsets.push_back(document.text.size());
        document.text += text;
    }
    if (isBlankText(document.text)) {
        return fail(ErrorCode::Empty,
                    "no text layer (scanned?): none of the " + std::to_string(pageCount)
                        + " pages has extractable text",
                    raw.path);
    }
    nlohmann::json metadata = infoMetadata(*doc);
    metadata["pageCount"] = pageCount;
    metadata["pageOffsets"] = std::move(pageOffsets);
    document.title = doc->info(QStringLiteral("Title")).toStdString();
    document.metadataJson = dumpJson(metadata);

    auto finished = finishDocument(std::move(document), options, raw.path, "the PDF");
    if (!finished)
        return std::unexpected(finished.error());
    out.documents.push_back(std::move(*finished));
    return {};
}

} // namespace

Result<void> PdfLoader::load(RawFile &&raw, const LoadOptions &options, LoadedFile &out)
{
    // Poppler itself reports through return values, but allocation failures
    // and the like must not escape the adapter.
    try {
        return loadDocument(raw, options, out);
    } catch (const std::exception &e) {
        return fail(ErrorCode::Corrupt, std::string("PDF reader failed: ") + e.what(), raw.path);
    }
}

} // namespace rag
