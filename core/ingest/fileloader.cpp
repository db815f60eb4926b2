#include "core/ingest/fileloader.h"

#include "core/common/hashing.h"
#include "core/common/logging.h"
#include "core/ingest/contentsniffer.h"
#include "core/ingest/csvloader.h"
#include "core/ingest/docxloader.h"
#include "core/ingest/htmlloader.h"
#include "core/ingest/jsonlloader.h"
#include "core/ingest/markdownloader.h"
#include "core/ingest/pdfloader.h"
#include "core/ingest/textloader.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <system_error>

namespace rag {

namespace {

namespace fs = std::filesystem;
using namespace std::string_view_literals;

struct ExtensionFormat {
    std::string_view extension;
    std::string_view format;
};

constexpr std::array<ExtensionFormat, 13> kFormats{{
    {"txt"sv, "txt"sv}, {"text"sv, "txt"sv}, {"md"sv, "md"sv}, {"markdown"sv, "md"sv},
    {"html"sv, "html"sv}, {"htm"sv, "html"sv}, {"xhtml"sv, "html"sv}, {"pdf"sv, "pdf"sv},
    {"docx"sv, "docx"sv}, {"csv"sv, "csv"sv}, {"tsv"sv, "csv"sv}, {"jsonl"sv, "jsonl"sv},
    {"ndjson"sv, "jsonl"sv},
}};

std::string lowerExtension(const std::string &path)
{
    std::string ext = fs::path(path).extension().string();
    if (!ext.empty())
        ext.erase(0, 1);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) {
        return char(c >= 'A' && c <= 'Z' ? c + 32 : c);
    });
    return ext;
}

std::string describeSize(std::uintmax_t bytes)
{
    char buffer[64];
    if (bytes >= (1u << 20))
        std::snprintf(buffer, sizeof buffer, "%.1f MiB", double(bytes) / double(1u << 20));
    else if (bytes >= 1024)
        std::snprintf(buffer, sizeof buffer, "%.1f KiB", double(bytes) / 1024.0);
    else
        std::snprintf(buffer, sizeof buffer, "%ju bytes", bytes);
    return buffer;
}

// Io errors for everything that is not a readable regular file.
std::optional<Error> checkPath(const std::string &path)
{
    std::error_code ec;
    const fs::file_status linkStatus = fs::symlink_status(path, ec);
    const fs::file_status status = fs::status(path, ec);
    if (!fs::exists(status)) {
        if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory)
            return Error{ErrorCode::Io, "cannot access the file: " + ec.message(), path};
        if (fs::is_symlink(linkStatus)) {
            std::error_code linkEc;
            const fs::path target = fs::read_symlink(path, linkEc);
            return Error{ErrorCode::Io, "broken symbolic link: its target '" + target.string() + "' does not exist", path};
        }
        return Error{ErrorCode::Io, "no such file", path};
    }
    if (fs::is_directory(status))
        return Error{ErrorCode::Io, "is a folder, not a file", path};
    if (!fs::is_regular_file(status))
        return Error{ErrorCode::Io, "not a regular file (a device, pipe or socket)", path};
    return std::nullopt;
}

// Reads at most limit + 1 bytes, so a file that grew past the limit since it
// was measured is still caught.
Result<std::string> readBytes(const std::string &path, std::uintmax_t expected, std::int64_t limit)
{
    const std::unique_ptr<std::FILE, int (*)(std::FILE *)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!file)
        return fail(ErrorCode::Io, std::string("cannot open the file: ") + std::strerror(errno), path);
    std::string bytes;
    bytes.resize(std::size_t(std::min<std::uintmax_t>(expected, std::uintmax_t(limit))) + 1);
    std::size_t got = 0;
    while (true) {
        if (got == bytes.size()) {
            if (std::int64_t(got) > limit)
                break;
            bytes.resize(std::min<std::size_t>(bytes.size() * 2, std::size_t(limit) + 1));
        }
        const std::size_t n = std::fread(bytes.data() + got, 1, bytes.size() - got, file.get());
        got += n;
        if (n == 0)
            break;
    }
    if (std::ferror(file.get()))
        return fail(ErrorCode::Io, std::string("cannot read the file: ") + std::strerror(errno), path);
    if (std::int64_t(got) > limit)
        return fail(ErrorCode::TooLarge, "the file grew past the limit of " + describeSize(std::uintmax_t(limit))
                                             + " while it was read", path);
    bytes.resize(got);
    return bytes;
}

bool looksLikeHtml(std::string_view bytes)
{
    if (bytes.starts_with("\xef\xbb\xbf"sv))
        bytes.remove_prefix(3);
    const std::size_t start = bytes.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos)
        return false;
    std::string head(bytes.substr(start, 14));
    std::transform(head.begin(), head.end(), head.begin(), [](unsigned char c) {
        return char(c >= 'A' && c <= 'Z' ? c + 32 : c);
    });
    return head.starts_with("<!doctype html") || head.starts_with("<html");
}

// The format the content shows, where the extension lies: a PDF signature
// wins over any extension, an HTML document saved as .txt is HTML, and a .pdf
// without the signature is not a PDF at all.
Result<std::string> sniffFormat(const std::string &path, const std::string &byExtension, std::string_view bytes)
{
    if (byExtension != "pdf" && hasPdfMagic(bytes)) {
        qCInfo(lcIngest) << path.c_str() << "is a PDF despite its extension";
        return std::string("pdf");
    }
    if (byExtension == "pdf" && !hasPdfMagic(bytes)) {
        const auto magic = binaryMagicName(bytes);
        return fail(ErrorCode::Corrupt,
                    "not a PDF: no %PDF- header" + (magic ? " (it looks like a " + *magic + ")" : std::string()), path);
    }
    if (byExtension == "txt" && looksLikeHtml(bytes)) {
        qCInfo(lcIngest) << path.c_str() << "is an HTML document despite its extension";
        return std::string("html");
    }
    return byExtension;
}

Result<void> dispatch(const std::string &format, RawFile &&raw, const LoadOptions &options, LoadedFile &out)
{
    if (format == "txt")
        return TextLoader::load(std::move(raw), options, out);
    if (format == "md")
        return MarkdownLoader::load(std::move(raw), options, out);
    if (format == "html")
        return HtmlLoader::load(std::move(raw), options, out);
    if (format == "pdf")
        return PdfLoader::load(std::move(raw), options, out);
    if (format == "docx")
        return DocxLoader::load(std::move(raw), options, out);
    if (format == "csv")
        return CsvLoader::load(std::move(raw), options, out);
    if (format == "jsonl")
        return JsonlLoader::load(std::move(raw), options, out);
    return fail(ErrorCode::Internal, "no loader for format '" + format + "'", raw.path);
}

Result<LoadedFile> loadChecked(const std::string &path, const LoadOptions &options)
{
    if (auto problem = checkPath(path))
        return std::unexpected(*problem);
    const std::string format = formatForPath(path);
    if (format.empty()) {
        const std::string ext = lowerExtension(path);
        return fail(ErrorCode::Unsupported,
                    ext.empty() ? std::string("unsupported file type (no extension)")
                                : "unsupported file type '." + ext + "'",
                    path);
    }
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(path, ec);
    if (ec)
        return fail(ErrorCode::Io, "cannot read the file size: " + ec.message(), path);
    if (size > std::uintmax_t(options.maxFileBytes))
        return fail(ErrorCode::TooLarge,
                    "the file is " + describeSize(size) + ", over the limit of "
                        + describeSize(std::uintmax_t(options.maxFileBytes)),
                    path);
    auto bytes = readBytes(path, size, options.maxFileBytes);
    if (!bytes)
        return std::unexpected(bytes.error());

    LoadedFile out;
    out.path = path;
    out.byteSize = std::int64_t(bytes->size());
    out.fileHash = sha256Hex(*bytes);
    if (bytes->empty())
        return fail(ErrorCode::Empty, "the file is empty (0 bytes)", path);
    auto sniffed = sniffFormat(path, format, *bytes);
    if (!sniffed)
        return std::unexpected(sniffed.error());
    out.format = *sniffed;

    if (auto loaded = dispatch(out.format, RawFile{path, std::move(*bytes)}, options, out); !loaded)
        return std::unexpected(loaded.error());
    if (out.documents.empty()) {
        if (out.recordErrors.empty())
            return fail(ErrorCode::Empty, "the file has no records", path);
        const Error &first = out.recordErrors.front();
        return fail(first.code,
                    "none of its " + std::to_string(out.recordErrors.size())
                        + " records could be loaded; the first problem, at " + first.source + ": " + first.detail,
                    path);
    }
    qCDebug(lcIngest) << path.c_str() << out.format.c_str() << out.documents.size() << "documents,"
                      << out.recordErrors.size() << "record errors";
    return out;
}

} // namespace

std::string formatForPath(const std::string &path)
{
    const std::string ext = lowerExtension(path);
    for (const ExtensionFormat &entry : kFormats) {
        if (entry.extension == ext)
            return std::string(entry.format);
    }
    return {};
}

bool isSupportedFile(const std::string &path)
{
    return !formatForPath(path).empty();
}

Result<LoadedFile> loadFile(const std::string &path, const LoadOptions &options)
{
    if (path.empty())
        return fail(ErrorCode::InvalidArgument, "no file path given");
    // The loaders report through Result; this only catches what the standard
    // library or a third-party parser throws past them (allocation failure, ...).
    try {
        return loadChecked(path, options);
    } catch (const std::exception &e) {
        qCWarning(lcIngest) << path.c_str() << "failed unexpectedly:" << e.what();
        return fail(ErrorCode::Internal, std::string("unexpected failure while loading: ") + e.what(), path);
    }
}

} // namespace rag
