#pragma once
// PlaygroundPane: one query, the BM25, Dense and Hybrid lanes side by side with
// latencies; fusion method, RRF k, weight, top-k and threshold re-fuse the
// cached candidates instantly without querying again; a result opens its
// source document at the chunk. GUI thread; queries run on the job runner.
#include "ui/playgroundsearch.h"

#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace rag {

class LaneView;
class ProjectSession;

class PlaygroundPane : public QWidget {
    Q_OBJECT
public:
    explicit PlaygroundPane(ProjectSession &session, QWidget *parent = nullptr);

    LaneView *lane(Lane lane) const { return m_lanes[int(lane)]; }
    QLineEdit *queryEdit() const { return m_query; }
    QSpinBox *topKBox() const { return m_topK; }
    QSpinBox *rrfKBox() const { return m_rrfK; }
    // Number of completed queries (tests wait on it).
    int queryCount() const { return m_queries; }

public Q_SLOTS:
    void search();

Q_SIGNALS:
    void resultsShown();

private:
    void onStateChanged();
    void recompute();
    void openResult(qint64 documentId, qint64 start, qint64 end);
    LaneParams params() const;

    ProjectSession &m_session;
    QComboBox *m_chunkSet;
    QComboBox *m_denseIndex;
    QLineEdit *m_query;
    QPushButton *m_search;
    QComboBox *m_fusion;
    QSpinBox *m_rrfK;
    QDoubleSpinBox *m_alpha;
    QSpinBox *m_topK;
    QCheckBox *m_useThreshold;
    QDoubleSpinBox *m_threshold;
    LaneView *m_lanes[3] = {};
    std::shared_ptr<const PlaygroundCandidates> m_candidates;
    int m_queries = 0;
};

} // namespace rag
