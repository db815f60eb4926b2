#include "ui/evalrundialog.h"

#include "core/chunking/chunkerconfig.h"
#include "core/jobs/jobrunner.h"
#include "ui/projectsession.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace rag {

namespace {

constexpr int kLaneItems[] = {int(Lane::Keyword), int(Lane::Dense), int(Lane::Hybrid)};

QSpinBox *spin(const char *name, int low, int high, int value)
{
    auto *box = new QSpinBox;
    box->setObjectName(QString::fromLatin1(name));
    box->setRange(low, high);
    box->setValue(value);
    return box;
}

// Enables or disables one entry of a combo box, with the tooltip that says why.
void setItemState(QComboBox *box, int row, bool enabled, const QString &tooltip)
{
    auto *model = qobject_cast<QStandardItemModel *>(box->model());
    if (!model || !model->item(row))
        return;
    QStandardItem *item = model->item(row);
    item->setFlags(enabled ? item->flags() | Qt::ItemIsEnabled : item->flags() & ~Qt::ItemIsEnabled);
    item->setToolTip(tooltip);
}

bool itemEnabled(const QComboBox *box, int row)
{
    const auto *model = qobject_cast<const QStandardItemModel *>(box->model());
    return model && model->item(row) && model->item(row)->isEnabled();
}

const IndexRecord *findIndex(const ProjectSnapshot &snapshot, const std::string &name)
{
    for (const IndexRecord &r : snapshot.indexes)
        if (r.name == name)
            return &r;
    return nullptr;
}

const ChunkSetInfo *findChunkSet(const ProjectSnapshot &snapshot, const std::string &name)
{
    for (const ChunkSetInfo &c : snapshot.chunkSets)
        if (c.name == name)
            return &c;
    return nullptr;
}

// "recursive 800/100 characters" for a chunk set's stored config.
QString chunkerSummary(const std::string &configJson)
{
    auto config = ChunkerConfig::fromJsonText(configJson);
    if (!config)
        return QString();
    return QStringLiteral("%1 %2/%3 %4")
        .arg(QString::fromLatin1(chunkStrategyName(config->strategy)))
        .arg(config->size)
        .arg(config->overlap)
        .arg(config->unit == ChunkUnit::Tokens ? QStringLiteral("tokens") : QStringLiteral("characters"));
}

} // namespace

EvalRunDialog::EvalRunDialog(ProjectSession &session, QWidget *parent)
    : QDialog(parent), m_session(session), m_evalSet(new QComboBox), m_importQa(new QPushButton(tr("Import &QA file…"))),
      m_importBeir(new QPushButton(tr("Import &BEIR folder…"))), m_lane(new QComboBox), m_chunkSet(new QComboBox),
      m_denseIndex(new QComboBox), m_fusion(new QComboBox), m_rrfK(spin("rrfKBox", 0, 1000, 60)),
      m_alpha(new QDoubleSpinBox), m_depth(spin("depthBox", 1, 1000, 1000)), m_candidates(spin("candidatesBox", 1, 10000, 1000)),
      m_label(new QLineEdit), m_transform(new QComboBox), m_variants(spin("variantsBox", 1, 32, 3)), m_chatModel(new QLabel),
      m_judgeGroup(new QGroupBox(tr("Answer and &judge with an LLM"))), m_answerModel(new QComboBox),
      m_judgeModel(new QLineEdit), m_repeats(spin("repeatsBox", 1, 10, 1)), m_limit(spin("limitBox", 0, 100000, 0)),
      m_contextChunks(spin("contextChunksBox", 1, 10, 5)), m_judgeNote(new QLabel), m_status(new QLabel),
      m_start(new QPushButton(tr("&Start run")))
{
    setObjectName(QStringLiteral("evalRunDialog"));
    setWindowTitle(tr("New evaluation run"));
    setUpWidgets();
    layOutForm();
    setModelSettings(m_models);
    refreshFromSession();
}

void EvalRunDialog::setUpWidgets()
{
    m_evalSet->setObjectName(QStringLiteral("evalSetBox"));
    m_lane->setObjectName(QStringLiteral("laneBox"));
    m_chunkSet->setObjectName(QStringLiteral("chunkSetBox"));
    m_denseIndex->setObjectName(QStringLiteral("denseIndexBox"));
    m_fusion->setObjectName(QStringLiteral("fusionBox"));
    m_alpha->setObjectName(QStringLiteral("alphaBox"));
    m_label->setObjectName(QStringLiteral("labelEdit"));
    m_transform->setObjectName(QStringLiteral("transformBox"));
    m_judgeGroup->setObjectName(QStringLiteral("judgeGroup"));
    m_answerModel->setObjectName(QStringLiteral("answerModelBox"));
    m_judgeModel->setObjectName(QStringLiteral("judgeModelEdit"));
    m_judgeNote->setObjectName(QStringLiteral("judgeNote"));
    m_status->setObjectName(QStringLiteral("runDialogStatus"));
    m_start->setObjectName(QStringLiteral("startRunButton"));

    for (int lane : kLaneItems)
        m_lane->addItem(QString::fromLatin1(laneName(Lane(lane))), lane);
    m_fusion->addItem(tr("Reciprocal rank fusion"), QStringLiteral("rrf"));
    m_fusion->addItem(tr("Weighted scores"), QStringLiteral("weighted"));
    m_alpha->setRange(0.0, 1.0);
    m_alpha->setSingleStep(0.05);
    m_alpha->setValue(0.5);
    m_alpha->setToolTip(tr("Weight of the dense leg in weighted fusion"));
    m_candidates->setToolTip(tr("Chunks each leg retrieves before fusion"));
    m_depth->setToolTip(tr("Documents kept per query in the run (metrics like recall@100 need at least 100)"));
    for (TransformKind kind : {TransformKind::None, TransformKind::Hyde, TransformKind::MultiQuery})
        m_transform->addItem(QString::fromLatin1(transformKindName(kind)), int(kind));
    m_limit->setSpecialValueText(tr("all queries"));
    m_judgeGroup->setCheckable(true);
    m_judgeGroup->setChecked(false);
    m_judgeNote->setWordWrap(true);
    m_status->setWordWrap(true);
    m_label->setPlaceholderText(tr("(automatic)"));
}

void EvalRunDialog::layOutForm()
{
    auto *setRow = new QHBoxLayout;
    setRow->addWidget(m_evalSet, 1);
    setRow->addWidget(m_importQa);
    setRow->addWidget(m_importBeir);
    auto *setGroup = new QGroupBox(tr("Eval set"));
    auto *setLayout = new QVBoxLayout(setGroup);
    setLayout->addLayout(setRow);

    auto *pipelineGroup = new QGroupBox(tr("Pipeline"));
    auto *pipeline = new QFormLayout(pipelineGroup);
    pipeline->addRow(tr("&Lane"), m_lane);
    pipeline->addRow(tr("&Chunk set"), m_chunkSet);
    pipeline->addRow(tr("&Vector index"), m_denseIndex);
    pipeline->addRow(tr("&Fusion"), m_fusion);
    auto *fusionRow = new QHBoxLayout;
    fusionRow->addWidget(new QLabel(tr("RRF k")));
    fusionRow->addWidget(m_rrfK);
    fusionRow->addWidget(new QLabel(tr("alpha")));
    fusionRow->addWidget(m_alpha);
    fusionRow->addStretch(1);
    pipeline->addRow(QString(), fusionRow);
    pipeline->addRow(tr("Candidates per leg"), m_candidates);
    pipeline->addRow(tr("&Depth (top-k documents)"), m_depth);
    pipeline->addRow(tr("La&bel"), m_label);

    auto *transformGroup = new QGroupBox(tr("Query transform"));
    auto *transform = new QFormLayout(transformGroup);
    transform->addRow(tr("&Transform"), m_transform);
    transform->addRow(tr("Variants"), m_variants);
    transform->addRow(tr("Chat model"), m_chatModel);

    auto *judge = new QFormLayout(m_judgeGroup);
    judge->addRow(tr("&Answer model"), m_answerModel);
    judge->addRow(tr("Judge &model"), m_judgeModel);
    judge->addRow(tr("&Repeats"), m_repeats);
    judge->addRow(tr("Judge the first"), m_limit);
    judge->addRow(tr("Context chunks"), m_contextChunks);
    judge->addRow(m_judgeNote);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    buttons->addButton(m_start, QDialogButtonBox::AcceptRole);
    auto *models = buttons->addButton(tr("Settings ▸ &Models…"), QDialogButtonBox::ResetRole);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(setGroup);
    layout->addWidget(pipelineGroup);
    layout->addWidget(transformGroup);
    layout->addWidget(m_judgeGroup);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    // Never smaller than the contents: the word-wrapped judge note and status line
    // change length with the form, and a fixed-size dialog would clip them.
    layout->setSizeConstraint(QLayout::SetMinimumSize);
    connectForm(buttons, models);
}

void EvalRunDialog::connectForm(QDialogButtonBox *buttons, QPushButton *models)
{
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_start, &QPushButton::clicked, this, [this] {
        if (!request())
            return;
        Q_EMIT runRequested();
        accept();
    });
    connect(models, &QPushButton::clicked, this, &EvalRunDialog::modelSettingsRequested);
    connect(m_importQa, &QPushButton::clicked, this, &EvalRunDialog::chooseQaFile);
    connect(m_importBeir, &QPushButton::clicked, this, &EvalRunDialog::chooseBeirFolder);
    connect(m_chunkSet, &QComboBox::currentIndexChanged, this, [this] {
        fillDenseIndexes();
        updateState();
    });
    for (QComboBox *box : {m_evalSet, m_lane, m_denseIndex, m_fusion, m_transform, m_answerModel})
        connect(box, &QComboBox::currentIndexChanged, this, &EvalRunDialog::updateState);
    connect(m_judgeGroup, &QGroupBox::toggled, this, &EvalRunDialog::updateState);
    connect(m_judgeModel, &QLineEdit::textChanged, this, &EvalRunDialog::updateState);
    connect(&m_session, &ProjectSession::stateChanged, this, &EvalRunDialog::refreshFromSession);
}

void EvalRunDialog::setModelSettings(const ModelSettings &settings)
{
    const QString previous = m_models.chatModel;
    m_models = settings;
    const bool chat = !settings.chatModel.isEmpty() && settings.chatModel != QLatin1String("extractive");
    m_chatModel->setText(chat ? settings.chatModel : tr("none configured (Settings ▸ Models)"));
    const QString answer = m_answerModel->currentData().toString();
    m_answerModel->clear();
    m_answerModel->addItem(tr("extractive (offline)"), QStringLiteral("extractive"));
    if (chat)
        m_answerModel->addItem(settings.chatModel, settings.chatModel);
    m_answerModel->setCurrentIndex(std::max(0, m_answerModel->findData(answer)));
    // The judge follows Settings ▸ Models unless the user typed another model.
    const QString judge = m_judgeModel->text().trimmed();
    if (judge.isEmpty() || judge == previous)
        m_judgeModel->setText(chat ? settings.chatModel : QString());
    m_judgeModel->setToolTip(tr("PROVIDER:MODEL that judges. The Settings ▸ Models chat model uses its base URL; "
                                "another model uses its provider's default endpoint. Keys come from the keychain "
                                "or the environment."));
    updateState();
}

void EvalRunDialog::refreshFromSession()
{
    const auto state = m_session.state();
    const QStringList set = m_evalSet->currentData().toStringList();
    const QString chunkSet = m_chunkSet->currentData().toString();
    const QSignalBlocker blockSets(m_evalSet), blockChunks(m_chunkSet);
    m_evalSet->clear();
    m_chunkSet->clear();
    if (state) {
        // findEvalSet runs the newest set of a name and split: list each pair once.
        std::map<std::pair<std::string, std::string>, const StoredEvalSet *> newest;
        for (const StoredEvalSet &s : state->snapshot.evalSets) {
            auto &slot = newest[{s.name, s.split}];
            if (!slot || s.id > slot->id)
                slot = &s;
        }
        for (const auto &[key, s] : newest) {
            const QString name = QString::fromStdString(s->name), split = QString::fromStdString(s->split);
            m_evalSet->addItem(split.isEmpty() ? name : name + QStringLiteral(" / ") + split, QStringList{name, split});
            m_evalSet->setItemData(m_evalSet->count() - 1, QString::fromStdString(s->source), Qt::ToolTipRole);
        }
        for (const ChunkSetInfo &c : state->snapshot.chunkSets)
            m_chunkSet->addItem(QStringLiteral("%1 (%2, %3 chunks)")
                                    .arg(QString::fromStdString(c.name), chunkerSummary(c.configJson))
                                    .arg(c.chunks),
                                QString::fromStdString(c.name));
    }
    const QStringList wanted = m_selectAfterImport.isEmpty() ? set : m_selectAfterImport.split(QLatin1Char('\n'));
    m_evalSet->setCurrentIndex(std::max(0, m_evalSet->findData(wanted)));
    m_chunkSet->setCurrentIndex(std::max(0, m_chunkSet->findData(chunkSet)));
    fillDenseIndexes();
    updateState();
    if (!m_selectAfterImport.isEmpty() && m_evalSet->findData(wanted) >= 0) {
        m_selectAfterImport.clear();
        Q_EMIT evalSetImported(wanted.value(0));
    }
}

void EvalRunDialog::fillDenseIndexes()
{
    const QString previous = m_denseIndex->currentData().toString();
    const QSignalBlocker block(m_denseIndex);
    m_denseIndex->clear();
    const auto state = m_session.state();
    const std::string chunkSet = m_chunkSet->currentData().toString().toStdString();
    if (!state || chunkSet.empty())
        return;
    const ProjectSnapshot &snapshot = state->snapshot;
    for (std::size_t i = 0; i < snapshot.indexes.size(); ++i) {
        const IndexRecord &r = snapshot.indexes[i];
        if (r.chunkSetName != chunkSet || r.kind == "bm25")
            continue;
        const auto identity = nlohmann::json::parse(r.identityJson, nullptr, false);
        const std::string embedder = identity.is_object()
            ? identity.value("embedder", nlohmann::json::object()).value("name", std::string()) : std::string();
        QString text = QStringLiteral("%1 (%2, %3)").arg(QString::fromStdString(r.name), QString::fromStdString(r.kind),
                                                         QString::fromStdString(embedder));
        if (i < snapshot.indexStale.size() && snapshot.indexStale[i])
            text += tr(" — stale, the run rebuilds it");
        m_denseIndex->addItem(text, QString::fromStdString(r.name));
    }
    m_denseIndex->setCurrentIndex(std::max(0, m_denseIndex->findData(previous)));
}

void EvalRunDialog::updateState()
{
    const QString chunkSet = m_chunkSet->currentData().toString();
    const bool haveIndex = m_denseIndex->count() > 0;
    const QString needIndex = chunkSet.isEmpty()
        ? tr("Chunk the documents in the Documents pane first")
        : tr("Build a vector index on chunk set %1 in the Index pane first").arg(chunkSet);
    setItemState(m_lane, 0, true, tr("BM25 over the chunk set's keyword index (built by the run when missing)"));
    setItemState(m_lane, 1, haveIndex, haveIndex ? tr("The chosen vector index alone") : needIndex);
    setItemState(m_lane, 2, haveIndex, haveIndex ? tr("BM25 and the vector index, fused") : needIndex);
    const Lane lane = Lane(m_lane->currentData().toInt());
    const bool dense = lane != Lane::Keyword, hybrid = lane == Lane::Hybrid;
    const bool rrf = m_fusion->currentData().toString() == QLatin1String("rrf");
    m_denseIndex->setEnabled(dense && haveIndex);
    m_denseIndex->setToolTip(!dense    ? tr("The BM25 lane searches no vector index")
                             : haveIndex ? tr("Its embedder, kind and HNSW parameters go into the pipeline")
                                         : needIndex);
    m_fusion->setEnabled(hybrid);
    m_fusion->setToolTip(hybrid ? QString() : tr("Fusion applies to the hybrid lane only"));
    m_rrfK->setEnabled(hybrid && rrf);
    m_rrfK->setToolTip(hybrid && rrf ? tr("RRF constant k: 1/(k + rank)") : tr("Used by reciprocal rank fusion in the hybrid lane"));
    m_alpha->setEnabled(hybrid && !rrf);

    const bool chat = !m_models.chatModel.isEmpty() && m_models.chatModel != QLatin1String("extractive");
    const QString noChat = tr("Query transforms need a chat model: set one in Settings ▸ Models (the extractive "
                              "answerer cannot write passages or phrasings)");
    setItemState(m_transform, 0, true, tr("Search the query as written"));
    setItemState(m_transform, 1, chat && dense,
                 !chat   ? noChat
                 : dense ? tr("Hypothetical answer passages; the dense leg searches their mean vector with the query's")
                         : tr("HyDE changes only the dense leg's query vector: choose the dense or hybrid lane"));
    setItemState(m_transform, 2, chat, chat ? tr("Alternative phrasings, each searched and fused by RRF") : noChat);
    const bool transform = m_transform->currentIndex() > 0;
    m_variants->setEnabled(transform);

    const QString noJudge = updateJudgeNote();

    m_blocker.clear();
    if (!m_session.isOpen())
        m_blocker = tr("Open a project first");
    else if (m_evalSet->count() == 0)
        m_blocker = tr("Import an eval set first (Import QA file… or Import BEIR folder…)");
    else if (chunkSet.isEmpty())
        m_blocker = tr("Chunk the documents in the Documents pane first");
    else if (dense && !haveIndex)
        m_blocker = needIndex;
    else if (!itemEnabled(m_transform, m_transform->currentIndex()))
        m_blocker = m_transform->itemData(m_transform->currentIndex(), Qt::ToolTipRole).toString();
    else if (m_judgeGroup->isChecked() && !noJudge.isEmpty())
        m_blocker = noJudge;
    m_start->setEnabled(m_blocker.isEmpty());
    m_start->setToolTip(m_blocker.isEmpty() ? tr("Run it on the job runner (progress in the Jobs dock)") : m_blocker);
    // The status line says why the form cannot run; otherwise it keeps its last message (an import's).
    if (!m_blocker.isEmpty() || m_statusShowsBlocker)
        m_status->setText(m_blocker);
    m_statusShowsBlocker = !m_blocker.isEmpty();
}

QString EvalRunDialog::updateJudgeNote()
{
    const QString judge = m_judgeModel->text().trimmed();
    const bool judgeOk = !judge.isEmpty() && judge != QLatin1String("extractive");
    const QString noJudge = tr("Judging cannot run: no judge model is configured. Set a chat model in Settings ▸ "
                               "Models (\"extractive\" can answer offline but cannot judge), or type PROVIDER:MODEL "
                               "as the judge model.");
    m_judgeNote->setText(judgeOk ? tr("Answers by %1, judged by %2. The eval set's reference answers are needed "
                                      "for context recall.").arg(m_answerModel->currentText(), judge)
                                 : noJudge);
    m_judgeNote->setStyleSheet(judgeOk ? QString() : QStringLiteral("color: #d62728;"));
    m_judgeGroup->setToolTip(judgeOk ? QString() : noJudge);
    return judgeOk ? QString() : noJudge;
}

QString EvalRunDialog::autoLabel() const
{
    const Lane lane = Lane(m_lane->currentData().toInt());
    QString label = QString::fromLatin1(laneName(lane));
    if (lane == Lane::Hybrid)
        label += QStringLiteral(" ") + m_fusion->currentData().toString();
    label += QStringLiteral(" · ") + m_chunkSet->currentData().toString();
    if (m_transform->currentIndex() > 0)
        label += QStringLiteral(" · ") + m_transform->currentText();
    if (m_judgeGroup->isChecked())
        label += QStringLiteral(" · judged");
    return label;
}

Result<EvalRunRequest> EvalRunDialog::request() const
{
    if (!m_blocker.isEmpty())
        return fail(ErrorCode::InvalidArgument, m_blocker.toStdString(), "new run");
    const auto state = m_session.state();
    const ChunkSetInfo *chunkSet = findChunkSet(state->snapshot, m_chunkSet->currentData().toString().toStdString());
    if (!chunkSet)
        return fail(ErrorCode::NotFound, "the chosen chunk set is gone; reopen the form", "chunk set");
    auto chunker = ChunkerConfig::fromJsonText(chunkSet->configJson);
    if (!chunker)
        return std::unexpected(chunker.error());
    EvalRunRequest r;
    const QStringList set = m_evalSet->currentData().toStringList();
    r.evalSet = set.value(0).toStdString();
    r.split = set.value(1).toStdString();
    PipelineConfig &p = r.pipeline;
    p.lane = Lane(m_lane->currentData().toInt());
    p.chunkerJson = chunker->canonicalJson();
    if (p.lane != Lane::Keyword) {
        const IndexRecord *index = findIndex(state->snapshot, m_denseIndex->currentData().toString().toStdString());
        if (!index)
            return fail(ErrorCode::NotFound, "the chosen vector index is gone; reopen the form", "vector index");
        const auto identity = nlohmann::json::parse(index->identityJson, nullptr, false);
        if (!identity.is_object())
            return fail(ErrorCode::Parse, "the index's identity is not a JSON object", index->name);
        p.embedder = identity.value("embedder", nlohmann::json::object()).value("name", std::string());
        p.vectorIndex = index->kind;
        if (index->kind == "hnsw") {  // a flat index keeps the defaults, as `--index flat` does
            p.hnswM = identity.value("M", p.hnswM);
            p.hnswEfConstruction = identity.value("efConstruction", p.hnswEfConstruction);
            p.hnswEfSearch = identity.value("efSearch", p.hnswEfSearch);
        }
    }
    // Disabled controls keep the defaults, so a run's identity never depends on them.
    if (p.lane == Lane::Hybrid) {
        p.fusion = m_fusion->currentData().toString().toStdString();
        if (p.fusion == "rrf")
            p.rrfK = m_rrfK->value();
        else
            p.alpha = m_alpha->value();
    }
    p.candidates = m_candidates->value();
    p.transform.kind = TransformKind(m_transform->currentData().toInt());
    if (p.transform.active()) {
        p.transform.chat = m_models.chatModel.toStdString();
        p.transform.variants = m_variants->value();
        r.transformBaseUrl = m_models.chatBaseUrl.toStdString();
    }
    if (auto ok = p.validate(); !ok)
        return std::unexpected(ok.error());
    r.depth = m_depth->value();
    r.label = (m_label->text().trimmed().isEmpty() ? autoLabel() : m_label->text().trimmed()).toStdString();
    if (m_judgeGroup->isChecked())
        r.judging = judgingRequest();
    return r;
}

JudgingRequest EvalRunDialog::judgingRequest() const
{
    JudgingRequest j;
    j.answerModel = m_answerModel->currentData().toString().toStdString();
    j.judgeModel = m_judgeModel->text().trimmed().toStdString();
    // Only the Settings ▸ Models chat model has a configured endpoint.
    const std::string settingsModel = m_models.chatModel.toStdString();
    j.answerBaseUrl = j.answerModel == settingsModel ? m_models.chatBaseUrl.toStdString() : std::string();
    j.judgeBaseUrl = j.judgeModel == settingsModel ? m_models.chatBaseUrl.toStdString() : std::string();
    j.repeats = m_repeats->value();
    j.limit = std::size_t(m_limit->value());
    j.contextChunks = m_contextChunks->value();
    return j;
}

void EvalRunDialog::importEvalSet(const QString &path, bool beir, const QString &split)
{
    if (!m_session.isOpen())
        return;
    const std::string project = m_session.path().toStdString();
    const std::string file = QFileInfo(path).absoluteFilePath().toStdString();
    const std::string wantedSplit = split.toStdString();
    m_status->setText(tr("Importing %1…").arg(QFileInfo(path).fileName()));
    m_statusShowsBlocker = false;
    m_importQa->setEnabled(false);
    m_importBeir->setEnabled(false);
    m_session.runner().start<ImportedEvalSet>(
        tr("Import eval set %1").arg(QFileInfo(path).fileName()).toStdString(),
        [project, file, beir, wantedSplit](const JobContext &) { return importEvalSetFile(project, file, beir, wantedSplit); },
        this,
        [this](Result<ImportedEvalSet> result) {
            m_importQa->setEnabled(true);
            m_importBeir->setEnabled(true);
            if (!result) {
                const QString message = QString::fromStdString(result.error().message());
                m_status->setText(tr("Import failed: %1").arg(message));
                m_statusShowsBlocker = false;
                Q_EMIT importFailed(message);
                return;
            }
            m_selectAfterImport = QString::fromStdString(result->name) + QLatin1Char('\n') + QString::fromStdString(result->split);
            m_statusShowsBlocker = false;
            m_status->setText(tr("Imported %1: %2 queries, %3 judgments (%4 spans), %5 reference answers")
                                  .arg(QString::fromStdString(result->name))
                                  .arg(result->queries).arg(result->judgments).arg(result->spans).arg(result->answers));
            m_session.refresh();  // the list follows once the session re-read the project
        });
}

void EvalRunDialog::chooseQaFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import a QA eval set"), QString(),
                                                      tr("QA sets (*.jsonl *.json *.csv *.tsv);;All files (*)"));
    if (!path.isEmpty())
        importEvalSet(path, false);
}

void EvalRunDialog::chooseBeirFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Import a BEIR folder (queries.jsonl, qrels/)"));
    if (folder.isEmpty())
        return;
    QStringList splits;
    for (const QFileInfo &f : QDir(folder + QStringLiteral("/qrels")).entryInfoList({QStringLiteral("*.tsv")}, QDir::Files))
        splits << f.completeBaseName();
    QString split = QStringLiteral("test");
    if (splits.size() > 1) {
        bool ok = false;
        split = QInputDialog::getItem(this, tr("BEIR split"), tr("Qrels split:"), splits,
                                      std::max<int>(0, int(splits.indexOf(QStringLiteral("test")))), false, &ok);
        if (!ok)
            return;
    } else if (splits.size() == 1) {
        split = splits.front();
    }
    importEvalSet(folder, true, split);
}

} // namespace rag
