#include "core/ingest/docxbodyparser.h"

#include <QXmlStreamReader>

namespace rag {

namespace {

QString attribute(const QXmlStreamReader &xml, QStringView localName)
{
    for (const QXmlStreamAttribute &attr : xml.attributes()) {
        if (attr.name() == localName)
            return attr.value().toString();
    }
    return {};
}

int parseOutlineLevel(const QString &value)
{
    bool ok = false;
    const int level = value.toInt(&ok);
    return ok ? level : -1;
}

Error xmlError(const QXmlStreamReader &xml, const std::string &source, const char *part)
{
    return Error{ErrorCode::Corrupt,
                 std::string(part) + " is not well-formed XML (line " + std::to_string(xml.lineNumber())
                     + ", column " + std::to_string(xml.columnNumber()) + ": "
                     + xml.errorString().toStdString() + ")",
                 source};
}

} // namespace

Result<void> DocxBodyParser::readStyles(const QByteArray &stylesXml, const std::string &source)
{
    if (stylesXml.isEmpty())
        return {};
    QXmlStreamReader xml(stylesXml);
    QString id;
    Style style;
    bool paragraphStyle = false;
    while (!xml.atEnd()) {
        const QXmlStreamReader::TokenType token = xml.readNext();
        if (token == QXmlStreamReader::StartElement) {
            const QStringView name = xml.name();
            if (name == u"style") {
                id = attribute(xml, u"styleId");
                paragraphStyle = attribute(xml, u"type") == u"paragraph";
                style = Style{};
            } else if (name == u"name") {
                style.name = attribute(xml, u"val").toLower();
            } else if (name == u"basedOn") {
                style.basedOn = attribute(xml, u"val");
            } else if (name == u"outlineLvl") {
                style.outlineLevel = parseOutlineLevel(attribute(xml, u"val"));
            }
        } else if (token == QXmlStreamReader::EndElement && xml.name() == u"style") {
            if (paragraphStyle && !id.isEmpty())
                m_styles.insert(id, style);
        }
    }
    if (xml.hasError())
        return std::unexpected(xmlError(xml, source, "word/styles.xml"));
    return {};
}

Result<void> DocxBodyParser::readDocument(const QByteArray &documentXml, const std::string &source)
{
    QXmlStreamReader xml(documentXml);
    bool sawBody = false;
    while (!xml.atEnd()) {
        const QXmlStreamReader::TokenType token = xml.readNext();
        if (token == QXmlStreamReader::StartElement) {
            sawBody = sawBody || xml.name() == u"body";
            startElement(xml);
        } else if (token == QXmlStreamReader::EndElement) {
            endElement(xml.name());
        }
    }
    if (xml.hasError())
        return std::unexpected(xmlError(xml, source, "word/document.xml"));
    if (!sawBody)
        return fail(ErrorCode::Corrupt, "word/document.xml has no document body (<w:body>)", source);
    while (!m_text.empty() && m_text.back() == '\n')
        m_text.pop_back();
    return {};
}

void DocxBodyParser::startElement(QXmlStreamReader &xml)
{
    const QStringView name = xml.name();
    // Fallback repeats mc:Choice's content for old readers; deleted text, field
    // instructions and revision records are not part of the visible document.
    if (name == u"Fallback" || name == u"delText" || name == u"instrText" || name == u"delInstrText"
        || name == u"pPrChange" || name == u"rPrChange") {
        xml.skipCurrentElement();
        return;
    }
    if (name == u"p") {
        m_paragraphs.push_back(Paragraph{});
        return;
    }
    if (name == u"pPr") {
        ++m_pPrDepth;
        return;
    }
    if (m_pPrDepth > 0) {
        // Paragraph properties: only the style and the outline level matter (the
        // <w:tab> elements here are tab stops, not tabs).
        if (!m_paragraphs.empty() && name == u"pStyle")
            m_paragraphs.back().styleId = attribute(xml, u"val");
        else if (!m_paragraphs.empty() && name == u"outlineLvl")
            m_paragraphs.back().outlineLevel = parseOutlineLevel(attribute(xml, u"val"));
        return;
    }
    if (name == u"t") {
        appendToParagraph(xml.readElementText(QXmlStreamReader::IncludeChildElements));
    } else if (name == u"tab") {
        appendToParagraph(QStringLiteral("\t"));
    } else if (name == u"br" || name == u"cr") {
        appendToParagraph(QStringLiteral("\n"));
    } else if (name == u"noBreakHyphen") {
        appendToParagraph(QStringLiteral("-"));
    } else if (name == u"tbl") {
        m_tables.push_back(Table{});
        ++m_tableCount;
    } else if (name == u"tc" && !m_tables.empty()) {
        m_tables.back().cell.clear();
    }
}

void DocxBodyParser::endElement(QStringView name)
{
    if (name == u"pPr") {
        m_pPrDepth = std::max(0, m_pPrDepth - 1);
    } else if (name == u"p") {
        finishParagraph();
    } else if (name == u"tc" && !m_tables.empty()) {
        Table &table = m_tables.back();
        table.cells.push_back(table.cell);
        table.cell.clear();
    } else if (name == u"tr") {
        finishRow();
    } else if (name == u"tbl" && !m_tables.empty()) {
        m_tables.pop_back();
    }
}

void DocxBodyParser::appendToParagraph(const QString &text)
{
    if (!m_paragraphs.empty())
        m_paragraphs.back().text += text;
}

void DocxBodyParser::finishParagraph()
{
    if (m_paragraphs.empty())
        return;
    const Paragraph paragraph = std::move(m_paragraphs.back());
    m_paragraphs.pop_back();
    const QString trimmed = paragraph.text.trimmed();

    if (!m_tables.empty()) {
        // Line breaks and tabs inside a cell would break the row's layout.
        QString cellText = trimmed;
        cellText.replace(QLatin1Char('\n'), QLatin1Char(' ')).replace(QLatin1Char('\t'), QLatin1Char(' '));
        QString &cell = m_tables.back().cell;
        if (!cell.isEmpty() && !cellText.isEmpty())
            cell += QLatin1Char(' ');
        cell += cellText;
        return;
    }
    if (!trimmed.isEmpty() && m_titleParagraph.empty() && isTitleStyle(paragraph.styleId))
        m_titleParagraph = trimmed.toStdString();
    const int level = headingLevel(paragraph);
    if (level > 0 && !trimmed.isEmpty()) {
        ++m_headingCount;
        if (level == 1 && m_firstHeading.empty())
            m_firstHeading = trimmed.toStdString();
        emitLine(QString(level, QLatin1Char('#')) + QLatin1Char(' ') + trimmed);
    } else {
        emitLine(paragraph.text);
    }
}

void DocxBodyParser::finishRow()
{
    if (m_tables.empty())
        return;
    Table &table = m_tables.back();
    if (m_tables.size() > 1) {
        // A nested table's row becomes part of the enclosing cell's text.
        QString &outer = m_tables[m_tables.size() - 2].cell;
        for (const QString &cell : table.cells) {
            if (cell.isEmpty())
                continue;
            if (!outer.isEmpty())
                outer += QLatin1Char(' ');
            outer += cell;
        }
    } else {
        emitLine(QStringList(table.cells.begin(), table.cells.end()).join(QLatin1Char('\t')));
    }
    table.cells.clear();
}

void DocxBodyParser::emitLine(const QString &line)
{
    // Runs of empty paragraphs (spacing typed with Enter) collapse to one blank line.
    const bool blank = line.trimmed().isEmpty();
    if (blank && m_lastLineBlank)
        return;
    if (!blank)
        m_text += line.toStdString();
    m_text += '\n';
    m_lastLineBlank = blank;
}

int DocxBodyParser::headingLevel(const Paragraph &p) const
{
    if (p.outlineLevel >= 0 && p.outlineLevel <= 5)
        return p.outlineLevel + 1;
    QString id = p.styleId;
    for (int depth = 0; depth < 10 && !id.isEmpty(); ++depth) {
        const auto it = m_styles.constFind(id);
        if (it == m_styles.constEnd()) {
            // Without a styles part, Word's built-in ids "Heading1".."Heading6"
            // are all there is to go by; with one, an undefined id is no heading.
            if (m_styles.isEmpty() && id.size() == 8 && id.startsWith(QLatin1String("heading"), Qt::CaseInsensitive)
                && id.at(7) >= QLatin1Char('1') && id.at(7) <= QLatin1Char('6'))
                return id.at(7).unicode() - u'0';
            return 0;
        }
        const QString &name = it->name;
        if (name.size() == 9 && name.startsWith(QLatin1String("heading ")) && name.at(8) >= QLatin1Char('1')
            && name.at(8) <= QLatin1Char('6'))
            return name.at(8).unicode() - u'0';
        if (it->outlineLevel >= 0 && it->outlineLevel <= 5)
            return it->outlineLevel + 1;
        id = it->basedOn;
    }
    return 0;
}

bool DocxBodyParser::isTitleStyle(const QString &styleId) const
{
    const auto it = m_styles.constFind(styleId);
    return it != m_styles.constEnd() ? it->name == u"title" : styleId == u"Title";
}

} // namespace rag
