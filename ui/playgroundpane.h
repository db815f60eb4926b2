#pragma once
// PlaygroundPane: one query, the BM25, Dense, Hybrid and Reranked lanes side by
// side with latencies, and the answer panel under them. Fusion method, RRF k,
// weight, top-k and threshold re-fuse the cached candidates instantly without
// querying again; the reranker runs again only when its input (the feeding lane's
// top-N) changed. A result or a citation opens its source document at the chunk.
// GUI thread; queries, reranking and answers run on the job runner (latest-wins).
#include "models/laneresultmodel.h"
#include "ui/appsettings.h"
#include "ui/playgroundsearch.h"

#include <QWidget>

#include <memory>
#include <optional>
#include <unordered_map>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace rag {

class AnswerView;
class LaneView;
class ProjectSession;
class SecretStore;

class PlaygroundPane : public QWidget {
    Q_OBJECT
public:
    explicit PlaygroundPane(ProjectSession &session, QWidget *parent = nullptr);

    LaneView *lane(Lane lane) const { return m_lanes[int(lane)]; }
    LaneView *rerankedLane() const { return m_reranked; }
    AnswerView *answerView() const { return m_answer; }
    QLineEdit *queryEdit() const { return m_query; }
    QSpinBox *topKBox() const { return m_topK; }
    QSpinBox *rrfKBox() const { return m_rrfK; }
    QDoubleSpinBox *alphaBox() const { return m_alpha; }
    // Number of completed queries and reranker runs (tests wait on them).
    int queryCount() const { return m_queries; }
    int rerankCount() const { return m_reranks; }

    // Settings → Models; until set, the pane reads them from QSettings when it needs them.
    void setModelSettings(const ModelSettings &settings);
    ModelSettings modelSettings() const;
    // Where API keys come from (default: the OS keychain, then the environment).
    void setSecretStore(std::shared_ptr<SecretStore> secrets);

    static QString laneTitle(Lane lane);  // "BM25", "Dense", "Hybrid"

public Q_SLOTS:
    void search();
    // Answers the query from the best lane (reranked, else hybrid, else BM25).
    void answer();
    void cancelAnswer();

Q_SIGNALS:
    void resultsShown();
    void rerankShown();
    void answerFinished();
    // The user asked to configure the models; when nothing is connected the pane
    // opens Settings → Models itself.
    void modelSettingsRequested();

private:
    void onStateChanged();
    void recompute();
    std::vector<LaneRow> laneRows(Lane lane, const LaneParams &params) const;
    void updateReranked();
    std::vector<LaneRow> rerankedRows() const;  // the whole reranked input, best first
    bool rerankCurrent() const;                 // the scores match the lane's current input
    void showReranked();
    void openModelSettings();
    void openResult(qint64 documentId, qint64 start, qint64 end);
    void openCitation(int number, qint64 chunkId);
    ModelSpecs specs() const;
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
    LaneView *m_reranked;
    AnswerView *m_answer;
    std::shared_ptr<const PlaygroundCandidates> m_candidates;
    std::shared_ptr<ModelServices> m_services;
    std::optional<ModelSettings> m_models;  // set explicitly; else read from QSettings
    int m_queries = 0;

    // The reranked lane: the input it was computed for and the reranker's scores.
    std::vector<LaneRow> m_rerankInput;   // the feeding lane's top-N, in its order
    std::string m_rerankKey;              // reranker + query + candidate set of m_rerankScores
    std::string m_pendingRerankKey;       // of the job under way
    std::unordered_map<std::int64_t, double> m_rerankScores;
    QString m_rerankName;
    double m_rerankMs = 0;
    int m_reranks = 0;

    std::uint64_t m_answerJob = 0;
    std::uint64_t m_answerGeneration = 0;
    QString m_answerLane;
};

} // namespace rag
