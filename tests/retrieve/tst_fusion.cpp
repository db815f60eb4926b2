// Fusion: reciprocal rank fusion and weighted fusion on hand-computed cases,
// per-leg ranks kept, thresholds and top-k.
#include "core/retrieve/fusion.h"

#include <QTest>

using namespace rag;

namespace {
std::vector<LegHit> leg(std::initializer_list<std::pair<std::int64_t, double>> hits)
{
    std::vector<LegHit> out;
    for (auto [id, score] : hits)
        out.push_back(LegHit{id, score});
    return out;
}
} // namespace

class TestFusion : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rrf_data()
    {
        QTest::addColumn<int>("k");
        QTest::addColumn<QList<qint64>>("order");
        QTest::addColumn<double>("topScore");
        // keyword: 1, 2, 3; dense: 3, 1, 4.
        // k = 60: 1 -> 1/61 + 1/62 = 0.032522; 3 -> 1/63 + 1/61 = 0.032266;
        //         2 -> 1/62 = 0.016129; 4 -> 1/63 = 0.015873.
        QTest::newRow("k=60") << 60 << QList<qint64>{1, 3, 2, 4} << (1.0 / 61 + 1.0 / 62);
        // k = 0: 1 -> 1 + 1/2 = 1.5; 3 -> 1/3 + 1 = 1.3333; 2 -> 0.5; 4 -> 0.3333.
        QTest::newRow("k=0") << 0 << QList<qint64>{1, 3, 2, 4} << 1.5;
    }
    void rrf()
    {
        QFETCH(int, k);
        QFETCH(QList<qint64>, order);
        QFETCH(double, topScore);
        const auto fused = fuse(leg({{1, 9.0}, {2, 5.0}, {3, 1.0}}), leg({{3, 0.9}, {1, 0.8}, {4, 0.1}}),
                                FusionParams{FusionMethod::Rrf, k, 0.5});
        QCOMPARE(fused.size(), std::size_t(order.size()));
        for (qsizetype i = 0; i < order.size(); ++i) {
            QCOMPARE(fused[std::size_t(i)].chunkId, order[i]);
            QCOMPARE(fused[std::size_t(i)].rank, int(i) + 1);
        }
        QVERIFY(qAbs(fused[0].score - topScore) < 1e-12);
        // Per-leg ranks and scores are kept.
        QCOMPARE(*fused[0].keywordRank, 1);
        QCOMPARE(*fused[0].denseRank, 2);
        QCOMPARE(*fused[0].keywordScore, 9.0);
        QCOMPARE(*fused[0].denseScore, 0.8);
        QVERIFY(!fused[2].denseRank);   // chunk 2: keyword only
        QVERIFY(!fused[3].keywordRank); // chunk 4: dense only
    }

    void weighted()
    {
        // keyword 10, 6, 2 -> normalised 1, 0.5, 0; dense 0.9, 0.5 -> 1, 0.
        // alpha 0.25: 1 -> 0.75*1 + 0.25*0 = 0.75 (dense rank 2 -> 0);
        //             2 -> 0.75*0.5 = 0.375; 3 -> 0.75*0 + 0.25*1 = 0.25.
        const auto fused = fuse(leg({{1, 10}, {2, 6}, {3, 2}}), leg({{3, 0.9}, {1, 0.5}}),
                                FusionParams{FusionMethod::Weighted, 60, 0.25});
        QCOMPARE(fused.size(), std::size_t(3));
        QCOMPARE(fused[0].chunkId, std::int64_t(1));
        QCOMPARE(fused[0].score, 0.75);
        QCOMPARE(fused[1].chunkId, std::int64_t(2));
        QCOMPARE(fused[1].score, 0.375);
        QCOMPARE(fused[2].chunkId, std::int64_t(3));
        QCOMPARE(fused[2].score, 0.25);
        // alpha 1 follows the dense leg alone for what it retrieved.
        const auto denseOnly = fuse(leg({{1, 10}, {2, 6}}), leg({{2, 0.9}, {1, 0.5}}),
                                    FusionParams{FusionMethod::Weighted, 60, 1.0});
        QCOMPARE(denseOnly[0].chunkId, std::int64_t(2));
    }

    void emptyLegsAndTies()
    {
        QVERIFY(fuse({}, {}, FusionParams{}).empty());
        const auto only = fuse(leg({{5, 1.0}, {4, 1.0}}), {}, FusionParams{});
        QCOMPARE(only.size(), std::size_t(2));
        QCOMPARE(only[0].chunkId, std::int64_t(5));  // rank 1 beats rank 2
        // Equal fused scores break by chunk id.
        const auto tie = fuse(leg({{7, 1.0}}), leg({{3, 1.0}}), FusionParams{});
        QCOMPARE(tie[0].chunkId, std::int64_t(3));
        QCOMPARE(tie[1].chunkId, std::int64_t(7));
    }

    void cutAppliesThresholdThenTopK()
    {
        auto hits = single(leg({{1, 0.9}, {2, 0.7}, {3, 0.5}, {4, 0.3}}), true);
        QCOMPARE(*hits[1].denseRank, 2);
        QCOMPARE(cut(hits, 2, std::nullopt).size(), std::size_t(2));
        QCOMPARE(cut(hits, 10, 0.6).size(), std::size_t(2));
        QCOMPARE(cut(hits, 1, 0.6).front().chunkId, std::int64_t(1));
        QCOMPARE(cut(hits, 0, std::nullopt).size(), std::size_t(4));
    }
};

QTEST_GUILESS_MAIN(TestFusion)
#include "tst_fusion.moc"
