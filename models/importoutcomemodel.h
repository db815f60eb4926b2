#pragma once
// ImportOutcomeModel: per-file status of the imports of this session (imported,
// unchanged, replaced, failed with the reason), newest batch first. GUI thread;
// owns copies of the outcomes.
#include "core/store/documentrepository.h"

#include <QAbstractTableModel>

#include <vector>

namespace rag {

class ImportOutcomeModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum class Column { File, Status, Documents, Reason, Count };
    enum Role { StatusRole = Qt::UserRole + 1 };

    explicit ImportOutcomeModel(QObject *parent = nullptr);

    void addOutcomes(const std::vector<ImportOutcome> &outcomes);
    void clear();
    const ImportOutcome *outcome(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString statusText(ImportStatus status);

private:
    std::vector<ImportOutcome> m_outcomes;
};

} // namespace rag
