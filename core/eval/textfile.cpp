#include "core/eval/textfile.h"

#include <QFile>
#include <QSaveFile>

#include <charconv>

namespace rag::evalio {

Result<std::string> readTextFile(const std::string &path)
{
    QFile file(QString::fromStdString(path));
    if (!file.exists())
        return fail(ErrorCode::NotFound, "file does not exist", path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Io, "cannot open for reading: " + file.errorString().toStdString(), path);
    const QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return fail(ErrorCode::Io, "read failed: " + file.errorString().toStdString(), path);
    return bytes.toStdString();
}

Result<void> writeTextFile(const std::string &path, std::string_view content)
{
    QSaveFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::WriteOnly))
        return fail(ErrorCode::Io, "cannot open for writing: " + file.errorString().toStdString(), path);
    const auto size = static_cast<qint64>(content.size());
    if (file.write(content.data(), size) != size)
        return fail(ErrorCode::Io, "write failed: " + file.errorString().toStdString(), path);
    if (!file.commit())
        return fail(ErrorCode::Io, "commit failed: " + file.errorString().toStdString(), path);
    return {};
}

std::vector<std::string_view> splitLines(std::string_view text)
{
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        const std::size_t next = end == std::string_view::npos ? text.size() : end + 1;
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        lines.push_back(line);
        start = next;
    }
    return lines;
}

std::vector<std::string_view> splitWhitespace(std::string_view line)
{
    std::vector<std::string_view> fields;
    std::size_t pos = 0;
    while (pos < line.size()) {
        while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t' || line[pos] == '\r'))
            ++pos;
        const std::size_t start = pos;
        while (pos < line.size() && line[pos] != ' ' && line[pos] != '\t' && line[pos] != '\r')
            ++pos;
        if (pos > start)
            fields.push_back(line.substr(start, pos - start));
    }
    return fields;
}

std::string_view trim(std::string_view text)
{
    const auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && isSpace(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && isSpace(text.back()))
        text.remove_suffix(1);
    return text;
}

std::string lineSource(const std::string &path, std::size_t lineNumber)
{
    return path + ":" + std::to_string(lineNumber);
}

bool parseInt(std::string_view field, int &out)
{
    if (!field.empty() && field.front() == '+')
        field.remove_prefix(1);
    const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), out);
    return ec == std::errc() && end == field.data() + field.size() && !field.empty();
}

bool parseDouble(std::string_view field, double &out)
{
    if (!field.empty() && field.front() == '+')
        field.remove_prefix(1);
    const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), out);
    return ec == std::errc() && end == field.data() + field.size() && !field.empty();
}

std::string formatDouble(double value)
{
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general);
    return ec == std::errc() ? std::string(buffer, end) : std::string("nan");
}

} // namespace rag::evalio
