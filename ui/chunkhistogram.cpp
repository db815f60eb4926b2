#include "ui/chunkhistogram.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace rag {

namespace {
constexpr int kBins = 12;
}

ChunkHistogram::ChunkHistogram(QWidget *parent) : QChartView(parent)
{
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(160);
    auto *chart = new QChart;
    chart->legend()->hide();
    chart->setMargins(QMargins(2, 2, 2, 2));
    chart->setBackgroundRoundness(0);
    setChart(chart);
}

void ChunkHistogram::setLengths(const std::vector<double> &lengths, const QString &unit)
{
    QChart *chart = this->chart();
    chart->removeAllSeries();
    for (QAbstractAxis *axis : chart->axes())
        chart->removeAxis(axis);
    m_bins.assign(kBins, 0);
    if (lengths.empty()) {
        chart->setTitle(tr("No chunks"));
        return;
    }
    const double hi = *std::max_element(lengths.begin(), lengths.end());
    const double width = std::max(1.0, std::ceil(hi / kBins));
    for (double len : lengths)
        ++m_bins[std::size_t(std::min(kBins - 1, int(len / width)))];
    auto *set = new QBarSet(tr("chunks"));
    QStringList categories;
    int maxCount = 0;
    for (int b = 0; b < kBins; ++b) {
        *set << m_bins[std::size_t(b)];
        maxCount = std::max(maxCount, m_bins[std::size_t(b)]);
        categories << QString::number(int(width * (b + 1)));
    }
    auto *series = new QBarSeries;
    series->append(set);
    series->setBarWidth(0.95);
    chart->addSeries(series);
    auto *x = new QBarCategoryAxis;
    x->append(categories);
    x->setTitleText(tr("length (%1, upper bound)").arg(unit));
    auto *y = new QValueAxis;
    y->setRange(0, maxCount);
    y->setLabelFormat(QStringLiteral("%d"));
    // Whole-number ticks even when only a few chunks are binned.
    y->setTickType(QValueAxis::TicksDynamic);
    y->setTickAnchor(0);
    y->setTickInterval(std::max(1, (maxCount + 4) / 5));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    chart->setTitle(tr("%n chunk(s)", nullptr, int(lengths.size())));
}

} // namespace rag
