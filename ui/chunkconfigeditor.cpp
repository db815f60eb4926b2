#include "ui/chunkconfigeditor.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>

namespace rag {

ChunkConfigEditor::ChunkConfigEditor(QWidget *parent)
    : QWidget(parent), m_strategy(new QComboBox), m_unit(new QComboBox), m_size(new QSpinBox), m_overlap(new QSpinBox)
{
    m_strategy->setObjectName(QStringLiteral("strategyBox"));
    m_unit->setObjectName(QStringLiteral("unitBox"));
    m_size->setObjectName(QStringLiteral("sizeBox"));
    m_overlap->setObjectName(QStringLiteral("overlapBox"));
    m_strategy->addItem(tr("Recursive"), int(ChunkStrategy::Recursive));
    m_strategy->addItem(tr("Fixed"), int(ChunkStrategy::Fixed));
    m_strategy->addItem(tr("Sentence"), int(ChunkStrategy::Sentence));
    m_strategy->addItem(tr("Markdown"), int(ChunkStrategy::Markdown));
    m_unit->addItem(tr("characters"), int(ChunkUnit::Characters));
    m_unit->addItem(tr("tokens"), int(ChunkUnit::Tokens));
    m_size->setRange(16, 100000);
    m_size->setSingleStep(50);
    m_overlap->setRange(0, 50000);
    m_overlap->setSingleStep(10);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto addLabelled = [&](const QString &text, QWidget *w) {
        auto *label = new QLabel(text);
        label->setBuddy(w);
        layout->addWidget(label);
        layout->addWidget(w);
    };
    addLabelled(tr("Str&ategy"), m_strategy);
    addLabelled(tr("Si&ze"), m_size);
    addLabelled(tr("O&verlap"), m_overlap);
    addLabelled(tr("U&nit"), m_unit);
    layout->addStretch();
    setConfig(ChunkerConfig{});

    connect(m_strategy, &QComboBox::currentIndexChanged, this, &ChunkConfigEditor::configChanged);
    connect(m_unit, &QComboBox::currentIndexChanged, this, &ChunkConfigEditor::configChanged);
    connect(m_size, &QSpinBox::valueChanged, this, &ChunkConfigEditor::configChanged);
    connect(m_overlap, &QSpinBox::valueChanged, this, &ChunkConfigEditor::configChanged);
}

ChunkerConfig ChunkConfigEditor::config() const
{
    ChunkerConfig c;
    c.strategy = ChunkStrategy(m_strategy->currentData().toInt());
    c.unit = ChunkUnit(m_unit->currentData().toInt());
    c.size = m_size->value();
    c.overlap = m_overlap->value();
    return c;
}

void ChunkConfigEditor::setConfig(const ChunkerConfig &config)
{
    const QSignalBlocker b1(m_strategy), b2(m_unit), b3(m_size), b4(m_overlap);
    m_strategy->setCurrentIndex(m_strategy->findData(int(config.strategy)));
    m_unit->setCurrentIndex(m_unit->findData(int(config.unit)));
    m_size->setValue(int(config.size));
    m_overlap->setValue(int(config.overlap));
    Q_EMIT configChanged();
}

} // namespace rag
