#pragma once
// JudgedView: the LLM-judged side of evaluation runs — one row per judged run with
// each judged metric's mean over the measured queries and its measured/total count
// ("0.8200 (38/40)"; a metric no query measured reads "unmeasured", never 0), and a
// per-query drill-down of one run: the answer, its citations, each metric's score or
// why it is unmeasured, and how the judge's repeats agreed. It shows the runs' stored
// "judged" report sections (parsed on a job thread by the Evaluate pane).
// GUI thread; child widgets are owned through Qt parenting.
#include <nlohmann/json.hpp>

#include <QWidget>

#include <cstdint>
#include <vector>

class QAbstractAxis;
class QChart;
class QComboBox;
class QLabel;
class QTableWidget;
class QTextBrowser;

namespace rag {

struct JudgedRunView {
    std::int64_t runId = 0;
    QString label;
    nlohmann::json judged;  // judgedSectionOfReport() of the run
};

class JudgedView : public QWidget {
    Q_OBJECT
public:
    explicit JudgedView(QWidget *parent = nullptr);

    void setRuns(std::vector<JudgedRunView> runs);
    void showRun(std::int64_t runId);

    QTableWidget *summaryTable() const { return m_summary; }
    QTableWidget *queryTable() const { return m_queries; }
    QComboBox *runBox() const { return m_run; }
    QTextBrowser *detailView() const { return m_detail; }

    // Summary columns: the run, then one per judged metric (kJudgeMetrics order).
    static constexpr int kFirstMetricColumn = 1;
    // Query table: the first metric column (after query, answer, citations).
    static constexpr int kFirstQueryMetricColumn = 3;

    // One dashed series per judged metric, named "<metric> (judged)", with a point at
    // x = run index (+ a small offset) for each run whose section measured it; runs
    // without a judged section and unmeasured metrics get no point (never a 0).
    static void addMeanSeries(QChart *chart, QAbstractAxis *x, QAbstractAxis *y,
                              const std::vector<nlohmann::json> &judgedByRun, double spread);

    // "0.8200 (38/40)", or "unmeasured (0/40)" when no query was measured.
    static QString metricText(const nlohmann::json &summary);

Q_SIGNALS:
    void queryShown(int row);

private:
    void fillQueries();
    void showQuery(int row);

    QComboBox *m_run;
    QLabel *m_usage;
    QTableWidget *m_summary;
    QTableWidget *m_queries;
    QTextBrowser *m_detail;
    std::vector<JudgedRunView> m_runs;
};

} // namespace rag
