#pragma once
// DocumentsPane: import (file dialog; drops arrive through the main window),
// per-file import status, the document list with filter, and the live chunk
// preview of the selected document for one or two chunker configs, each with
// a chunk-length histogram. GUI thread; uses the session and its job runner.
#include "core/chunking/chunkerconfig.h"
#include "ui/chunkpreviewjob.h"

#include <QWidget>

#include <memory>
#include <string>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QTimer;

namespace rag {

class ChunkConfigEditor;
class ChunkHistogram;
class ChunkPreview;
class DocumentListModel;
class ImportOutcomeModel;
class ProjectSession;
struct IngestSummary;

class DocumentsPane : public QWidget {
    Q_OBJECT
public:
    explicit DocumentsPane(ProjectSession &session, QWidget *parent = nullptr);

    void setDefaultConfig(const ChunkerConfig &config);
    DocumentListModel *documentModel() const { return m_documents; }
    ImportOutcomeModel *importModel() const { return m_imports; }
    ChunkPreview *preview(int side) const { return m_side[side].preview; }
    ChunkConfigEditor *editor(int side) const { return m_side[side].editor; }
    ChunkHistogram *histogram(int side) const { return m_side[side].histogram; }
    QTableView *documentView() const { return m_view; }
    // Number of previews computed so far (tests wait on it).
    int previewGeneration() const { return m_generation; }

Q_SIGNALS:
    void previewUpdated(int side);

public Q_SLOTS:
    void chooseFiles();
    void chooseFolder();

private:
    struct Side {
        ChunkConfigEditor *editor = nullptr;
        ChunkPreview *preview = nullptr;
        ChunkHistogram *histogram = nullptr;
        QTimer *debounce = nullptr;
        QLabel *summary = nullptr;
    };
    QWidget *buildSide(int side);
    void onStateChanged();
    void onImportFinished(const IngestSummary &summary);
    void onDocumentSelected();
    void schedulePreview(int side);
    void runPreview(int side);
    void saveChunkSet();

    ProjectSession &m_session;
    DocumentListModel *m_documents;
    ImportOutcomeModel *m_imports;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QTableView *m_importView;
    QLineEdit *m_filter;
    QComboBox *m_chunkSet;
    QCheckBox *m_compare;
    QLineEdit *m_setName;
    QWidget *m_sideWidget[2] = {};
    Side m_side[2];
    std::shared_ptr<const std::string> m_text;
    std::int64_t m_documentId = 0;
    int m_generation = 0;
};

} // namespace rag
