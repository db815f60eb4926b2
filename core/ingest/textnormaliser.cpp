#include "core/ingest/textnormaliser.h"

#include <QString>
#include <QStringDecoder>

namespace rag {

namespace {

bool isDroppedAsciiControl(unsigned char c)
{
    return (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f;
}

bool isDroppedControl(char16_t c)
{
    return (c < 0x20 && c != u'\n' && c != u'\t') || (c >= 0x7f && c <= 0x9f);
}

// Decodes without swallowing a leading U+FEFF (QString::fromUtf8 skips it,
// which would make a text starting with two of them shrink on every pass).
QString decodeUtf8KeepingBom(std::string_view utf8)
{
    // Stateless: a sequence cut off at the end becomes U+FFFD instead of vanishing.
    QStringDecoder decoder(QStringConverter::Utf8,
                           QStringConverter::Flag::ConvertInitialBom | QStringConverter::Flag::Stateless);
    return decoder.decode(QByteArrayView(utf8.data(), qsizetype(utf8.size())));
}

// Steps 2 and 3 on ASCII-only input, where NFC is the identity.
std::string normaliseAscii(std::string_view ascii)
{
    std::string out;
    out.reserve(ascii.size());
    for (std::size_t i = 0; i < ascii.size(); ++i) {
        const auto c = static_cast<unsigned char>(ascii[i]);
        if (c == '\r') {
            out.push_back('\n');
            if (i + 1 < ascii.size() && ascii[i + 1] == '\n')
                ++i;
        } else if (!isDroppedAsciiControl(c)) {
            out.push_back(char(c));
        }
    }
    return out;
}

} // namespace

std::string normaliseText(std::string_view utf8)
{
    bool ascii = true;
    bool clean = true;
    for (const char ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x80) {
            ascii = false;
            break;
        }
        if (c == '\r' || isDroppedAsciiControl(c))
            clean = false;
    }
    if (ascii)
        return clean ? std::string(utf8) : normaliseAscii(utf8);

    const QString decoded = decodeUtf8KeepingBom(utf8);
    QString filtered;
    filtered.reserve(decoded.size());
    const qsizetype n = decoded.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = decoded.at(i).unicode();
        if (c == u'\r') {
            filtered.append(QChar(u'\n'));
            if (i + 1 < n && decoded.at(i + 1) == QChar(u'\n'))
                ++i;
        } else if (!isDroppedControl(c)) {
            filtered.append(QChar(c));
        }
    }
    return filtered.normalized(QString::NormalizationForm_C).toStdString();
}

std::string normaliseTitle(std::string_view utf8)
{
    const QString text = decodeUtf8KeepingBom(normaliseText(utf8));
    QString out;
    out.reserve(text.size());
    bool pendingSpace = false;
    for (const QChar c : text) {
        if (c.isSpace()) {
            pendingSpace = !out.isEmpty();
            continue;
        }
        if (pendingSpace)
            out.append(QChar(u' '));
        pendingSpace = false;
        out.append(c);
    }
    return out.toStdString();
}

bool isBlankText(std::string_view utf8)
{
    bool ascii = true;
    for (const char ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x80) {
            ascii = false;
            continue;
        }
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v')
            return false;
    }
    if (ascii)
        return true;
    const QString text = decodeUtf8KeepingBom(utf8);
    for (const QChar c : text) {
        if (!c.isSpace())
            return false;
    }
    return true;
}

std::int64_t countCodePoints(std::string_view utf8)
{
    std::int64_t count = 0;
    for (const char ch : utf8) {
        if ((static_cast<unsigned char>(ch) & 0xc0) != 0x80)
            ++count;
    }
    return count;
}

} // namespace rag
