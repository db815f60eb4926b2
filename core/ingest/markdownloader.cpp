#include "core/ingest/markdownloader.h"

#include "core/ingest/textdecoder.h"
#include "core/ingest/textnormaliser.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace rag {

namespace {

std::vector<std::string_view> splitLines(std::string_view text)
{
    std::vector<std::string_view> lines;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const std::size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos) {
            lines.push_back(text.substr(pos));
            break;
        }
        lines.push_back(text.substr(pos, nl - pos));
        pos = nl + 1;
    }
    return lines;
}

std::string_view trim(std::string_view s)
{
    const std::size_t first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return {};
    return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

// Up to three spaces of indentation, as CommonMark allows for block markers.
std::string_view stripIndent(std::string_view line, bool &tooDeep)
{
    std::size_t spaces = 0;
    while (spaces < line.size() && line[spaces] == ' ')
        ++spaces;
    tooDeep = spaces > 3 || (spaces < line.size() && line[spaces] == '\t');
    return line.substr(spaces);
}

// "## Title ##" -> level 2, "Title"; level 0 when the line is not an ATX heading.
int atxHeading(std::string_view line, std::string_view &title)
{
    bool tooDeep = false;
    line = stripIndent(line, tooDeep);
    if (tooDeep)
        return 0;
    std::size_t level = 0;
    while (level < line.size() && line[level] == '#')
        ++level;
    if (level == 0 || level > 6 || (level < line.size() && line[level] != ' ' && line[level] != '\t'))
        return 0;
    std::string_view rest = trim(line.substr(level));
    // An optional closing sequence of '#' preceded by a space.
    const std::size_t hashes = rest.find_last_not_of('#');
    if (hashes == std::string_view::npos)
        rest = {};
    else if (hashes + 1 < rest.size() && (rest[hashes] == ' ' || rest[hashes] == '\t'))
        rest = trim(rest.substr(0, hashes));
    title = rest;
    return int(level);
}

// "===" underline -> 1, "---" -> 2, else 0.
int setextUnderline(std::string_view line)
{
    bool tooDeep = false;
    const std::string_view body = trim(stripIndent(line, tooDeep));
    if (tooDeep || body.empty())
        return 0;
    if (body.find_first_not_of('=') == std::string_view::npos)
        return 1;
    if (body.find_first_not_of('-') == std::string_view::npos)
        return 2;
    return 0;
}

bool isFence(std::string_view line)
{
    bool tooDeep = false;
    const std::string_view body = stripIndent(line, tooDeep);
    return !tooDeep && (body.starts_with("```") || body.starts_with("~~~"));
}

std::string frontMatterTitle(const std::vector<std::string_view> &lines, std::size_t &bodyStart)
{
    bodyStart = 0;
    if (lines.empty() || trim(lines[0]) != "---")
        return {};
    for (std::size_t i = 1; i < lines.size(); ++i) {
        const std::string_view line = trim(lines[i]);
        if (line == "---" || line == "...") {
            bodyStart = i + 1;
            break;
        }
    }
    if (bodyStart == 0)
        return {};
    for (std::size_t i = 1; i + 1 < bodyStart; ++i) {
        if (!lines[i].starts_with("title:"))
            continue;
        std::string_view value = trim(lines[i].substr(6));
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
            value = value.substr(1, value.size() - 2);
        return std::string(value);
    }
    return {};
}

} // namespace

std::string MarkdownLoader::findTitle(std::string_view markdown)
{
    const std::vector<std::string_view> lines = splitLines(markdown);
    std::size_t start = 0;
    if (std::string title = frontMatterTitle(lines, start); !title.empty())
        return title;
    std::string_view firstAny;
    bool inFence = false;
    for (std::size_t i = start; i < lines.size(); ++i) {
        if (isFence(lines[i])) {
            inFence = !inFence;
            continue;
        }
        if (inFence)
            continue;
        std::string_view title;
        int level = atxHeading(lines[i], title);
        if (level == 0 && i + 1 < lines.size() && !trim(lines[i]).empty()) {
            level = setextUnderline(lines[i + 1]);
            title = trim(lines[i]);
        }
        if (level == 0 || title.empty())
            continue;
        if (level == 1)
            return std::string(title);
        if (firstAny.empty())
            firstAny = title;
    }
    return std::string(firstAny);
}

Result<void> MarkdownLoader::load(RawFile &&raw, const LoadOptions &options, LoadedFile &out)
{
    auto decoded = decodeText(std::move(raw.bytes), raw.path);
    if (!decoded)
        return std::unexpected(decoded.error());
    SourceDocument doc;
    doc.text = std::move(decoded->text);
    doc.metadataJson = dumpJson(nlohmann::json{{"encoding", decoded->encoding}});
    auto finished = finishDocument(std::move(doc), options, raw.path, "the file");
    if (!finished)
        return std::unexpected(finished.error());
    finished->title = normaliseTitle(findTitle(finished->text));
    out.documents.push_back(std::move(*finished));
    return {};
}

} // namespace rag
