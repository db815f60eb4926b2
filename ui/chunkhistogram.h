#pragma once
// ChunkHistogram: a bar chart of chunk lengths (in the config's unit) for one
// preview, so two strategies can be compared at a glance. GUI thread.
#include <QChartView>

#include <vector>

class QBarSeries;
class QBarCategoryAxis;
class QValueAxis;

namespace rag {

class ChunkHistogram : public QChartView {
    Q_OBJECT
public:
    explicit ChunkHistogram(QWidget *parent = nullptr);
    void setLengths(const std::vector<double> &lengths, const QString &unit);
    // Counts per bin of the last setLengths() (for tests).
    const std::vector<int> &bins() const { return m_bins; }

private:
    std::vector<int> m_bins;
};

} // namespace rag
