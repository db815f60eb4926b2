#include "core/ingest/docxloader.h"

#include "core/ingest/contentsniffer.h"
#include "core/ingest/docxbodyparser.h"

#include <nlohmann/json.hpp>
#include <zip.h>

#include <QXmlStreamReader>

#include <optional>

namespace rag {

namespace {

// Owns a libzip archive opened over a byte buffer that outlives it; used by
// the one thread that loads the document.
class ZipArchive {
public:
    ZipArchive() = default;
    ~ZipArchive()
    {
        if (m_zip)
            zip_discard(m_zip);
    }
    ZipArchive(const ZipArchive &) = delete;
    ZipArchive &operator=(const ZipArchive &) = delete;

    // Empty string on success, libzip's reason otherwise.
    std::string open(const std::string &bytes)
    {
        zip_error_t error;
        zip_error_init(&error);
        zip_source_t *source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
        if (source)
            m_zip = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
        std::string reason;
        if (!m_zip) {
            reason = zip_error_strerror(&error);
            if (source)
                zip_source_free(source);
        }
        zip_error_fini(&error);
        return reason;
    }

    // The member's bytes; nullopt when it does not exist; an error when it is
    // damaged, encrypted or would unpack to more than `maxBytes`.
    Result<std::optional<QByteArray>> read(const char *name, std::int64_t maxBytes,
                                           const std::string &source) const
    {
        zip_stat_t stat;
        zip_stat_init(&stat);
        if (zip_stat(m_zip, name, 0, &stat) != 0)
            return std::optional<QByteArray>();
        if ((stat.valid & ZIP_STAT_SIZE) && std::int64_t(stat.size) > maxBytes)
            return fail(ErrorCode::TooLarge,
                        std::string(name) + " unpacks to " + std::to_string(stat.size)
                            + " bytes, over the limit of " + std::to_string(maxBytes),
                        source);
        zip_file_t *file = zip_fopen(m_zip, name, 0);
        if (!file)
            return fail(ErrorCode::Corrupt, std::string("cannot open ") + name + " in the archive: "
                                                + zip_strerror(m_zip), source);
        QByteArray data;
        char buffer[64 * 1024];
        zip_int64_t got = 0;
        while ((got = zip_fread(file, buffer, sizeof buffer)) > 0) {
            data.append(buffer, qsizetype(got));
            if (data.size() > maxBytes)
                break;
        }
        const std::string reason = got < 0 ? zip_file_strerror(file) : std::string();
        zip_fclose(file);
        if (got < 0)
            return fail(ErrorCode::Corrupt, std::string(name) + " is damaged: " + reason, source);
        if (data.size() > maxBytes)
            return fail(ErrorCode::TooLarge, std::string(name) + " unpacks to more than "
                                                 + std::to_string(maxBytes) + " bytes", source);
        return std::optional<QByteArray>(std::move(data));
    }

private:
    zip_t *m_zip = nullptr;
};

// docProps/core.xml: Dublin Core title and creator. A damaged core part only
// costs the metadata, never the document.
void readCoreProperties(const QByteArray &xml, std::string &title, nlohmann::json &metadata)
{
    QXmlStreamReader reader(xml);
    const auto text = [&reader] {
        return reader.readElementText(QXmlStreamReader::IncludeChildElements).trimmed().toStdString();
    };
    while (!reader.atEnd() && !reader.hasError()) {
        if (reader.readNext() != QXmlStreamReader::StartElement)
            continue;
        const QStringView name = reader.name();
        if (name == u"title")
            title = text();
        else if (name == u"creator")
            metadata["author"] = text();
        else if (name == u"subject")
            metadata["subject"] = text();
    }
    if (metadata.contains("author") && metadata["author"].get<std::string>().empty())
        metadata.erase("author");
    if (metadata.contains("subject") && metadata["subject"].get<std::string>().empty())
        metadata.erase("subject");
}

} // namespace

Result<void> DocxLoader::load(RawFile &&raw, const LoadOptions &options, LoadedFile &out)
{
    if (!hasZipMagic(raw.bytes)) {
        const auto magic = binaryMagicName(raw.bytes);
        return fail(ErrorCode::Corrupt,
                    "not a docx file: expected a ZIP archive, found "
                        + (magic ? *magic : std::string("no ZIP signature")),
                    raw.path);
    }
    ZipArchive zip;
    if (const std::string reason = zip.open(raw.bytes); !reason.empty())
        return fail(ErrorCode::Corrupt, "damaged docx archive: " + reason, raw.path);

    auto document = zip.read("word/document.xml", options.maxFileBytes, raw.path);
    if (!document)
        return std::unexpected(document.error());
    if (!*document)
        return fail(ErrorCode::Corrupt, "not a Word document: the archive has no word/document.xml", raw.path);
    auto styles = zip.read("word/styles.xml", options.maxFileBytes, raw.path);
    if (!styles)
        return std::unexpected(styles.error());
    auto core = zip.read("docProps/core.xml", options.maxFileBytes, raw.path);

    DocxBodyParser parser;
    if (auto ok = parser.readStyles(styles->value_or(QByteArray()), raw.path); !ok)
        return std::unexpected(ok.error());
    if (auto ok = parser.readDocument(**document, raw.path); !ok)
        return std::unexpected(ok.error());

    SourceDocument doc;
    nlohmann::json metadata = nlohmann::json::object();
    if (core && *core)
        readCoreProperties(**core, doc.title, metadata);
    if (doc.title.empty())
        doc.title = parser.title();
    metadata["headings"] = parser.headingCount();
    metadata["tables"] = parser.tableCount();
    doc.text = parser.text();
    doc.metadataJson = dumpJson(metadata);
    auto finished = finishDocument(std::move(doc), options, raw.path, "the document");
    if (!finished)
        return std::unexpected(finished.error());
    out.documents.push_back(std::move(*finished));
    return {};
}

} // namespace rag
