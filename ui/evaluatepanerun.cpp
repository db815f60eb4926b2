// EvaluatePane's "New run…": the form, the run job with its progress, ETA and
// cancel, and what the pane shows when the job ends.
#include "ui/evaluatepane.h"

#include "core/jobs/jobrunner.h"
#include "ui/evalrundialog.h"
#include "ui/evalrunjob.h"
#include "ui/modelservices.h"
#include "ui/projectsession.h"

#include <QComboBox>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

#include <algorithm>

namespace rag {

namespace {

QString etaText(double seconds)
{
    if (seconds < 0)
        return QString();
    const int s = int(seconds + 0.5);
    return s >= 60 ? EvaluatePane::tr(", about %1 min %2 s left").arg(s / 60).arg(s % 60)
                   : EvaluatePane::tr(", about %1 s left").arg(s);
}

} // namespace

void EvaluatePane::setModelSettings(const ModelSettings &settings)
{
    m_models = settings;
    if (m_runDialog)
        m_runDialog->setModelSettings(settings);
}

void EvaluatePane::setSecretStore(std::shared_ptr<SecretStore> secrets)
{
    m_services = std::make_shared<ModelServices>(std::move(secrets));
}

void EvaluatePane::openNewRunDialog()
{
    if (m_runJob != 0) {
        m_status->setText(tr("A run is in progress: cancel it or wait for it before starting another"));
        return;
    }
    if (!m_runDialog) {
        m_runDialog = new EvalRunDialog(m_session, this);
        connect(m_runDialog, &EvalRunDialog::runRequested, this, [this] {
            auto request = m_runDialog->request();
            if (request)
                startRun(*request);
        });
        connect(m_runDialog, &EvalRunDialog::modelSettingsRequested, this, &EvaluatePane::modelSettingsRequested);
    }
    m_runDialog->setModelSettings(m_models);
    m_runDialog->refreshFromSession();
    m_runDialog->open();
}

std::uint64_t EvaluatePane::startRun(const EvalRunRequest &request)
{
    if (!m_session.isOpen() || m_runJob != 0)
        return 0;
    const std::string path = m_session.path().toStdString();
    const std::shared_ptr<const ModelServices> services = m_services;
    const QString label = QString::fromStdString(request.label);
    m_runJob = m_session.runner().start<EvalRunResult>(
        tr("Evaluate %1 on %2").arg(label, QString::fromStdString(request.evalSet)).toStdString(),
        [path, services, request](const JobContext &ctx) { return runEvalRequest(path, *services, request, ctx); }, this,
        [this, label](Result<EvalRunResult> result) {
            if (!result) {
                finishRun();
                if (result.error().code == ErrorCode::Cancelled) {
                    m_status->setText(tr("Run “%1” cancelled; nothing was recorded").arg(label));
                    Q_EMIT runCancelled();
                } else {
                    const QString message = QString::fromStdString(result.error().message());
                    m_status->setText(tr("Run failed: %1").arg(message));
                    Q_EMIT runFailed(message);
                }
                return;
            }
            finishRun();
            m_runNote = tr("run #%1 “%2” recorded").arg(result->runId).arg(label);
            m_status->setText(m_runNote);
            m_showAsRunB = result->runId;
            m_session.refresh();  // the other panes list the chunk sets and indexes the run prepared
            reload();
            Q_EMIT runRecorded(result->runId);
        });
    m_runNote.clear();
    m_newRun->setEnabled(false);
    m_newRun->setToolTip(tr("A run is in progress: cancel it or wait for it"));
    m_cancelRun->setEnabled(true);
    m_runProgress->setRange(0, 0);
    m_runProgress->setFormat(tr("Preparing %1…").arg(label));
    m_runProgress->show();
    m_cancelRun->show();
    m_status->setText(tr("Running “%1”…").arg(label));
    return m_runJob;
}

void EvaluatePane::cancelRun()
{
    if (m_runJob != 0)
        m_session.runner().cancel(m_runJob);
}

void EvaluatePane::showRunProgress(std::uint64_t job)
{
    if (job == 0 || job != m_runJob)
        return;
    const JobInfo info = m_session.runner().job(job);
    const ProgressReport &p = info.progress;
    const QString stage = p.stage.empty() ? tr("evaluating") : QString::fromStdString(p.stage);
    if (p.total <= 0) {
        m_runProgress->setRange(0, 0);
        m_runProgress->setFormat(stage);
        return;
    }
    // QProgressBar takes ints: scale large totals down.
    const std::int64_t scale = std::max<std::int64_t>(1, p.total / 1000000);
    m_runProgress->setRange(0, int(p.total / scale));
    m_runProgress->setValue(int(std::min(p.done, p.total) / scale));
    const QString eta = p.done < p.total ? etaText(info.etaSeconds) : QString();
    m_runProgress->setFormat(QStringLiteral("%1 %2/%3%4").arg(stage).arg(p.done).arg(p.total).arg(eta));
}

void EvaluatePane::finishRun()
{
    m_runJob = 0;
    m_newRun->setEnabled(true);
    m_newRun->setToolTip(tr("Evaluate a pipeline variant on a stored eval set"));
    m_cancelRun->setEnabled(false);
    m_runProgress->hide();
    m_cancelRun->hide();
}

} // namespace rag
