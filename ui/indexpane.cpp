#include "ui/indexpane.h"

#include "core/common/assets.h"
#include "core/embed/uselite.h"
#include "core/jobs/jobrunner.h"
#include "core/pipeline/embedderfactory.h"
#include "models/indexvariantmodel.h"
#include "models/sweeppointmodel.h"
#include "ui/efsweep.h"
#include "ui/projectsession.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QValueAxis>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include <cmath>

namespace rag {

namespace {

std::vector<int> parseInts(const QString &text)
{
    std::vector<int> out;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int v = part.trimmed().toInt(&ok);
        if (ok && v > 0)
            out.push_back(v);
    }
    return out;
}

QSpinBox *spin(int lo, int hi, int value, const QString &name)
{
    auto *box = new QSpinBox;
    box->setRange(lo, hi);
    box->setValue(value);
    box->setObjectName(name);
    return box;
}

// A remote provider's prefix in the embedder box, and where the engine looks for its
// endpoint when no base URL is given.
struct RemoteProvider {
    const char *prefix;
    const char *variable;
    const char *fallback;
};

constexpr RemoteProvider kRemoteProviders[] = {
    {"openai:", "OPENAI_BASE_URL", "https://api.openai.com/v1"},
    {"ollama:", "OLLAMA_HOST", "http://127.0.0.1:11434"},
    {"cohere:", "COHERE_BASE_URL", "https://api.cohere.com"},
};

const RemoteProvider *remoteProvider(const QString &prefix)
{
    for (const RemoteProvider &p : kRemoteProviders)
        if (prefix == QLatin1String(p.prefix))
            return &p;
    return nullptr;
}

QString buildOutcomeText(const JobInfo &info)
{
    if (info.state == JobState::Failed)
        return IndexPane::tr("Build failed: %1 (the previous index is still in use)").arg(QString::fromStdString(info.error.message()));
    return IndexPane::tr("Build cancelled; the previous index is still in use");
}

} // namespace

QStringList IndexPane::availableEmbedders()
{
    QStringList names;
    if (QFileInfo::exists(QString::fromStdString(defaultUseLiteDir())))
        names << QStringLiteral("use-lite");
    names << QStringLiteral("lexical");
    for (const RemoteProvider &p : kRemoteProviders)
        names << QString::fromLatin1(p.prefix);
    return names;
}

IndexPane::IndexPane(ProjectSession &session, QWidget *parent)
    : QWidget(parent), m_session(session), m_variants(new IndexVariantModel(this)),
      m_sweepPoints(new SweepPointModel(this)), m_chunkSet(new QComboBox), m_kind(new QComboBox),
      m_embedder(new QComboBox), m_model(new QLineEdit), m_baseUrl(new QLineEdit), m_M(spin(2, 128, 16, QStringLiteral("hnswM"))),
      m_efConstruction(spin(8, 2000, 100, QStringLiteral("hnswEfConstruction"))),
      m_efSearch(spin(1, 4000, 128, QStringLiteral("hnswEfSearch"))), m_build(new QPushButton(tr("&Build index"))),
      m_cancel(new QPushButton(tr("Cancel build"))), m_rebuild(new QPushButton(tr("&Rebuild selected"))),
      m_view(new QTableView), m_sweepIndex(new QComboBox), m_sweepMs(new QLineEdit(QStringLiteral("8, 16, 32"))),
      m_sweepEfs(new QLineEdit(QStringLiteral("10, 20, 40, 80, 160, 320"))), m_sweep(new QPushButton(tr("Run s&weep"))),
      m_sweepView(new QTableView), m_chart(new QChartView), m_status(new QLabel)
{
    setObjectName(QStringLiteral("indexPane"));
    m_chunkSet->setObjectName(QStringLiteral("indexChunkSet"));
    m_kind->setObjectName(QStringLiteral("indexKind"));
    m_embedder->setObjectName(QStringLiteral("indexEmbedder"));
    m_model->setObjectName(QStringLiteral("indexEmbedderModel"));
    m_model->setPlaceholderText(tr("model name, e.g. nomic-embed-text"));
    m_baseUrl->setObjectName(QStringLiteral("indexEmbedderBaseUrl"));
    m_embedder->setToolTip(tr("Remote embedders read their API key from the environment "
                              "(OPENAI_API_KEY, OLLAMA_API_KEY, COHERE_API_KEY); it is never stored in the project."));
    m_build->setObjectName(QStringLiteral("buildIndexButton"));
    m_rebuild->setObjectName(QStringLiteral("rebuildIndexButton"));
    m_view->setObjectName(QStringLiteral("variantView"));
    m_sweep->setObjectName(QStringLiteral("sweepButton"));
    m_kind->addItem(tr("BM25 (keyword)"), QStringLiteral("bm25"));
    m_kind->addItem(tr("HNSW (approximate vectors)"), QStringLiteral("hnsw"));
    m_kind->addItem(tr("Flat (exact vectors)"), QStringLiteral("flat"));
    m_embedder->addItems(availableEmbedders());
    m_cancel->setEnabled(false);
    m_rebuild->setEnabled(false);

    auto *form = new QFormLayout;
    form->addRow(tr("&Chunk set"), m_chunkSet);
    form->addRow(tr("&Kind"), m_kind);
    form->addRow(tr("&Embedder"), m_embedder);
    form->addRow(tr("M&odel"), m_model);
    form->addRow(tr("Base &URL"), m_baseUrl);
    form->addRow(tr("&M"), m_M);
    form->addRow(tr("ef_&construction"), m_efConstruction);
    form->addRow(tr("ef_&search"), m_efSearch);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_build);
    buttons->addWidget(m_cancel);
    form->addRow(buttons);
    form->addRow(m_status);
    auto *buildBox = new QGroupBox(tr("Build"));
    buildBox->setLayout(form);

    m_view->setModel(m_variants);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(int(IndexVariantModel::Column::Name), QHeaderView::Stretch);
    auto *variantBox = new QGroupBox(tr("Index variants"));
    auto *variantLayout = new QVBoxLayout(variantBox);
    variantLayout->addWidget(m_view);
    auto *variantButtons = new QHBoxLayout;
    variantButtons->addStretch();
    variantButtons->addWidget(m_rebuild);
    variantLayout->addLayout(variantButtons);

    auto *sweepForm = new QHBoxLayout;
    sweepForm->addWidget(new QLabel(tr("Index")));
    sweepForm->addWidget(m_sweepIndex, 1);
    sweepForm->addWidget(new QLabel(tr("M values")));
    sweepForm->addWidget(m_sweepMs);
    sweepForm->addWidget(new QLabel(tr("ef_search values")));
    sweepForm->addWidget(m_sweepEfs, 1);
    sweepForm->addWidget(m_sweep);
    m_sweepView->setModel(m_sweepPoints);
    m_sweepView->verticalHeader()->hide();
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(200);
    auto *sweepSplit = new QSplitter(Qt::Horizontal);
    sweepSplit->addWidget(m_sweepView);
    sweepSplit->addWidget(m_chart);
    sweepSplit->setStretchFactor(1, 2);
    auto *sweepBox = new QGroupBox(tr("HNSW tuning: recall@10 against exact search vs p50 latency"));
    auto *sweepLayout = new QVBoxLayout(sweepBox);
    sweepLayout->addLayout(sweepForm);
    sweepLayout->addWidget(sweepSplit, 1);

    auto *top = new QHBoxLayout;
    top->addWidget(buildBox);
    top->addWidget(variantBox, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top, 1);
    layout->addWidget(sweepBox, 1);

    connect(m_build, &QPushButton::clicked, this, &IndexPane::build);
    connect(m_cancel, &QPushButton::clicked, this, &IndexPane::cancelBuild);
    connect(m_rebuild, &QPushButton::clicked, this, &IndexPane::rebuildSelected);
    connect(m_sweep, &QPushButton::clicked, this, &IndexPane::runSweep);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &IndexPane::updateKindControls);
    connect(m_embedder, &QComboBox::currentIndexChanged, this, &IndexPane::updateKindControls);
    connect(&m_session, &ProjectSession::stateChanged, this, &IndexPane::onStateChanged);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { m_rebuild->setEnabled(m_variants->record(current.row()) != nullptr); });
    connect(&m_session.runner(), &JobRunner::jobFinished, this, [this](quint64 id) {
        if (id != m_buildJob)
            return;
        const JobInfo info = m_session.runner().job(id);
        m_status->setText(info.state == JobState::Succeeded ? tr("Built in %1 s").arg(double(info.elapsedMs) / 1000.0, 0, 'f', 1)
                                                            : buildOutcomeText(info));
        m_buildJob = 0;
        m_build->setEnabled(true);
        m_cancel->setEnabled(false);
    });
    updateKindControls();
}

void IndexPane::setDefaults(const QString &embedder, int M, int efConstruction, int efSearch)
{
    // A remote name "ollama:MODEL" selects the provider and fills in the model.
    const qsizetype colon = embedder.indexOf(QLatin1Char(':'));
    const QString provider = colon >= 0 ? embedder.left(colon + 1) : embedder;
    const int e = m_embedder->findText(provider);
    if (e >= 0) {
        m_embedder->setCurrentIndex(e);
        if (colon >= 0)
            m_model->setText(embedder.mid(colon + 1));
    }
    m_M->setValue(M);
    m_efConstruction->setValue(efConstruction);
    m_efSearch->setValue(efSearch);
}

void IndexPane::updateKindControls()
{
    const QString kind = m_kind->currentData().toString();
    m_embedder->setEnabled(kind != QLatin1String("bm25"));
    const RemoteProvider *remote = remoteProvider(m_embedder->currentText());
    m_model->setEnabled(kind != QLatin1String("bm25") && remote);
    m_baseUrl->setEnabled(kind != QLatin1String("bm25") && remote);
    if (remote) {
        const QByteArray env = qgetenv(remote->variable);
        m_baseUrl->setPlaceholderText(env.isEmpty() ? tr("default: %1 (or $%2)").arg(QLatin1String(remote->fallback),
                                                                                      QLatin1String(remote->variable))
                                                    : tr("default: $%1 = %2").arg(QLatin1String(remote->variable),
                                                                                  QString::fromLocal8Bit(env)));
    } else {
        m_baseUrl->setPlaceholderText(QString());
    }
    const bool hnsw = kind == QLatin1String("hnsw");
    m_M->setEnabled(hnsw);
    m_efConstruction->setEnabled(hnsw);
    m_efSearch->setEnabled(hnsw);
}

void IndexPane::onStateChanged()
{
    auto state = m_session.state();
    if (!state)
        return;
    const QString chosen = m_chunkSet->currentText();
    m_chunkSet->clear();
    for (const ChunkSetInfo &set : state->snapshot.chunkSets)
        m_chunkSet->addItem(QString::fromStdString(set.name));
    if (const int keep = m_chunkSet->findText(chosen); keep >= 0)
        m_chunkSet->setCurrentIndex(keep);
    m_variants->setIndexes(state->snapshot.indexes, state->snapshot.indexStale);
    const QString sweepChosen = m_sweepIndex->currentText();
    m_sweepIndex->clear();
    for (const IndexRecord &r : state->snapshot.indexes)
        if (r.kind != "bm25")
            m_sweepIndex->addItem(QString::fromStdString(r.name));
    if (const int keep = m_sweepIndex->findText(sweepChosen); keep >= 0)
        m_sweepIndex->setCurrentIndex(keep);
    m_build->setEnabled(m_buildJob == 0 && m_chunkSet->count() > 0);
    m_sweep->setEnabled(m_sweepIndex->count() > 0);
}

IndexBuildSpec IndexPane::currentSpec() const
{
    IndexBuildSpec spec;
    spec.chunkSet = m_chunkSet->currentText().toStdString();
    spec.kind = m_kind->currentData().toString().toStdString();
    if (spec.kind != "bm25") {
        spec.embedder = m_embedder->currentText().toStdString();
        if (remoteProvider(m_embedder->currentText())) {
            spec.embedder += m_model->text().trimmed().toStdString();
            spec.baseUrl = m_baseUrl->text().trimmed().toStdString();
        }
    }
    spec.M = m_M->value();
    spec.efConstruction = m_efConstruction->value();
    spec.efSearch = m_efSearch->value();
    return spec;
}

void IndexPane::build()
{
    const IndexBuildSpec spec = currentSpec();
    if (spec.chunkSet.empty()) {
        m_status->setText(tr("Create a chunk set in the Documents pane first."));
        return;
    }
    if (isRemoteEmbedderName(spec.embedder) && spec.embedder.ends_with(':')) {
        m_status->setText(tr("Enter the remote embedder's model name."));
        return;
    }
    if (!checkBaseUrl())
        return;
    m_buildJob = m_session.buildIndex(spec);
    m_build->setEnabled(m_buildJob == 0);
    m_cancel->setEnabled(m_buildJob != 0);
    m_status->setText(tr("Building %1…").arg(QString::fromStdString(defaultIndexName(spec))));
}

bool IndexPane::checkBaseUrl()
{
    if (m_baseUrl->text().trimmed().contains(QLatin1Char(' '))) {
        m_status->setText(tr("The base URL must not contain spaces."));
        return false;
    }
    return true;
}

QString IndexPane::statusText() const
{
    return m_status->text();
}

void IndexPane::cancelBuild()
{
    if (m_buildJob)
        m_session.runner().cancel(m_buildJob);
}

void IndexPane::rebuildSelected()
{
    const IndexRecord *record = m_variants->record(m_view->currentIndex().row());
    if (!record)
        return;
    // Same identity as before: the vector cache supplies every unchanged text.
    IndexBuildSpec spec;
    spec.name = record->name;
    spec.chunkSet = record->chunkSetName;
    spec.kind = record->kind;
    const auto json = nlohmann::json::parse(record->identityJson, nullptr, false);
    if (json.is_object() && spec.kind != "bm25") {
        spec.embedder = json.value("embedder", nlohmann::json::object()).value("name", std::string());
        spec.M = json.value("M", spec.M);
        spec.efConstruction = json.value("efConstruction", spec.efConstruction);
        spec.efSearch = json.value("efSearch", spec.efSearch);
    }
    m_buildJob = m_session.buildIndex(spec);
    m_build->setEnabled(false);
    m_cancel->setEnabled(true);
    m_status->setText(tr("Rebuilding %1…").arg(QString::fromStdString(record->name)));
}

void IndexPane::runSweep()
{
    auto state = m_session.state();
    if (!state)
        return;
    EfSweepSpec spec;
    spec.projectPath = m_session.path().toStdString();
    for (const IndexRecord &r : state->snapshot.indexes)
        if (QString::fromStdString(r.name) == m_sweepIndex->currentText())
            spec.index = r;
    spec.Ms = parseInts(m_sweepMs->text());
    spec.efSearch = parseInts(m_sweepEfs->text());
    if (spec.index.name.empty() || spec.Ms.empty() || spec.efSearch.empty()) {
        Q_EMIT sweepFinished(false);
        return;
    }
    m_sweep->setEnabled(false);
    m_session.runner().start<std::vector<EfSweepPoint>>(
        tr("HNSW sweep on %1").arg(m_sweepIndex->currentText()).toStdString(),
        [spec](const JobContext &ctx) { return runEfSweep(spec, ctx); }, this,
        [this](Result<std::vector<EfSweepPoint>> points) {
            m_sweep->setEnabled(true);
            if (!points) {
                m_status->setText(tr("Sweep failed: %1").arg(QString::fromStdString(points.error().message())));
                Q_EMIT sweepFinished(false);
                return;
            }
            m_sweepPoints->setPoints(std::move(*points));
            showSweep();
            Q_EMIT sweepFinished(true);
        },
        "ef-sweep");
}

void IndexPane::showSweep()
{
    auto *chart = new QChart;
    auto *x = new QLogValueAxis;
    x->setTitleText(tr("p50 latency (ms, log)"));
    x->setLabelFormat(QStringLiteral("%.3g"));
    auto *y = new QValueAxis;
    y->setTitleText(tr("recall@10"));
    y->setRange(0, 1);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    double lo = 1e9, hi = 0, minRecall = 1;
    for (const EfSweepPoint &p : m_sweepPoints->points()) {
        lo = std::min(lo, std::max(1e-4, p.p50Ms));
        hi = std::max(hi, std::max(1e-4, p.p50Ms));
        minRecall = std::min(minRecall, p.recallAt10);
    }
    if (hi > 0) {
        x->setRange(lo / 1.5, hi * 1.5);
        y->setRange(std::max(0.0, std::floor(minRecall * 10 - 1) / 10), 1.0);
    }
    std::map<int, QLineSeries *> byM;
    for (const EfSweepPoint &p : m_sweepPoints->points()) {
        QLineSeries *&series = byM[p.M];
        if (!series) {
            series = new QLineSeries;
            series->setName(tr("M = %1").arg(p.M));
            series->setPointsVisible(true);
            chart->addSeries(series);
            series->attachAxis(x);
            series->attachAxis(y);
        }
        series->append(std::max(1e-4, p.p50Ms), p.recallAt10);
    }
    QChart *old = m_chart->chart();
    m_chart->setChart(chart);
    delete old;
}

} // namespace rag
