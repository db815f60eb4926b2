#include "ui/documentspane.h"

#include "core/jobs/jobrunner.h"
#include "models/documentlistmodel.h"
#include "models/importoutcomemodel.h"
#include "ui/chunkconfigeditor.h"
#include "ui/chunkhistogram.h"
#include "ui/chunkpreview.h"
#include "ui/projectsession.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace rag {

namespace {
constexpr int kDebounceMs = 150;

QTableView *makeTable(QAbstractItemModel *model, const QString &name)
{
    auto *view = new QTableView;
    view->setObjectName(name);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    view->setAlternatingRowColors(true);
    return view;
}
} // namespace

DocumentsPane::DocumentsPane(ProjectSession &session, QWidget *parent)
    : QWidget(parent), m_session(session), m_documents(new DocumentListModel(this)),
      m_imports(new ImportOutcomeModel(this)), m_proxy(new QSortFilterProxyModel(this)), m_filter(new QLineEdit),
      m_chunkSet(new QComboBox), m_compare(new QCheckBox(tr("Co&mpare with a second strategy"))),
      m_setName(new QLineEdit(QStringLiteral("default")))
{
    setObjectName(QStringLiteral("documentsPane"));
    m_proxy->setSourceModel(m_documents);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setSortRole(DocumentListModel::SortRole);
    m_view = makeTable(m_proxy, QStringLiteral("documentView"));
    m_view->setSortingEnabled(true);
    m_importView = makeTable(m_imports, QStringLiteral("importView"));
    m_importView->horizontalHeader()->setSectionResizeMode(int(ImportOutcomeModel::Column::Reason), QHeaderView::Stretch);
    m_filter->setObjectName(QStringLiteral("documentFilter"));
    m_filter->setPlaceholderText(tr("Filter documents…"));
    m_filter->setClearButtonEnabled(true);
    m_chunkSet->setObjectName(QStringLiteral("documentsChunkSet"));
    m_chunkSet->setToolTip(tr("Chunk set whose chunk counts the list shows"));
    m_compare->setObjectName(QStringLiteral("compareBox"));
    m_setName->setObjectName(QStringLiteral("chunkSetName"));

    auto *importFiles = new QPushButton(tr("&Import files…"));
    auto *importFolder = new QPushButton(tr("Import &folder…"));
    auto *top = new QHBoxLayout;
    top->addWidget(importFiles);
    top->addWidget(importFolder);
    top->addWidget(m_filter, 1);
    top->addWidget(new QLabel(tr("Chunk set")));
    top->addWidget(m_chunkSet);

    auto *left = new QSplitter(Qt::Vertical);
    left->addWidget(m_view);
    auto *importBox = new QGroupBox(tr("Import status"));
    auto *importLayout = new QVBoxLayout(importBox);
    importLayout->addWidget(m_importView);
    left->addWidget(importBox);
    left->setStretchFactor(0, 3);
    left->setStretchFactor(1, 1);

    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    auto *previews = new QSplitter(Qt::Horizontal);
    for (int side = 0; side < 2; ++side) {
        m_sideWidget[side] = buildSide(side);
        previews->addWidget(m_sideWidget[side]);
    }
    m_sideWidget[1]->setVisible(false);
    auto *saveRow = new QHBoxLayout;
    auto *save = new QPushButton(tr("&Chunk project as"));
    save->setObjectName(QStringLiteral("saveChunkSetButton"));
    save->setToolTip(tr("Chunk every document with the first configuration into this chunk set (a job)"));
    saveRow->addWidget(m_compare);
    saveRow->addStretch();
    saveRow->addWidget(save);
    saveRow->addWidget(m_setName);
    rightLayout->addLayout(saveRow);
    rightLayout->addWidget(previews, 1);

    auto *split = new QSplitter(Qt::Horizontal);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setSizes({480, 800});
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    connect(importFiles, &QPushButton::clicked, this, &DocumentsPane::chooseFiles);
    connect(importFolder, &QPushButton::clicked, this, &DocumentsPane::chooseFolder);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_chunkSet, &QComboBox::currentIndexChanged, this, &DocumentsPane::onStateChanged);
    connect(m_compare, &QCheckBox::toggled, this, [this](bool on) {
        m_sideWidget[1]->setVisible(on);
        if (on)
            schedulePreview(1);
    });
    connect(save, &QPushButton::clicked, this, &DocumentsPane::saveChunkSet);
    connect(&m_session, &ProjectSession::stateChanged, this, &DocumentsPane::onStateChanged);
    connect(&m_session, &ProjectSession::importFinished, this, &DocumentsPane::onImportFinished);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &DocumentsPane::onDocumentSelected);
    setTabOrder(importFiles, importFolder);
    setTabOrder(importFolder, m_filter);
    setTabOrder(m_filter, m_view);
}

QWidget *DocumentsPane::buildSide(int side)
{
    Side &s = m_side[side];
    s.editor = new ChunkConfigEditor;
    s.editor->setObjectName(side == 0 ? QStringLiteral("configA") : QStringLiteral("configB"));
    s.preview = new ChunkPreview;
    s.preview->setObjectName(side == 0 ? QStringLiteral("previewA") : QStringLiteral("previewB"));
    s.histogram = new ChunkHistogram;
    s.summary = new QLabel;
    s.debounce = new QTimer(this);
    s.debounce->setSingleShot(true);
    s.debounce->setInterval(kDebounceMs);
    auto *box = new QGroupBox(side == 0 ? tr("Strategy A") : tr("Strategy B"));
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(s.editor);
    layout->addWidget(s.summary);
    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(s.preview);
    split->addWidget(s.histogram);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);
    connect(s.editor, &ChunkConfigEditor::configChanged, this, [this, side] { schedulePreview(side); });
    connect(s.debounce, &QTimer::timeout, this, [this, side] { runPreview(side); });
    if (side == 1) {
        ChunkerConfig other;
        other.strategy = ChunkStrategy::Sentence;
        other.size = 500;
        other.overlap = 50;
        s.editor->setConfig(other);
    }
    return box;
}

void DocumentsPane::setDefaultConfig(const ChunkerConfig &config)
{
    m_side[0].editor->setConfig(config);
}

void DocumentsPane::chooseFiles()
{
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Import files"), QString(),
        tr("Documents (*.txt *.md *.markdown *.html *.htm *.pdf *.docx *.csv *.jsonl);;All files (*)"));
    m_session.importPaths(files);
}

void DocumentsPane::chooseFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Import folder"));
    if (!folder.isEmpty())
        m_session.importPaths({folder});
}

void DocumentsPane::onStateChanged()
{
    auto state = m_session.state();
    if (!state)
        return;
    const QString chosen = m_chunkSet->currentText();
    {
        const QSignalBlocker block(m_chunkSet);
        m_chunkSet->clear();
        for (const ChunkSetInfo &set : state->snapshot.chunkSets)
            m_chunkSet->addItem(QString::fromStdString(set.name));
        const int keep = m_chunkSet->findText(chosen);
        m_chunkSet->setCurrentIndex(keep >= 0 ? keep : 0);
    }
    const auto counts = state->chunkCounts.find(m_chunkSet->currentText().toStdString());
    const std::int64_t selected = m_documentId;
    m_documents->setDocuments(state->snapshot.documents,
                              counts == state->chunkCounts.end() ? decltype(counts->second){} : counts->second);
    const int row = selected ? m_documents->rowOfDocument(selected) : (m_documents->rowCount() > 0 ? 0 : -1);
    if (row >= 0)
        m_view->setCurrentIndex(m_proxy->mapFromSource(m_documents->index(row, 0)));
}

void DocumentsPane::onImportFinished(const IngestSummary &summary)
{
    m_imports->addOutcomes(summary.files);
    m_importView->resizeColumnToContents(int(ImportOutcomeModel::Column::Status));
}

void DocumentsPane::onDocumentSelected()
{
    const QModelIndex current = m_proxy->mapToSource(m_view->currentIndex());
    const DocumentInfo *doc = m_documents->document(current.row());
    if (!doc || doc->id == m_documentId)
        return;
    m_documentId = doc->id;
    const Workbench wb = m_session.workbench();
    const std::int64_t id = doc->id;
    m_session.runner().start<std::shared_ptr<const std::string>>(
        tr("Load document").toStdString(),
        [wb, id](const JobContext &) -> Result<std::shared_ptr<const std::string>> {
            auto text = wb.documentText(id);
            if (!text)
                return std::unexpected(text.error());
            return std::make_shared<const std::string>(std::move(*text));
        },
        this,
        [this, id](Result<std::shared_ptr<const std::string>> text) {
            if (!text || id != m_documentId)
                return;
            m_text = *text;
            for (int side = 0; side < 2; ++side) {
                m_side[side].preview->setDocumentText(*m_text);
                runPreview(side);
            }
        },
        "document-text");
}

void DocumentsPane::schedulePreview(int side)
{
    m_side[side].debounce->start();
}

void DocumentsPane::runPreview(int side)
{
    if (!m_text || (side == 1 && !m_compare->isChecked()))
        return;
    const ChunkerConfig config = m_side[side].editor->config();
    const auto text = m_text;
    m_session.runner().start<ChunkPreviewResult>(
        tr("Preview chunks").toStdString(),
        [text, config](const JobContext &ctx) { return computeChunkPreview(text, config, ctx); }, this,
        [this, side, text, config](Result<ChunkPreviewResult> result) {
            if (text != m_text)
                return;
            Side &s = m_side[side];
            if (!result) {
                s.summary->setText(QString::fromStdString(result.error().message()));
                return;
            }
            const QString unit = config.unit == ChunkUnit::Tokens ? tr("tokens") : tr("characters");
            s.summary->setText(tr("%n chunk(s)", nullptr, int(result->chunks.size())));
            s.histogram->setLengths(result->lengths, unit);
            s.preview->setChunks(std::move(result->chunks));
            ++m_generation;
            Q_EMIT previewUpdated(side);
        },
        side == 0 ? "preview-a" : "preview-b");
}

void DocumentsPane::saveChunkSet()
{
    const QString name = m_setName->text().trimmed();
    if (name.isEmpty())
        return;
    m_session.buildChunkSet(name, m_side[0].editor->config());
}

} // namespace rag
