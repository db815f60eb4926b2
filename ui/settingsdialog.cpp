#include "ui/settingsdialog.h"

#include "ui/chunkconfigeditor.h"
#include "ui/secretchain.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTimer>

namespace rag {

SettingsDialog::SettingsDialog(const AppSettings &settings, QWidget *parent, std::shared_ptr<SecretStore> secrets)
    : QDialog(parent), m_base(settings), m_chunking(new ChunkConfigEditor), m_embedder(new QComboBox),
      m_M(new QSpinBox), m_efConstruction(new QSpinBox), m_efSearch(new QSpinBox), m_dataFolder(new QLineEdit),
      m_language(new QComboBox), m_theme(new QComboBox),
      m_secrets(secrets ? std::move(secrets) : SecretChain::keychainThenEnvironment()), m_tabs(new QTabWidget),
      m_chatModel(new QLineEdit), m_chatBaseUrl(new QLineEdit), m_reranker(new QComboBox),
      m_rerankerBaseUrl(new QLineEdit), m_rerankDepth(new QSpinBox), m_contextBudget(new QSpinBox),
      m_answerTopK(new QSpinBox)
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Settings"));
    m_chunking->setConfig(settings.chunking);
    m_embedder->addItems({QStringLiteral("use-lite"), QStringLiteral("lexical")});
    m_embedder->setCurrentText(settings.embedder);
    m_M->setRange(2, 128);
    m_M->setValue(settings.M);
    m_efConstruction->setRange(8, 2000);
    m_efConstruction->setValue(settings.efConstruction);
    m_efSearch->setRange(1, 4000);
    m_efSearch->setValue(settings.efSearch);
    m_dataFolder->setText(settings.dataFolder);
    m_language->setObjectName(QStringLiteral("languageBox"));
    m_language->addItem(tr("System language"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
    m_language->setCurrentIndex(std::max(0, m_language->findData(settings.language)));
    m_theme->addItem(tr("System"), int(Theme::System));
    m_theme->addItem(tr("Light"), int(Theme::Light));
    m_theme->addItem(tr("Dark"), int(Theme::Dark));
    m_theme->setCurrentIndex(m_theme->findData(int(settings.theme)));

    auto *browse = new QPushButton(tr("&Browse…"));
    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(m_dataFolder, 1);
    folderRow->addWidget(browse);
    auto *form = new QFormLayout;
    form->addRow(tr("Chunking"), m_chunking);
    form->addRow(tr("&Embedder"), m_embedder);
    form->addRow(tr("HNSW &M"), m_M);
    form->addRow(tr("HNSW ef_&construction"), m_efConstruction);
    form->addRow(tr("HNSW ef_&search"), m_efSearch);
    form->addRow(tr("&Data folder"), folderRow);
    form->addRow(tr("&Language (after restart)"), m_language);
    form->addRow(tr("&Theme"), m_theme);
    auto *general = new QWidget;
    general->setLayout(form);
    m_tabs->setObjectName(QStringLiteral("settingsTabs"));
    m_tabs->addTab(general, tr("&General"));
    m_tabs->addTab(createModelsPage(settings.models), tr("&Models"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Data folder"), m_dataFolder->text());
        if (!dir.isEmpty())
            m_dataFolder->setText(dir);
    });
}

AppSettings SettingsDialog::settings() const
{
    AppSettings s = m_base;
    s.chunking = m_chunking->config();
    s.embedder = m_embedder->currentText();
    s.M = m_M->value();
    s.efConstruction = m_efConstruction->value();
    s.efSearch = m_efSearch->value();
    s.dataFolder = m_dataFolder->text();
    s.language = m_language->currentData().toString();
    s.theme = Theme(m_theme->currentData().toInt());
    s.models.chatModel = m_chatModel->text().trimmed().isEmpty() ? QStringLiteral("extractive") : m_chatModel->text().trimmed();
    s.models.chatBaseUrl = m_chatBaseUrl->text().trimmed();
    s.models.reranker = m_reranker->currentText().trimmed();
    s.models.rerankerBaseUrl = m_rerankerBaseUrl->text().trimmed();
    s.models.rerankDepth = m_rerankDepth->value();
    s.models.contextBudget = m_contextBudget->value();
    s.models.answerTopK = m_answerTopK->value();
    return s;
}

const std::vector<std::string> &SettingsDialog::keyProviders()
{
    static const std::vector<std::string> providers{"openai", "anthropic", "cohere", "jina"};
    return providers;
}

QWidget *SettingsDialog::createModelsPage(const ModelSettings &models)
{
    auto *page = new QWidget;
    page->setObjectName(QStringLiteral("modelsPage"));
    m_chatModel->setObjectName(QStringLiteral("chatModelEdit"));
    m_chatModel->setText(models.chatModel);
    m_chatModel->setPlaceholderText(QStringLiteral("extractive"));
    m_chatModel->setToolTip(tr("extractive (offline), openai:gpt-4o-mini, anthropic:claude-3-5-haiku-latest, "
                               "ollama:llama3.2, llamacpp:any; a comma list falls back in order"));
    m_chatBaseUrl->setObjectName(QStringLiteral("chatBaseUrlEdit"));
    m_chatBaseUrl->setText(models.chatBaseUrl);
    m_chatBaseUrl->setPlaceholderText(tr("the provider's default"));
    m_reranker->setObjectName(QStringLiteral("rerankerBox"));
    m_reranker->setEditable(true);
    m_reranker->addItem(QString());
    m_reranker->addItems({QStringLiteral("cohere:rerank-v3.5"), QStringLiteral("jina:jina-reranker-v2-base-multilingual"),
                          QStringLiteral("tei"), QStringLiteral("llamacpp:any"), QStringLiteral("llm:openai:gpt-4o-mini")});
    m_reranker->setCurrentText(models.reranker);
    m_reranker->setToolTip(tr("Empty: no Reranked lane. tei and llamacpp need the reranker base URL."));
    m_rerankerBaseUrl->setObjectName(QStringLiteral("rerankerBaseUrlEdit"));
    m_rerankerBaseUrl->setText(models.rerankerBaseUrl);
    m_rerankerBaseUrl->setPlaceholderText(tr("the provider's default, e.g. http://127.0.0.1:8080/v1"));
    m_rerankDepth->setObjectName(QStringLiteral("rerankDepthBox"));
    m_rerankDepth->setRange(1, 100);
    m_rerankDepth->setValue(models.rerankDepth);
    m_contextBudget->setObjectName(QStringLiteral("contextBudgetBox"));
    m_contextBudget->setRange(256, 1000000);
    m_contextBudget->setSingleStep(250);
    m_contextBudget->setValue(models.contextBudget);
    m_answerTopK->setRange(1, 100);
    m_answerTopK->setValue(models.answerTopK);
    auto *form = new QFormLayout;
    form->addRow(tr("&Chat model"), m_chatModel);
    form->addRow(tr("Chat &base URL"), m_chatBaseUrl);
    form->addRow(tr("&Reranker"), m_reranker);
    form->addRow(tr("Reranker base &URL"), m_rerankerBaseUrl);
    form->addRow(tr("Rerank &depth"), m_rerankDepth);
    form->addRow(tr("Context token b&udget"), m_contextBudget);
    form->addRow(tr("&Passages per answer"), m_answerTopK);

    // Write-only key fields: a stored key is never read back into the dialog.
    auto *keys = new QGroupBox(tr("API keys (stored in the OS keychain)"));
    auto *keyForm = new QFormLayout(keys);
    for (const std::string &provider : keyProviders()) {
        auto *edit = new QLineEdit;
        edit->setObjectName(QStringLiteral("keyEdit_%1").arg(QString::fromStdString(provider)));
        edit->setEchoMode(QLineEdit::Password);
        auto *status = new QLabel;
        status->setObjectName(QStringLiteral("keyStatus_%1").arg(QString::fromStdString(provider)));
        auto *save = new QPushButton(tr("Store"));
        auto *remove = new QPushButton(tr("Remove"));
        auto *row = new QHBoxLayout;
        row->addWidget(edit, 1);
        row->addWidget(save);
        row->addWidget(remove);
        row->addWidget(status);
        keyForm->addRow(QString::fromStdString(provider), row);
        m_keyEdits[provider] = edit;
        m_keyStatus[provider] = status;
        connect(save, &QPushButton::clicked, this, [this, provider] { storeKey(provider); });
        connect(edit, &QLineEdit::returnPressed, this, [this, provider] { storeKey(provider); });
        connect(remove, &QPushButton::clicked, this, [this, provider] { removeKey(provider); });
    }
    auto *layout = new QVBoxLayout(page);
    layout->addLayout(form);
    layout->addWidget(keys);
    layout->addStretch();
    // The keychain may take a moment (or ask to be unlocked): look once the dialog shows.
    QTimer::singleShot(0, this, [this] {
        for (const std::string &provider : keyProviders())
            refreshKeyStatus(provider);
    });
    return page;
}

void SettingsDialog::showModelsPage()
{
    m_tabs->setCurrentIndex(1);
}

void SettingsDialog::refreshKeyStatus(const std::string &provider)
{
    auto key = m_secrets->read(provider);
    m_keyStatus[provider]->setText(key ? tr("a key is stored") : tr("no key stored"));
    m_keyEdits[provider]->setPlaceholderText(key ? tr("type to replace the stored key") : tr("paste the API key"));
}

void SettingsDialog::storeKey(const std::string &provider)
{
    QLineEdit *edit = m_keyEdits[provider];
    const std::string secret = edit->text().trimmed().toStdString();
    if (secret.empty())
        return;
    edit->clear();
    auto written = m_secrets->write(provider, secret);
    if (!written) {
        m_keyStatus[provider]->setText(tr("not stored: %1").arg(QString::fromStdString(written.error().detail)));
        return;
    }
    refreshKeyStatus(provider);
}

void SettingsDialog::removeKey(const std::string &provider)
{
    auto removed = m_secrets->remove(provider);
    if (!removed && removed.error().code != ErrorCode::NotFound) {
        m_keyStatus[provider]->setText(tr("not removed: %1").arg(QString::fromStdString(removed.error().detail)));
        return;
    }
    refreshKeyStatus(provider);
}

} // namespace rag
