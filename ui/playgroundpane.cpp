#include "ui/playgroundpane.h"

#include "core/jobs/jobrunner.h"
#include "models/laneresultmodel.h"
#include "ui/answerview.h"
#include "ui/documentviewer.h"
#include "ui/laneview.h"
#include "ui/projectsession.h"
#include "ui/secretchain.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>
#include <unordered_map>

namespace rag {

namespace {

constexpr int kDepth = 100;

using Places = std::unordered_map<std::int64_t, LegPlace>;

Places placesOf(const LaneResult &result)
{
    Places places;
    for (const FusedHit &h : result.chunks)
        places.emplace(h.chunkId, LegPlace{h.rank, h.score});
    return places;
}

std::optional<LegPlace> placeOf(const Places &places, std::int64_t chunkId)
{
    const auto it = places.find(chunkId);
    return it == places.end() ? std::nullopt : std::optional<LegPlace>(it->second);
}

// What the reranker's scores were computed for: reranker, query and the candidate set
// (a set: the scores of a pointwise reranker do not depend on the order it saw).
std::string rerankKey(const ModelSpecs &specs, const std::string &query, const std::vector<LaneRow> &input)
{
    std::vector<std::int64_t> ids;
    for (const LaneRow &r : input)
        ids.push_back(r.chunkId);
    std::sort(ids.begin(), ids.end());
    // llm:<chat spec> may talk to the chat model's server; other rerankers ignore it.
    const bool usesChat = specs.reranker.starts_with("llm:") && specs.rerankerBaseUrl.empty();
    std::string key = specs.reranker + '\n' + specs.rerankerBaseUrl + '\n' + (usesChat ? specs.chatBaseUrl : std::string())
                      + '\n' + query + '\n';
    for (std::int64_t id : ids)
        key += std::to_string(id) + ',';
    return key;
}

} // namespace

PlaygroundPane::PlaygroundPane(ProjectSession &session, QWidget *parent)
    : QWidget(parent), m_session(session), m_chunkSet(new QComboBox), m_denseIndex(new QComboBox),
      m_query(new QLineEdit), m_search(new QPushButton(tr("&Search"))), m_fusion(new QComboBox), m_rrfK(new QSpinBox),
      m_alpha(new QDoubleSpinBox), m_topK(new QSpinBox), m_useThreshold(new QCheckBox(tr("T&hreshold"))),
      m_threshold(new QDoubleSpinBox), m_reranked(new LaneView(tr("Reranked"), -1)), m_answer(new AnswerView),
      m_services(std::make_shared<ModelServices>(SecretChain::keychainThenEnvironment()))
{
    setObjectName(QStringLiteral("playgroundPane"));
    m_query->setObjectName(QStringLiteral("queryEdit"));
    m_query->setPlaceholderText(tr("Ask a question…"));
    m_query->setClearButtonEnabled(true);
    m_search->setObjectName(QStringLiteral("searchButton"));
    m_search->setDefault(true);
    m_chunkSet->setObjectName(QStringLiteral("playgroundChunkSet"));
    m_denseIndex->setObjectName(QStringLiteral("playgroundDenseIndex"));
    m_fusion->addItem(tr("RRF"), int(FusionMethod::Rrf));
    m_fusion->addItem(tr("Weighted"), int(FusionMethod::Weighted));
    m_rrfK->setObjectName(QStringLiteral("rrfKBox"));
    m_rrfK->setRange(1, 1000);
    m_rrfK->setValue(60);
    m_alpha->setRange(0, 1);
    m_alpha->setSingleStep(0.05);
    m_alpha->setValue(0.5);
    m_alpha->setToolTip(tr("Weight of the dense leg in weighted fusion"));
    m_topK->setObjectName(QStringLiteral("topKBox"));
    m_topK->setRange(1, kDepth);
    m_topK->setValue(10);
    m_threshold->setDecimals(4);
    m_threshold->setRange(-1000, 1000);
    m_threshold->setSingleStep(0.01);
    m_threshold->setEnabled(false);

    auto *queryRow = new QHBoxLayout;
    auto *queryLabel = new QLabel(tr("&Query"));
    queryLabel->setBuddy(m_query);
    queryRow->addWidget(queryLabel);
    queryRow->addWidget(m_query, 1);
    queryRow->addWidget(m_search);
    queryRow->addWidget(new QLabel(tr("Chunk set")));
    queryRow->addWidget(m_chunkSet);
    queryRow->addWidget(new QLabel(tr("Dense index")));
    queryRow->addWidget(m_denseIndex);

    auto *fusionRow = new QHBoxLayout;
    auto addLabelled = [&](const QString &text, QWidget *w) {
        auto *label = new QLabel(text);
        label->setBuddy(w);
        fusionRow->addWidget(label);
        fusionRow->addWidget(w);
    };
    addLabelled(tr("&Fusion"), m_fusion);
    addLabelled(tr("RRF &k"), m_rrfK);
    addLabelled(tr("&Weight"), m_alpha);
    addLabelled(tr("&Top-k"), m_topK);
    fusionRow->addWidget(m_useThreshold);
    fusionRow->addWidget(m_threshold);
    fusionRow->addStretch();

    auto *lanes = new QSplitter(Qt::Horizontal);
    m_lanes[int(Lane::Keyword)] = new LaneView(tr("BM25"), int(LaneResultModel::Column::Keyword));
    m_lanes[int(Lane::Dense)] = new LaneView(tr("Dense"), int(LaneResultModel::Column::Dense));
    m_lanes[int(Lane::Hybrid)] = new LaneView(tr("Hybrid"), int(LaneResultModel::Column::Hybrid));
    for (LaneView *lane : m_lanes) {
        lanes->addWidget(lane);
        connect(lane, &LaneView::resultActivated, this, &PlaygroundPane::openResult);
    }
    m_lanes[int(Lane::Keyword)]->setObjectName(QStringLiteral("laneBm25"));
    m_lanes[int(Lane::Dense)]->setObjectName(QStringLiteral("laneDense"));
    m_lanes[int(Lane::Hybrid)]->setObjectName(QStringLiteral("laneHybrid"));
    m_reranked->setObjectName(QStringLiteral("laneReranked"));
    m_reranked->setShowsMovement(true);
    lanes->addWidget(m_reranked);
    connect(m_reranked, &LaneView::resultActivated, this, &PlaygroundPane::openResult);
    connect(m_reranked, &LaneView::actionTriggered, this, &PlaygroundPane::openModelSettings);

    auto *vertical = new QSplitter(Qt::Vertical);
    vertical->addWidget(lanes);
    vertical->addWidget(m_answer);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 2);
    vertical->setSizes({600, 260});  // the lanes first; the answer panel below, resizable
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(queryRow);
    layout->addLayout(fusionRow);
    layout->addWidget(vertical, 1);

    connect(m_answer, &AnswerView::answerRequested, this, &PlaygroundPane::answer);
    connect(m_answer, &AnswerView::cancelRequested, this, &PlaygroundPane::cancelAnswer);
    connect(m_answer, &AnswerView::citationActivated, this, &PlaygroundPane::openCitation);
    for (const QKeySequence &keys : {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)}) {
        auto *shortcut = new QShortcut(keys, this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, &PlaygroundPane::answer);
    }
    const ModelSettings models = modelSettings();
    m_answer->budgetBox()->setValue(models.contextBudget);
    m_answer->topKBox()->setValue(models.answerTopK);
    m_answer->setModelName(models.chatModel);

    connect(m_search, &QPushButton::clicked, this, &PlaygroundPane::search);
    connect(m_query, &QLineEdit::returnPressed, this, &PlaygroundPane::search);
    connect(m_fusion, &QComboBox::currentIndexChanged, this, &PlaygroundPane::recompute);
    connect(m_rrfK, &QSpinBox::valueChanged, this, &PlaygroundPane::recompute);
    connect(m_alpha, &QDoubleSpinBox::valueChanged, this, &PlaygroundPane::recompute);
    connect(m_topK, &QSpinBox::valueChanged, this, &PlaygroundPane::recompute);
    connect(m_threshold, &QDoubleSpinBox::valueChanged, this, &PlaygroundPane::recompute);
    connect(m_useThreshold, &QCheckBox::toggled, this, [this](bool on) {
        m_threshold->setEnabled(on);
        recompute();
    });
    connect(m_chunkSet, &QComboBox::currentIndexChanged, this, &PlaygroundPane::onStateChanged);
    connect(&m_session, &ProjectSession::stateChanged, this, &PlaygroundPane::onStateChanged);
    setTabOrder(m_query, m_search);
    setTabOrder(m_search, m_fusion);
    setTabOrder(m_fusion, m_rrfK);
    setTabOrder(m_rrfK, m_alpha);
    setTabOrder(m_alpha, m_topK);
    setTabOrder(m_topK, m_useThreshold);
    setTabOrder(m_useThreshold, m_threshold);
}

void PlaygroundPane::onStateChanged()
{
    auto state = m_session.state();
    if (!state)
        return;
    const QSignalBlocker block(m_chunkSet);
    QString set = m_chunkSet->currentText();
    m_chunkSet->clear();
    for (const ChunkSetInfo &info : state->snapshot.chunkSets)
        m_chunkSet->addItem(QString::fromStdString(info.name));
    if (const int keep = m_chunkSet->findText(set); keep >= 0)
        m_chunkSet->setCurrentIndex(keep);
    set = m_chunkSet->currentText();
    const QString dense = m_denseIndex->currentText();
    m_denseIndex->clear();
    for (const IndexRecord &r : state->snapshot.indexes)
        if (r.kind != "bm25" && QString::fromStdString(r.chunkSetName) == set)
            m_denseIndex->addItem(QString::fromStdString(r.name));
    if (const int keep = m_denseIndex->findText(dense); keep >= 0)
        m_denseIndex->setCurrentIndex(keep);
    else if (m_denseIndex->count() > 0)
        m_denseIndex->setCurrentIndex(m_denseIndex->count() - 1);
}

LaneParams PlaygroundPane::params() const
{
    LaneParams p;
    p.fusion.method = FusionMethod(m_fusion->currentData().toInt());
    p.fusion.rrfK = m_rrfK->value();
    p.fusion.alpha = m_alpha->value();
    p.topK = m_topK->value();
    if (m_useThreshold->isChecked())
        p.threshold = m_threshold->value();
    return p;
}

void PlaygroundPane::search()
{
    const QString text = m_query->text().trimmed();
    if (text.isEmpty() || m_chunkSet->currentText().isEmpty())
        return;
    PlaygroundQuery query;
    query.chunkSet = m_chunkSet->currentText().toStdString();
    query.denseIndex = m_denseIndex->currentText().toStdString();
    query.text = text.toStdString();
    query.depth = kDepth;
    // Opening a Searcher loads the vector index and the embedder; reuse it.
    if (m_candidates && m_candidates->chunkSet == query.chunkSet && m_candidates->denseIndex == query.denseIndex)
        query.searcher = m_candidates->searcher;
    const Workbench wb = m_session.workbench();
    m_session.runner().start<std::shared_ptr<const PlaygroundCandidates>>(
        tr("Query: %1").arg(text.left(40)).toStdString(),
        [wb, query](const JobContext &) { return runPlaygroundQuery(wb, query); }, this,
        [this](Result<std::shared_ptr<const PlaygroundCandidates>> result) {
            if (!result)
                return;
            m_candidates = std::move(*result);
            ++m_queries;
            recompute();
        },
        "playground-query");
}

QString PlaygroundPane::laneTitle(Lane lane)
{
    switch (lane) {
    case Lane::Keyword: return tr("BM25");
    case Lane::Dense: return tr("Dense");
    case Lane::Hybrid: return tr("Hybrid");
    }
    return {};
}

std::vector<LaneRow> PlaygroundPane::laneRows(Lane lane, const LaneParams &p) const
{
    const PlaygroundCandidates &c = *m_candidates;
    const Searcher &searcher = *c.searcher;
    const bool dense = searcher.hasDense() && !c.denseIndex.empty();
    LaneParams wide = p;
    wide.topK = kDepth;
    wide.threshold.reset();
    const Places keywordPlaces = placesOf(searcher.assemble(Lane::Keyword, c.legs.keyword, {}, wide));
    const Places densePlaces = dense ? placesOf(searcher.assemble(Lane::Dense, {}, c.legs.dense, wide)) : Places{};
    const Places hybridPlaces = dense ? placesOf(searcher.assemble(Lane::Hybrid, c.legs.keyword, c.legs.dense, wide)) : Places{};
    auto state = m_session.state();
    std::unordered_map<std::int64_t, QString> titles;
    if (state)
        for (const DocumentInfo &d : state->snapshot.documents)
            titles.emplace(d.id, QString::fromStdString(d.title.empty() ? d.docKey : d.title));
    const LaneResult result = searcher.assemble(lane, c.legs.keyword, c.legs.dense, p);
    std::vector<LaneRow> rows;
    for (const FusedHit &h : result.chunks) {
        LaneRow row;
        row.chunkId = h.chunkId;
        row.rank = h.rank;
        row.score = h.score;
        row.keyword = placeOf(keywordPlaces, h.chunkId);
        row.dense = placeOf(densePlaces, h.chunkId);
        row.hybrid = placeOf(hybridPlaces, h.chunkId);
        if (const auto it = c.chunks.find(h.chunkId); it != c.chunks.end()) {
            const ChunkView &v = it->second;
            row.documentId = v.record.documentId;
            row.start = v.record.start;
            row.end = v.record.end;
            row.text = QString::fromStdString(v.text);
            const auto title = titles.find(v.record.documentId);
            row.document = title != titles.end() ? title->second : QString::fromStdString(v.documentKey);
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

void PlaygroundPane::recompute()
{
    if (!m_candidates)
        return;
    const PlaygroundCandidates &c = *m_candidates;
    const bool dense = c.searcher->hasDense() && !c.denseIndex.empty();
    const LaneParams p = params();
    const QStringList terms = queryTerms(QString::fromStdString(c.query));
    for (Lane lane : {Lane::Keyword, Lane::Dense, Lane::Hybrid}) {
        LaneView *view = m_lanes[int(lane)];
        const bool present = lane == Lane::Keyword || dense;
        view->setVisible(present);
        if (!present)
            continue;
        QElapsedTimer timer;
        timer.start();
        std::vector<LaneRow> rows = laneRows(lane, p);
        const double fuseMs = double(timer.nsecsElapsed()) / 1e6;
        view->model()->setRows(std::move(rows), terms);
        const double ms = lane == Lane::Keyword ? c.legs.keywordMs
                          : lane == Lane::Dense ? c.legs.denseMs
                                                : c.legs.keywordMs + c.legs.denseMs + fuseMs;
        view->setLatency(ms);
    }
    updateReranked();
    Q_EMIT resultsShown();
}

ModelSpecs PlaygroundPane::specs() const
{
    const ModelSettings m = modelSettings();
    return ModelSpecs{m.chatModel.toStdString(), m.chatBaseUrl.toStdString(), m.reranker.toStdString(),
                      m.rerankerBaseUrl.toStdString()};
}

void PlaygroundPane::updateReranked()
{
    const ModelSettings models = modelSettings();
    if (models.reranker.isEmpty()) {
        m_rerankInput.clear();
        m_rerankKey.clear();
        m_reranked->setName(tr("Reranked"));
        m_reranked->model()->setRows({}, {});
        m_reranked->showMessage(tr("No reranker is configured. Choose one (Cohere, Jina, TEI, a llama.cpp server "
                                   "or an LLM) in Settings → Models."),
                                tr("Configure a reranker…"));
        return;
    }
    const PlaygroundCandidates &c = *m_candidates;
    const Lane feed = c.searcher->hasDense() && !c.denseIndex.empty() ? Lane::Hybrid : Lane::Keyword;
    LaneParams p = params();
    p.topK = models.rerankDepth;
    m_rerankInput = laneRows(feed, p);
    if (m_rerankInput.empty()) {
        m_reranked->model()->setRows({}, {});
        m_reranked->showMessage(tr("The %1 lane has no candidates to rerank.").arg(laneTitle(feed)));
        return;
    }
    const ModelSpecs spec = specs();
    const std::string key = rerankKey(spec, c.query, m_rerankInput);
    if (key == m_rerankKey) {
        showReranked();
        return;
    }
    if (key == m_pendingRerankKey)
        return;  // the job under way computes exactly this
    m_pendingRerankKey = key;
    RerankInput input;
    input.query = c.query;
    input.specs = spec;
    for (const LaneRow &r : m_rerankInput) {
        input.ids.push_back(r.chunkId);
        input.texts.push_back(r.text.toStdString());
    }
    m_reranked->model()->setRows({}, {});
    m_reranked->showMessage(tr("Reranking the %1 lane's top %2 with %3…")
                                .arg(laneTitle(feed)).arg(input.ids.size()).arg(models.reranker));
    const std::shared_ptr<const ModelServices> services = m_services;
    m_session.runner().start<RerankOutcome>(
        tr("Rerank: %1").arg(QString::fromStdString(c.query).left(40)).toStdString(),
        [services, input](const JobContext &ctx) { return runPlaygroundRerank(*services, input, ctx); }, this,
        [this, key](Result<RerankOutcome> result) {
            if (m_pendingRerankKey == key)
                m_pendingRerankKey.clear();
            if (!result) {
                if (result.error().code != ErrorCode::Cancelled)
                    m_reranked->showMessage(tr("Reranking failed: %1").arg(QString::fromStdString(result.error().message())),
                                            tr("Settings → Models…"));
                return;
            }
            m_rerankKey = key;
            m_rerankScores.clear();
            for (std::size_t i = 0; i < result->ids.size(); ++i)
                m_rerankScores[result->ids[i]] = result->scores[i];
            m_rerankName = QString::fromStdString(result->reranker);
            m_rerankMs = result->ms;
            ++m_reranks;
            if (m_candidates)
                updateReranked();  // shows the scores if they still match the lane's input
        },
        "playground-rerank");
}

std::vector<LaneRow> PlaygroundPane::rerankedRows() const
{
    std::vector<LaneRow> rows = m_rerankInput;
    for (LaneRow &r : rows) {
        r.previous = LegPlace{r.rank, r.score};
        const auto it = m_rerankScores.find(r.chunkId);
        r.score = it != m_rerankScores.end() ? it->second : 0.0;
    }
    // Ties keep the feeding lane's order.
    std::stable_sort(rows.begin(), rows.end(), [](const LaneRow &a, const LaneRow &b) { return a.score > b.score; });
    for (std::size_t i = 0; i < rows.size(); ++i)
        rows[i].rank = int(i) + 1;
    return rows;
}

bool PlaygroundPane::rerankCurrent() const
{
    return m_candidates && !m_rerankInput.empty() && m_rerankKey == rerankKey(specs(), m_candidates->query, m_rerankInput);
}

void PlaygroundPane::showReranked()
{
    std::vector<LaneRow> rows = rerankedRows();
    if (rows.size() > std::size_t(m_topK->value()))
        rows.resize(std::size_t(m_topK->value()));
    m_reranked->clearMessage();
    m_reranked->model()->setRows(std::move(rows), queryTerms(QString::fromStdString(m_candidates->query)));
    m_reranked->setName(tr("Reranked (%1)").arg(m_rerankName));
    m_reranked->setLatency(m_rerankMs);
    Q_EMIT rerankShown();
}

void PlaygroundPane::openResult(qint64 documentId, qint64 start, qint64 end)
{
    const Workbench wb = m_session.workbench();
    m_session.runner().start<std::string>(
        tr("Open document").toStdString(), [wb, documentId](const JobContext &) { return wb.documentText(documentId); },
        this,
        [this, start, end](Result<std::string> text) {
            if (!text)
                return;
            auto *viewer = new DocumentViewer(this);
            viewer->setAttribute(Qt::WA_DeleteOnClose);
            viewer->show();
            viewer->showSpan(tr("Source document"), *text, start, end);
        });
}

} // namespace rag
