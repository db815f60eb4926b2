#pragma once
// SettingsDialog: edits AppSettings (chunking defaults, embedder, index
// parameters, data folder, language, theme). GUI thread; the caller saves the
// result and applies language and theme.
#include "ui/appsettings.h"

#include <QDialog>

class QComboBox;
class QLineEdit;
class QSpinBox;

namespace rag {

class ChunkConfigEditor;

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(const AppSettings &settings, QWidget *parent = nullptr);
    AppSettings settings() const;

private:
    AppSettings m_base;
    ChunkConfigEditor *m_chunking;
    QComboBox *m_embedder;
    QSpinBox *m_M;
    QSpinBox *m_efConstruction;
    QSpinBox *m_efSearch;
    QLineEdit *m_dataFolder;
    QComboBox *m_language;
    QComboBox *m_theme;
};

} // namespace rag
