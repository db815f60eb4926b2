#pragma once
// Reads the XML parts of a .docx into text: word/styles.xml tells which
// paragraph styles are headings (by name "heading N", outline level, or
// inheritance from either), word/document.xml gives the body. Paragraphs become
// lines, heading paragraphs "#"-prefixed Markdown lines, table rows lines of
// TAB-separated cells (nested tables flatten into their cell). Deleted revision
// text, field codes and mc:Fallback duplicates are skipped. One instance per
// document; not thread-safe (use one per thread).
#include "core/common/result.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <string>
#include <vector>

class QXmlStreamReader;

namespace rag {

class DocxBodyParser {
public:
    // Parses word/styles.xml (may be empty: then only "HeadingN" style ids and
    // direct outline levels mark headings).
    Result<void> readStyles(const QByteArray &stylesXml, const std::string &source);
    // Parses word/document.xml.
    Result<void> readDocument(const QByteArray &documentXml, const std::string &source);

    const std::string &text() const { return m_text; }
    // The first paragraph in the "Title" style, else the first level-1 heading.
    std::string title() const { return m_titleParagraph.empty() ? m_firstHeading : m_titleParagraph; }
    int headingCount() const { return m_headingCount; }
    int tableCount() const { return m_tableCount; }

private:
    struct Style {
        QString name;       // lower case
        QString basedOn;
        int outlineLevel = -1;  // 0-based as in the XML; -1 none
    };
    struct Paragraph {
        QString text;
        QString styleId;
        int outlineLevel = -1;
    };
    struct Table {
        std::vector<QString> cells;  // of the current row
        QString cell;                // the current cell
    };

    void startElement(QXmlStreamReader &xml);
    void endElement(QStringView name);
    void appendToParagraph(const QString &text);
    void finishParagraph();
    void finishRow();
    void emitLine(const QString &line);
    int headingLevel(const Paragraph &p) const;
    bool isTitleStyle(const QString &styleId) const;

    QHash<QString, Style> m_styles;
    std::vector<Paragraph> m_paragraphs;  // a stack: text boxes nest inside paragraphs
    std::vector<Table> m_tables;          // a stack: tables nest inside cells
    int m_pPrDepth = 0;
    std::string m_text;
    std::string m_titleParagraph;
    std::string m_firstHeading;
    int m_headingCount = 0;
    int m_tableCount = 0;
    bool m_lastLineBlank = true;
};

} // namespace rag
