#pragma once
// IndexPane: builds embedding/keyword indexes over a chunk set (progress,
// throughput, ETA and cancel in the job dock; a cancelled or failed build leaves
// the previous index in place), lists the index variants with staleness and a
// one-click rebuild, and runs the HNSW ef_search/M sweep with its chart.
// The embedder is local (use-lite, lexical) or remote (openai:, ollama:, cohere:
// with a model name and an optional base URL); keys are never asked for, shown or
// stored here (the engine reads them from the environment).
// GUI thread; uses the session and its job runner.
#include "core/pipeline/indexbuild.h"

#include <QByteArray>
#include <QWidget>

#include <string>

class QChartView;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace rag {

class IndexVariantModel;
class ProjectSession;
class SweepPointModel;

class IndexPane : public QWidget {
    Q_OBJECT
public:
    explicit IndexPane(ProjectSession &session, QWidget *parent = nullptr);

    void setDefaults(const QString &embedder, int M, int efConstruction, int efSearch);
    IndexVariantModel *variantModel() const { return m_variants; }
    SweepPointModel *sweepModel() const { return m_sweepPoints; }
    IndexBuildSpec currentSpec() const;
    QComboBox *embedderBox() const { return m_embedder; }
    QLineEdit *modelEdit() const { return m_model; }
    QLineEdit *baseUrlEdit() const { return m_baseUrl; }
    QComboBox *kindBox() const { return m_kind; }
    QString statusText() const;

Q_SIGNALS:
    // After each sweep (also when it could not run), for the demo and tests.
    void sweepFinished(bool ok);

public Q_SLOTS:
    void build();
    void cancelBuild();
    void rebuildSelected();
    void runSweep();

private:
    void onStateChanged();
    void updateKindControls();
    bool checkBaseUrl();
    void showSweep();
    static QStringList availableEmbedders();

    ProjectSession &m_session;
    IndexVariantModel *m_variants;
    SweepPointModel *m_sweepPoints;
    QComboBox *m_chunkSet;
    QComboBox *m_kind;
    QComboBox *m_embedder;
    QLineEdit *m_model;
    QLineEdit *m_baseUrl;
    QSpinBox *m_M;
    QSpinBox *m_efConstruction;
    QSpinBox *m_efSearch;
    QPushButton *m_build;
    QPushButton *m_cancel;
    QPushButton *m_rebuild;
    QTableView *m_view;
    QComboBox *m_sweepIndex;
    QLineEdit *m_sweepMs;
    QLineEdit *m_sweepEfs;
    QPushButton *m_sweep;
    QTableView *m_sweepView;
    QChartView *m_chart;
    QLabel *m_status;
    std::uint64_t m_buildJob = 0;
};

} // namespace rag
