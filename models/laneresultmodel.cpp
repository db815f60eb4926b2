#include "models/laneresultmodel.h"

#include <QColor>
#include <QRegularExpression>

namespace rag {

QStringList queryTerms(const QString &query)
{
    QStringList terms;
    static const QRegularExpression word(QStringLiteral("[\\p{L}\\p{N}]{2,}"));
    auto it = word.globalMatch(query);
    while (it.hasNext()) {
        const QString t = it.next().captured(0).toLower();
        // Function words would light up every snippet without saying why it matched.
        static const QStringList stop = {QStringLiteral("and"), QStringLiteral("the"), QStringLiteral("how"),
                                         QStringLiteral("do"),  QStringLiteral("to"),  QStringLiteral("of"),
                                         QStringLiteral("in"),  QStringLiteral("an"),  QStringLiteral("is"),
                                         QStringLiteral("for"), QStringLiteral("on"),  QStringLiteral("what"),
                                         QStringLiteral("can"), QStringLiteral("or"),  QStringLiteral("it")};
        if (!terms.contains(t) && !stop.contains(t))
            terms << t;
    }
    return terms;
}

QString snippetAround(const QString &text, const QStringList &terms, int maxChars, QString *html)
{
    QString flat = text.simplified();
    qsizetype first = -1;
    for (const QString &t : terms) {
        const qsizetype at = flat.indexOf(t, 0, Qt::CaseInsensitive);
        if (at >= 0 && (first < 0 || at < first))
            first = at;
    }
    qsizetype begin = first < 0 ? 0 : std::max<qsizetype>(0, first - maxChars / 4);
    const bool cutFront = begin > 0;
    QString window = flat.mid(begin, maxChars);
    const bool cutBack = begin + window.size() < flat.size();
    // Start on a whole word when the window cuts into one.
    if (cutFront && !flat.at(begin - 1).isSpace()) {
        const qsizetype space = window.indexOf(QLatin1Char(' '));
        if (space >= 0)
            window = window.mid(space + 1);
    }
    window = window.trimmed();
    if (cutFront)
        window.prepend(QStringLiteral("… "));
    if (cutBack)
        window.append(QStringLiteral(" …"));
    if (html) {
        QString pattern;
        for (const QString &t : terms)
            pattern += (pattern.isEmpty() ? QString() : QStringLiteral("|")) + QRegularExpression::escape(t);
        if (pattern.isEmpty()) {
            *html = window.toHtmlEscaped();
        } else {
            const QRegularExpression re(QStringLiteral("\\b(") + pattern + QStringLiteral(")\\w*"),
                                        QRegularExpression::CaseInsensitiveOption);
            QString out;
            qsizetype pos = 0;
            auto it = re.globalMatch(window);
            while (it.hasNext()) {
                const auto m = it.next();
                out += window.mid(pos, m.capturedStart() - pos).toHtmlEscaped();
                out += QStringLiteral("<b>") + m.captured(0).toHtmlEscaped() + QStringLiteral("</b>");
                pos = m.capturedEnd();
            }
            out += window.mid(pos).toHtmlEscaped();
            *html = out;
        }
    }
    return window;
}

LaneResultModel::LaneResultModel(QObject *parent) : QAbstractTableModel(parent) {}

void LaneResultModel::setRows(std::vector<LaneRow> rows, const QStringList &terms)
{
    beginResetModel();
    m_rows = std::move(rows);
    m_snippets.clear();
    m_snippetsHtml.clear();
    for (const LaneRow &r : m_rows) {
        QString html;
        m_snippets.push_back(snippetAround(r.text, terms, 220, &html));
        m_snippetsHtml.push_back(html);
    }
    endResetModel();
}

const LaneRow *LaneResultModel::row(int r) const
{
    return r >= 0 && std::size_t(r) < m_rows.size() ? &m_rows[std::size_t(r)] : nullptr;
}

int LaneResultModel::rowOfChunk(std::int64_t chunkId) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].chunkId == chunkId)
            return int(i);
    return -1;
}

int LaneResultModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int LaneResultModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

namespace {

QString placeText(const std::optional<LegPlace> &place)
{
    if (!place)
        return QStringLiteral("–");
    return QStringLiteral("#%1 (%2)").arg(place->rank).arg(place->score, 0, 'g', 3);
}

std::optional<int> movedBy(const LaneRow &r)
{
    if (!r.previous)
        return std::nullopt;
    return r.previous->rank - r.rank;
}

QString movedText(const LaneRow &r)
{
    const auto moved = movedBy(r);
    if (!moved)
        return QStringLiteral("–");
    const QString was = QStringLiteral("#%1").arg(r.previous->rank);
    if (*moved > 0)
        return QStringLiteral("▲%1 (%2)").arg(*moved).arg(was);
    if (*moved < 0)
        return QStringLiteral("▼%1 (%2)").arg(-*moved).arg(was);
    return QStringLiteral("= (%1)").arg(was);
}

} // namespace

QVariant LaneResultModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const std::size_t i = std::size_t(index.row());
    const LaneRow &r = m_rows[i];
    const auto column = Column(index.column());
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Column::Rank: return r.rank;
        case Column::Score: return QString::number(r.score, 'g', 4);
        case Column::Keyword: return placeText(r.keyword);
        case Column::Dense: return placeText(r.dense);
        case Column::Hybrid: return placeText(r.hybrid);
        case Column::Document: return r.document;
        case Column::Snippet: return m_snippets[i];
        case Column::Moved: return movedText(r);
        case Column::Count: break;
        }
        break;
    case Qt::ForegroundRole:
        if (column == Column::Moved) {
            if (const auto moved = movedBy(r); moved && *moved != 0)
                return QColor(*moved > 0 ? QColor(0x1e, 0x8e, 0x3e) : QColor(0xc0, 0x39, 0x2b));
        }
        break;
    case Qt::ToolTipRole:
        if (column == Column::Snippet)
            return QStringLiteral("<p>") + m_snippetsHtml[i] + QStringLiteral("</p>");
        if (column == Column::Moved && r.previous)
            return tr("Rank %1 before reranking, %2 after").arg(r.previous->rank).arg(r.rank);
        return r.document;
    case MovedRole:
        if (const auto moved = movedBy(r))
            return *moved;
        return {};
    case ChunkIdRole: return QVariant::fromValue(qint64(r.chunkId));
    case DocumentIdRole: return QVariant::fromValue(qint64(r.documentId));
    case SnippetHtmlRole: return m_snippetsHtml[i];
    case SpanStartRole: return QVariant::fromValue(qint64(r.start));
    case SpanEndRole: return QVariant::fromValue(qint64(r.end));
    default: break;
    }
    return {};
}

QVariant LaneResultModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Column::Rank: return tr("#");
    case Column::Score: return tr("Score");
    case Column::Keyword: return tr("BM25");
    case Column::Dense: return tr("Dense");
    case Column::Hybrid: return tr("Hybrid");
    case Column::Document: return tr("Document");
    case Column::Snippet: return tr("Snippet");
    case Column::Moved: return tr("Before");
    case Column::Count: break;
    }
    return {};
}

} // namespace rag
