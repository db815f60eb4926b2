#pragma once
// ChunkConfigEditor: strategy, size, overlap and unit controls for one chunker
// configuration; emits configChanged() on every edit (the preview debounces).
// GUI thread.
#include "core/chunking/chunkerconfig.h"

#include <QWidget>

class QComboBox;
class QSpinBox;

namespace rag {

class ChunkConfigEditor : public QWidget {
    Q_OBJECT
public:
    explicit ChunkConfigEditor(QWidget *parent = nullptr);

    ChunkerConfig config() const;
    void setConfig(const ChunkerConfig &config);
    QSpinBox *sizeBox() const { return m_size; }

Q_SIGNALS:
    void configChanged();

private:
    QComboBox *m_strategy;
    QComboBox *m_unit;
    QSpinBox *m_size;
    QSpinBox *m_overlap;
};

} // namespace rag
