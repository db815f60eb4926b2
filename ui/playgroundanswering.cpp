// PlaygroundPane, part two: the answer panel's jobs and the model settings (split
// from playgroundpane.cpp by concept). The answer job streams deltas from its thread;
// each is posted to the GUI thread, which appends it only while the pane still waits
// for that answer (a generation counter makes cancelled and superseded answers inert).
#include "ui/playgroundpane.h"

#include "core/jobs/jobrunner.h"
#include "ui/answerview.h"
#include "ui/documentviewer.h"
#include "ui/laneview.h"
#include "ui/projectsession.h"
#include "ui/settingsdialog.h"

#include <QCoreApplication>
#include <QMetaMethod>
#include <QPointer>
#include <QSettings>
#include <QSpinBox>

namespace rag {

void PlaygroundPane::answer()
{
    if (!m_candidates) {
        m_answer->showError(tr("run a query first"));
        return;
    }
    const PlaygroundCandidates &c = *m_candidates;
    const int topK = m_answer->topKBox()->value();
    std::vector<LaneRow> rows;
    if (rerankCurrent()) {
        rows = rerankedRows();
        m_answerLane = tr("Reranked");
    } else {
        const Lane lane = c.searcher->hasDense() && !c.denseIndex.empty() ? Lane::Hybrid : Lane::Keyword;
        LaneParams p = params();
        p.topK = topK;
        rows = laneRows(lane, p);
        m_answerLane = laneTitle(lane);
    }
    if (rows.size() > std::size_t(topK))
        rows.resize(std::size_t(topK));
    AnswerInput input;
    input.question = c.query;
    input.specs = specs();
    input.budgetTokens = std::size_t(m_answer->budgetBox()->value());
    for (const LaneRow &r : rows)
        input.chunks.push_back(ContextChunk{r.chunkId, r.document.toStdString(), r.text.toStdString(), r.rank, r.score});
    if (m_answer->isRunning())
        cancelAnswer();
    const std::uint64_t generation = ++m_answerGeneration;
    m_answer->setModelName(QString::fromStdString(input.specs.chatModel));
    m_answer->start(m_answerLane);
    // Deltas arrive on the job thread; each is posted to the GUI thread, where the
    // pane (if it still exists and still waits for this answer) appends it.
    QPointer<PlaygroundPane> pane(this);
    ChatModel::DeltaSink sink = [pane, generation](std::string_view delta) {
        const QString text = QString::fromUtf8(delta.data(), qsizetype(delta.size()));
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [pane, generation, text] {
                if (pane && pane->m_answerGeneration == generation)
                    pane->m_answer->appendDelta(text);
            },
            Qt::QueuedConnection);
    };
    const std::shared_ptr<const ModelServices> services = m_services;
    m_answerJob = m_session.runner().start<Answer>(
        tr("Answer: %1").arg(QString::fromStdString(c.query).left(40)).toStdString(),
        [services, input, sink](const JobContext &ctx) { return runPlaygroundAnswer(*services, input, sink, ctx); },
        this,
        [this, generation](Result<Answer> result) {
            if (generation != m_answerGeneration)
                return;  // cancelled or superseded: the view already says so
            if (!result) {
                if (result.error().code == ErrorCode::Cancelled)
                    m_answer->markCancelled();
                else
                    m_answer->showError(QString::fromStdString(result.error().message()));
            } else {
                m_answer->finish(*result);
            }
            Q_EMIT answerFinished();
        },
        "playground-answer");
}

void PlaygroundPane::cancelAnswer()
{
    if (!m_answer->isRunning())
        return;
    m_session.runner().cancel(m_answerJob);
    ++m_answerGeneration;  // deltas still in flight are dropped
    m_answer->markCancelled();
}

void PlaygroundPane::openCitation(int, qint64 chunkId)
{
    if (!m_candidates)
        return;
    LaneView *view = m_answerLane == tr("Reranked") ? m_reranked
                     : m_answerLane == laneTitle(Lane::Hybrid) ? m_lanes[int(Lane::Hybrid)]
                                                                : m_lanes[int(Lane::Keyword)];
    view->selectChunk(chunkId);
    const auto it = m_candidates->chunks.find(chunkId);
    if (it != m_candidates->chunks.end())
        openResult(it->second.record.documentId, it->second.record.start, it->second.record.end);
}

ModelSettings PlaygroundPane::modelSettings() const
{
    if (m_models)
        return *m_models;
    return ModelSettings::load(QSettings());
}

void PlaygroundPane::setModelSettings(const ModelSettings &settings)
{
    m_models = settings;
    m_answer->budgetBox()->setValue(settings.contextBudget);
    m_answer->topKBox()->setValue(settings.answerTopK);
    m_answer->setModelName(settings.chatModel);
    recompute();
}

void PlaygroundPane::setSecretStore(std::shared_ptr<SecretStore> secrets)
{
    m_services = std::make_shared<ModelServices>(std::move(secrets));
}

void PlaygroundPane::openModelSettings()
{
    if (isSignalConnected(QMetaMethod::fromSignal(&PlaygroundPane::modelSettingsRequested))) {
        Q_EMIT modelSettingsRequested();
        return;
    }
    QSettings settings;
    AppSettings app = AppSettings::load(settings);
    if (m_models)
        app.models = *m_models;
    SettingsDialog dialog(app, this, m_services->secrets());
    dialog.showModelsPage();
    if (dialog.exec() != QDialog::Accepted)
        return;
    app = dialog.settings();
    app.save(settings);
    setModelSettings(app.models);
}

} // namespace rag
