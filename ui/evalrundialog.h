#pragma once
// EvalRunDialog: the Evaluate pane's "New run…" form. It lists the project's
// stored eval sets (and imports a QA file or a BEIR folder on a job), its chunk
// sets and, for the dense and hybrid lanes, the vector indexes of the chosen chunk
// set, and builds an EvalRunRequest: the pipeline (lane, fusion, depth), an
// optional query transform and optional LLM judging with the Settings ▸ Models
// chat model. Combinations that cannot run are disabled with a tooltip that says
// why, so nothing fails late for a reason the form could see. GUI thread; the
// session outlives the dialog; children are owned through Qt parenting.
#include "ui/appsettings.h"
#include "ui/evalrunjob.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace rag {

class ProjectSession;

class EvalRunDialog : public QDialog {
    Q_OBJECT
public:
    explicit EvalRunDialog(ProjectSession &session, QWidget *parent = nullptr);

    // The Settings ▸ Models chat model: the transform's writer and the default judge.
    void setModelSettings(const ModelSettings &settings);

    // The run the form describes; InvalidArgument with the form's reason when it cannot run.
    Result<EvalRunRequest> request() const;
    // Why the form cannot run (the Start button's tooltip), empty when it can.
    QString blocker() const { return m_blocker; }

    QComboBox *evalSetBox() const { return m_evalSet; }
    QComboBox *laneBox() const { return m_lane; }
    QComboBox *chunkSetBox() const { return m_chunkSet; }
    QComboBox *denseIndexBox() const { return m_denseIndex; }
    QComboBox *fusionBox() const { return m_fusion; }
    QSpinBox *rrfKBox() const { return m_rrfK; }
    QDoubleSpinBox *alphaBox() const { return m_alpha; }
    QSpinBox *depthBox() const { return m_depth; }
    QLineEdit *labelEdit() const { return m_label; }
    QComboBox *transformBox() const { return m_transform; }
    QSpinBox *variantsBox() const { return m_variants; }
    QGroupBox *judgeGroup() const { return m_judgeGroup; }
    QComboBox *answerModelBox() const { return m_answerModel; }
    QLineEdit *judgeModelEdit() const { return m_judgeModel; }
    QSpinBox *repeatsBox() const { return m_repeats; }
    QSpinBox *limitBox() const { return m_limit; }
    QLabel *judgeNote() const { return m_judgeNote; }
    QLabel *statusLabel() const { return m_status; }
    QPushButton *startButton() const { return m_start; }

public Q_SLOTS:
    // Refills the lists from the session's latest state, keeping the selections.
    void refreshFromSession();
    // Stores the set on a job, then selects it once the session has re-read the project.
    void importEvalSet(const QString &path, bool beir, const QString &split = {});
    void chooseQaFile();
    void chooseBeirFolder();

Q_SIGNALS:
    void evalSetImported(const QString &name);
    void importFailed(const QString &message);
    // Start was pressed on a runnable form (the dialog then closes).
    void runRequested();
    void modelSettingsRequested();

private:
    void setUpWidgets();
    void layOutForm();
    void connectForm(QDialogButtonBox *buttons, QPushButton *models);
    void fillDenseIndexes();
    void updateState();
    // Says in the judging section who answers and judges, or why judging cannot run
    // (returned, empty when it can).
    QString updateJudgeNote();
    QString autoLabel() const;
    JudgingRequest judgingRequest() const;

    ProjectSession &m_session;
    ModelSettings m_models;
    QComboBox *m_evalSet;
    QPushButton *m_importQa;
    QPushButton *m_importBeir;
    QComboBox *m_lane;
    QComboBox *m_chunkSet;
    QComboBox *m_denseIndex;
    QComboBox *m_fusion;
    QSpinBox *m_rrfK;
    QDoubleSpinBox *m_alpha;
    QSpinBox *m_depth;
    QSpinBox *m_candidates;
    QLineEdit *m_label;
    QComboBox *m_transform;
    QSpinBox *m_variants;
    QLabel *m_chatModel;
    QGroupBox *m_judgeGroup;
    QComboBox *m_answerModel;
    QLineEdit *m_judgeModel;
    QSpinBox *m_repeats;
    QSpinBox *m_limit;
    QSpinBox *m_contextChunks;
    QLabel *m_judgeNote;
    QLabel *m_status;
    QPushButton *m_start;
    QString m_blocker;
    bool m_statusShowsBlocker = false;
    QString m_selectAfterImport;  // "name\nsplit" of a set just imported
};

} // namespace rag
