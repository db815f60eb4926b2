#pragma once
// EvaluatePane: the project's evaluation runs side by side — metric means with
// bootstrap 95% CIs as a chart (runs labelled by what changed from the
// baseline), every run compared with a chosen baseline (delta, paired CI,
// randomisation p, "significant"/"within noise", queries needed for 80% power),
// a per-query drill-down between two runs and metric against a chunker
// parameter with the best point marked. Runs that were LLM-judged add their
// judged means (with measured/total counts) as chart series and a "Judged answers"
// tab (JudgedView) with each query's answer, citations, scores and repeat
// agreement. GUI thread; every engine call runs on
// the session's JobRunner. Child widgets are owned through Qt parenting.
#include "core/workbench.h"

#include <QWidget>

#include <cstdint>
#include <vector>

class QChartView;
class QComboBox;
class QLabel;
class QSpinBox;
class QTableWidget;
class QTabWidget;

namespace rag {

class JudgedView;
class ProjectSession;

// Everything the pane shows for one baseline, computed on a job thread.
struct EvaluateView {
    std::vector<RunSummary> runs;
    std::vector<std::vector<MetricEstimate>> estimates;  // parallel to runs
    std::vector<RunComparison> comparisons;              // parallel to runs (baseline vs run)
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

Q_SIGNALS:
    void comparisonShown();
    void drillDownShown();
    void sweepShown();
    // A drill-down row was activated: run this query in the Playground.
    void openQuery(const QString &text);

private:
    void fillRunBoxes();
    void fillComparison();
    void fillMetricChart();
    void fillJudged();
    QString runLabel(std::size_t index) const;

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
};

} // namespace rag
