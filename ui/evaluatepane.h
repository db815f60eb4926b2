#pragma once
// EvaluatePane: the project's evaluation runs side by side — metric means with
// bootstrap 95% CIs as a chart (runs labelled by what changed from the
// baseline), every run compared with a chosen baseline (delta, paired CI,
// randomisation p, "significant"/"within noise", queries needed for 80% power),
// a per-query drill-down between two runs and metric against a chunker
// parameter with the best point marked. Runs that were LLM-judged add their
// judged means (with measured/total counts) as chart series and a "Judged answers"
// tab (JudgedView) with each query's answer, citations, scores and repeat
// agreement. "New run…" opens EvalRunDialog and runs its request on the job
// runner with progress, ETA and cancel; a recorded run becomes Run B of the
// drill-down. GUI thread; every engine call runs on the session's JobRunner.
// Child widgets are owned through Qt parenting; the model services are shared
// with the run jobs.
#include "core/workbench.h"
#include "ui/appsettings.h"

#include <QWidget>

#include <cstdint>
#include <memory>
#include <vector>

class QChartView;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTabWidget;

namespace rag {

class EvalRunDialog;
class JudgedView;
class ModelServices;
class ProjectSession;
class SecretStore;
struct EvalRunRequest;

// Everything the pane shows for one baseline, computed on a job thread.
struct EvaluateView {
    std::vector<RunSummary> runs;
    std::vector<std::vector<MetricEstimate>> estimates;  // parallel to runs
    std::vector<RunComparison> comparisons;              // parallel to runs (baseline vs run)
    // Parallel to runs: why a run has no paired comparison with the baseline (another
    // eval set, or a subset of its queries), else empty; its comparison then has no metrics.
    std::vector<std::string> notComparable;
    std::vector<nlohmann::json> judged;                  // parallel to runs: the "judged" section, null if none
    std::int64_t baselineId = 0;
};

class EvaluatePane : public QWidget {
    Q_OBJECT
public:
    explicit EvaluatePane(ProjectSession &session, QWidget *parent = nullptr);

    QComboBox *baselineBox() const { return m_baseline; }
    QComboBox *metricBox() const { return m_metric; }
    QComboBox *runABox() const { return m_runA; }
    QComboBox *runBBox() const { return m_runB; }
    QComboBox *sweepParameterBox() const { return m_sweepParameter; }
    QTableWidget *comparisonTable() const { return m_comparison; }
    QTableWidget *drillDownTable() const { return m_drill; }
    QChartView *metricChart() const { return m_chart; }
    QChartView *sweepChart() const { return m_sweepChart; }
    JudgedView *judgedView() const { return m_judged; }
    const EvaluateView &view() const { return m_view; }
    QLabel *statusLabel() const { return m_status; }
    QPushButton *newRunButton() const { return m_newRun; }
    QPushButton *cancelRunButton() const { return m_cancelRun; }
    QProgressBar *runProgress() const { return m_runProgress; }
    // The "New run…" form, once opened (owned by the pane, reused).
    EvalRunDialog *runDialog() const { return m_runDialog; }
    bool isRunning() const { return m_runJob != 0; }

    // Settings ▸ Models: the chat model of query transforms and the default judge.
    void setModelSettings(const ModelSettings &settings);
    // Where model jobs read API keys (the window's keychain-then-environment chain).
    void setSecretStore(std::shared_ptr<SecretStore> secrets);
    // Runs a request on the job runner (one run at a time); returns the job id, 0 when not started.
    std::uint64_t startRun(const EvalRunRequest &request);

    // Comparison table column of the verdict label and of the delta.
    static constexpr int kRunColumn = 0;
    static constexpr int kMetricColumn = 2;
    static constexpr int kDeltaColumn = 5;
    static constexpr int kVerdictColumn = 8;

public Q_SLOTS:
    // Re-reads the runs and compares them with the selected baseline.
    void reload();
    void showDrillDown();
    void showSweep();
    // Opens the "New run…" form over the project's current state.
    void openNewRunDialog();
    void cancelRun();

Q_SIGNALS:
    void comparisonShown();
    void drillDownShown();
    void sweepShown();
    // A drill-down row was activated: run this query in the Playground.
    void openQuery(const QString &text);
    // A started run was recorded (the pane then reloads and shows it as Run B).
    void runRecorded(qint64 runId);
    void runFailed(const QString &message);
    void runCancelled();
    void modelSettingsRequested();

private:
    void fillRunBoxes();
    void fillComparison();
    void fillMetricChart();
    void fillJudged();
    QString runLabel(std::size_t index) const;
    void showRunProgress(std::uint64_t job);
    void finishRun();

    ProjectSession &m_session;
    QComboBox *m_baseline;
    QComboBox *m_metric;
    QComboBox *m_runA;
    QComboBox *m_runB;
    QSpinBox *m_k;
    QComboBox *m_sweepParameter;
    QLabel *m_status;
    QChartView *m_chart;
    QTableWidget *m_comparison;
    QTableWidget *m_drill;
    QChartView *m_sweepChart;
    JudgedView *m_judged;
    QWidget *m_judgedTab = nullptr;
    QTabWidget *m_tabs = nullptr;
    EvaluateView m_view;
    std::vector<QueryDrillDown> m_queries;
    QPushButton *m_newRun = nullptr;
    QPushButton *m_cancelRun = nullptr;
    QProgressBar *m_runProgress = nullptr;
    EvalRunDialog *m_runDialog = nullptr;
    ModelSettings m_models;
    std::shared_ptr<ModelServices> m_services;
    std::uint64_t m_runJob = 0;
    std::int64_t m_showAsRunB = 0;
    QString m_runNote;              // what the last finished run did, kept beside the run count  // a run just recorded, selected as Run B once listed
};

} // namespace rag
