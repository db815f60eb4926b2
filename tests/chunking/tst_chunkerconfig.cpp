// ChunkerConfig: validation naming the field, canonical JSON, round trips and the
// identity hash.
#include "core/chunking/chunkerconfig.h"
#include "core/common/hashing.h"

#include <nlohmann/json.hpp>

#include <QTest>

#include <functional>

using namespace rag;

Q_DECLARE_METATYPE(rag::ChunkerConfig)
Q_DECLARE_METATYPE(std::string)
Q_DECLARE_METATYPE(rag::ErrorCode)

namespace {

ChunkerConfig configWith(const std::function<void(ChunkerConfig &)> &change)
{
    ChunkerConfig config;
    change(config);
    return config;
}

} // namespace

class TestChunkerConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultsAreValidAndCanonical()
    {
        const ChunkerConfig config;
        QVERIFY(config.validate());
        const std::string expected = R"({"overlap":200,"separators":["\n\n","\n"," ",""],"size":1000,)"
                                     R"("strategy":"recursive","unit":"characters","version":1})";
        QCOMPARE(config.canonicalJson(), expected);
        // Pinned: a changed value here means every stored chunk set lost its identity.
        QCOMPARE(config.hash(), std::string("67f73216c91ad2bf1ba71d49a75272c4317db15fa3fa580aaa7432e99ec1726b"));
        QCOMPARE(config.hash(), sha256Hex(expected));
    }

    void roundTrip_data()
    {
        QTest::addColumn<ChunkerConfig>("config");
        QTest::addColumn<std::string>("canonical");
        QTest::newRow("recursive-default") << ChunkerConfig()
            << std::string(R"({"overlap":200,"separators":["\n\n","\n"," ",""],"size":1000,"strategy":"recursive","unit":"characters","version":1})");
        QTest::newRow("fixed-tokens") << configWith([](ChunkerConfig &c) {
            c.strategy = ChunkStrategy::Fixed;
            c.unit = ChunkUnit::Tokens;
            c.size = 256;
            c.overlap = 0;
            c.encoding = "o200k_base";
        }) << std::string(R"({"encoding":"o200k_base","overlap":0,"size":256,"strategy":"fixed","unit":"tokens","version":1})");
        QTest::newRow("sentence-custom-separators") << configWith([](ChunkerConfig &c) {
            c.strategy = ChunkStrategy::Sentence;
            c.size = 500;
            c.overlap = 50;
            c.separators = {"\n\n", "。", ". ", ""};
        }) << std::string(R"({"overlap":50,"separators":["\n\n","。",". ",""],"size":500,"strategy":"sentence","unit":"characters","version":1})");
        QTest::newRow("markdown-tokens") << configWith([](ChunkerConfig &c) {
            c.strategy = ChunkStrategy::Markdown;
            c.unit = ChunkUnit::Tokens;
            c.size = 512;
            c.overlap = 64;
        }) << std::string(R"({"encoding":"cl100k_base","overlap":64,"separators":["\n\n","\n"," ",""],"size":512,"strategy":"markdown","unit":"tokens","version":1})");
    }

    void roundTrip()
    {
        QFETCH(ChunkerConfig, config);
        QFETCH(std::string, canonical);
        QVERIFY(config.validate());
        QCOMPARE(config.canonicalJson(), canonical);
        auto parsed = ChunkerConfig::fromJsonText(canonical);
        QVERIFY2(parsed, parsed ? "" : parsed.error().message().c_str());
        QVERIFY(*parsed == config);
        QCOMPARE(parsed->hash(), config.hash());
        // Key order and whitespace in the input do not matter; the output is canonical.
        const auto sorted = nlohmann::ordered_json::parse(canonical);
        std::vector<std::string> keys;
        for (const auto &item : sorted.items())
            keys.push_back(item.key());
        nlohmann::ordered_json backwards = nlohmann::ordered_json::object();
        for (auto key = keys.rbegin(); key != keys.rend(); ++key)
            backwards[*key] = sorted[*key];
        const std::string backwardsText = backwards.dump(4);
        QVERIFY(backwardsText.find("\"version\"") < backwardsText.find("\"overlap\""));
        auto reordered = ChunkerConfig::fromJsonText(backwardsText);
        QVERIFY(reordered && *reordered == config);
        QCOMPARE(reordered->canonicalJson(), canonical);
    }

    // Fields that cannot change the chunks do not change the identity; every field
    // that can, does.
    void hashTracksOnlyWhatMatters()
    {
        const ChunkerConfig base;
        QCOMPARE(configWith([](ChunkerConfig &c) { c.encoding = "o200k_base"; }).hash(), base.hash());
        const ChunkerConfig fixed = configWith([](ChunkerConfig &c) { c.strategy = ChunkStrategy::Fixed; });
        QCOMPARE(configWith([](ChunkerConfig &c) {
                     c.strategy = ChunkStrategy::Fixed;
                     c.separators = {" "};
                 }).hash(),
                 fixed.hash());
        const std::vector<ChunkerConfig> variants = {
            fixed,
            configWith([](ChunkerConfig &c) { c.strategy = ChunkStrategy::Sentence; }),
            configWith([](ChunkerConfig &c) { c.strategy = ChunkStrategy::Markdown; }),
            configWith([](ChunkerConfig &c) { c.unit = ChunkUnit::Tokens; }),
            configWith([](ChunkerConfig &c) {
                c.unit = ChunkUnit::Tokens;
                c.encoding = "o200k_base";
            }),
            configWith([](ChunkerConfig &c) { c.size = 1001; }),
            configWith([](ChunkerConfig &c) { c.overlap = 199; }),
            configWith([](ChunkerConfig &c) { c.separators = {"\n\n", "\n", ""}; }),
            configWith([](ChunkerConfig &c) { c.separators = {"\n", "\n\n", " ", ""}; }),
        };
        std::vector<std::string> hashes{base.hash()};
        for (const auto &variant : variants) {
            const std::string hash = variant.hash();
            QCOMPARE(hash.size(), std::size_t(64));
            QVERIFY2(std::find(hashes.begin(), hashes.end(), hash) == hashes.end(), variant.canonicalJson().c_str());
            hashes.push_back(hash);
        }
    }

    void normalizedDropsIrrelevantFields()
    {
        const ChunkerConfig config = configWith([](ChunkerConfig &c) {
            c.strategy = ChunkStrategy::Fixed;
            c.encoding = "o200k_base";
            c.separators = {"x"};
        });
        auto parsed = ChunkerConfig::fromJson(config.toJson());
        QVERIFY(parsed);
        QVERIFY(*parsed == config.normalized());
        QCOMPARE(parsed->encoding, std::string("cl100k_base"));
        QCOMPARE(parsed->separators, ChunkerConfig::defaultSeparators());
    }

    void invalidConfigsNameTheField_data()
    {
        QTest::addColumn<ChunkerConfig>("config");
        QTest::addColumn<std::string>("field");
        QTest::newRow("size-zero") << configWith([](ChunkerConfig &c) { c.size = 0; c.overlap = 0; }) << std::string("size");
        QTest::newRow("size-negative") << configWith([](ChunkerConfig &c) { c.size = -5; }) << std::string("size");
        QTest::newRow("size-huge") << configWith([](ChunkerConfig &c) { c.size = 1'000'000'000'000; }) << std::string("size");
        QTest::newRow("overlap-negative") << configWith([](ChunkerConfig &c) { c.overlap = -1; }) << std::string("overlap");
        QTest::newRow("overlap-equals-size") << configWith([](ChunkerConfig &c) { c.overlap = 1000; }) << std::string("overlap");
        QTest::newRow("overlap-above-size") << configWith([](ChunkerConfig &c) { c.size = 10; }) << std::string("overlap");
        QTest::newRow("unknown-encoding") << configWith([](ChunkerConfig &c) {
            c.unit = ChunkUnit::Tokens;
            c.encoding = "p50k_base";
        }) << std::string("encoding");
        QTest::newRow("no-separators") << configWith([](ChunkerConfig &c) { c.separators.clear(); })
                                       << std::string("separators");
        QTest::newRow("separator-not-utf8") << configWith([](ChunkerConfig &c) { c.separators = {"\n", "\xE2\x82", ""}; })
                                            << std::string("separators[1]");
    }

    void invalidConfigsNameTheField()
    {
        QFETCH(ChunkerConfig, config);
        QFETCH(std::string, field);
        auto valid = config.validate();
        QVERIFY(!valid);
        QCOMPARE(valid.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(valid.error().source, field);
        QVERIFY(!valid.error().detail.empty());
    }

    void badJsonNamesTheKey_data()
    {
        QTest::addColumn<std::string>("json");
        QTest::addColumn<ErrorCode>("code");
        QTest::addColumn<std::string>("source");
        const std::string tail = R"("strategy":"recursive","unit":"characters")";
        QTest::newRow("not-json") << std::string("{size: 3") << ErrorCode::Parse << std::string("chunker config");
        QTest::newRow("not-object") << std::string("[1,2]") << ErrorCode::Parse << std::string();
        QTest::newRow("missing-size") << std::string(R"({"overlap":0,)" + tail + "}") << ErrorCode::Parse
                                      << std::string("size");
        QTest::newRow("typo-key") << std::string(R"({"sise":5,"size":5,"overlap":0,)" + tail + "}")
                                  << ErrorCode::Parse << std::string("sise");
        QTest::newRow("size-string") << std::string(R"({"size":"5","overlap":0,)" + tail + "}") << ErrorCode::Parse
                                     << std::string("size");
        QTest::newRow("size-float") << std::string(R"({"size":5.5,"overlap":0,)" + tail + "}") << ErrorCode::Parse
                                    << std::string("size");
        QTest::newRow("bad-strategy")
            << std::string(R"({"size":5,"overlap":0,"strategy":"semantic","unit":"characters"})") << ErrorCode::Parse
            << std::string("strategy");
        QTest::newRow("bad-unit") << std::string(R"({"size":5,"overlap":0,"strategy":"fixed","unit":"bytes"})")
                                  << ErrorCode::Parse << std::string("unit");
        QTest::newRow("separator-not-string")
            << std::string(R"({"size":5,"overlap":0,"separators":["a",3],)" + tail + "}") << ErrorCode::Parse
            << std::string("separators[1]");
        QTest::newRow("newer-version") << std::string(R"({"size":5,"overlap":0,"version":99,)" + tail + "}")
                                       << ErrorCode::SchemaTooNew << std::string("version");
    }

    void badJsonNamesTheKey()
    {
        QFETCH(std::string, json);
        QFETCH(ErrorCode, code);
        QFETCH(std::string, source);
        auto parsed = ChunkerConfig::fromJsonText(json);
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, code);
        QCOMPARE(parsed.error().source, source);
    }

    void parsedValuesAreValidatedSeparately()
    {
        auto parsed = ChunkerConfig::fromJsonText(R"({"size":5,"overlap":9,"strategy":"fixed","unit":"characters"})");
        QVERIFY(parsed);
        QCOMPARE(parsed->size, std::int64_t(5));
        QCOMPARE(parsed->overlap, std::int64_t(9));
        QCOMPARE(parsed->strategy, ChunkStrategy::Fixed);
        auto valid = parsed->validate();
        QVERIFY(!valid);
        QCOMPARE(valid.error().source, std::string("overlap"));
    }
};

QTEST_GUILESS_MAIN(TestChunkerConfig)
#include "tst_chunkerconfig.moc"
