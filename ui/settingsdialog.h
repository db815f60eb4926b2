#pragma once
// SettingsDialog: edits AppSettings (chunking defaults, embedder, index
// parameters, data folder, language, theme) on a General page and the models the
// Playground uses on a Models page. API keys typed there go straight to the key
// store (the OS keychain), never into the settings; the dialog shows only whether a
// key is stored. GUI thread; the caller saves the result and applies language and theme.
#include "ui/appsettings.h"

#include <QDialog>

#include <map>
#include <memory>
#include <string>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTabWidget;

namespace rag {

class ChunkConfigEditor;
class SecretStore;

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    // secrets: where API keys go; null: the OS keychain (then the environment, for reading).
    explicit SettingsDialog(const AppSettings &settings, QWidget *parent = nullptr,
                            std::shared_ptr<SecretStore> secrets = {});
    AppSettings settings() const;
    void showModelsPage();

    // Providers whose keys the Models page manages.
    static const std::vector<std::string> &keyProviders();

private:
    QWidget *createModelsPage(const ModelSettings &models);
    void refreshKeyStatus(const std::string &provider);
    void storeKey(const std::string &provider);
    void removeKey(const std::string &provider);

    AppSettings m_base;
    ChunkConfigEditor *m_chunking;
    QComboBox *m_embedder;
    QSpinBox *m_M;
    QSpinBox *m_efConstruction;
    QSpinBox *m_efSearch;
    QLineEdit *m_dataFolder;
    QComboBox *m_language;
    QComboBox *m_theme;
    std::shared_ptr<SecretStore> m_secrets;
    QTabWidget *m_tabs;
    QLineEdit *m_chatModel;
    QLineEdit *m_chatBaseUrl;
    QComboBox *m_reranker;
    QLineEdit *m_rerankerBaseUrl;
    QSpinBox *m_rerankDepth;
    QSpinBox *m_contextBudget;
    QSpinBox *m_answerTopK;
    std::map<std::string, QLineEdit *> m_keyEdits;
    std::map<std::string, QLabel *> m_keyStatus;
};

} // namespace rag
