#include "ui/settingsdialog.h"

#include "ui/chunkconfigeditor.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace rag {

SettingsDialog::SettingsDialog(const AppSettings &settings, QWidget *parent)
    : QDialog(parent), m_base(settings), m_chunking(new ChunkConfigEditor), m_embedder(new QComboBox),
      m_M(new QSpinBox), m_efConstruction(new QSpinBox), m_efSearch(new QSpinBox), m_dataFolder(new QLineEdit),
      m_language(new QComboBox), m_theme(new QComboBox)
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
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
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
    return s;
}

} // namespace rag
