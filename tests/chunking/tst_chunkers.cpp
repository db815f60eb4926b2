// The chunkers: the invariants of chunkText for every strategy and unit on real
// texts, and hand-checked chunks on small inputs.
#include "chunktestsupport.h"

#include "core/chunking/chunktext.h"
#include "core/chunking/sentencesegmenter.h"
#include "core/common/assets.h"
#include "core/tokenize/bpetokenizer.h"

#include <QTest>

#include <algorithm>
#include <memory>

using namespace rag;
using namespace rag::test;

Q_DECLARE_METATYPE(rag::ChunkStrategy)
Q_DECLARE_METATYPE(rag::ChunkUnit)
Q_DECLARE_METATYPE(std::string)
Q_DECLARE_METATYPE(std::vector<std::string>)

namespace {

ChunkerConfig makeConfig(ChunkStrategy strategy, ChunkUnit unit, std::int64_t size, std::int64_t overlap)
{
    ChunkerConfig config;
    config.strategy = strategy;
    config.unit = unit;
    config.size = size;
    config.overlap = overlap;
    return config;
}

std::vector<std::string> chunkTexts(std::string_view text, const std::vector<Chunk> &chunks)
{
    std::vector<std::string> out;
    for (const Chunk &chunk : chunks)
        out.emplace_back(text.substr(std::size_t(chunk.start), std::size_t(chunk.end - chunk.start)));
    return out;
}

std::string joined(const std::vector<std::string> &parts)
{
    std::string out;
    for (const auto &part : parts)
        out += "[" + part + "]";
    return out;
}

std::string joinDocuments(const std::vector<std::string> &documents)
{
    std::string out;
    for (const auto &document : documents)
        out += (out.empty() ? "" : "\n\n") + document;
    return out;
}

} // namespace

class TestChunkers : public QObject {
    Q_OBJECT

private:
    std::shared_ptr<const BpeTokenizer> m_cl100k;
    WordTokenCounter m_words;

    const TokenCounter *counterFor(const QByteArray &unitName) const
    {
        if (unitName == "words")
            return &m_words;
        if (unitName == "cl100k")
            return m_cl100k.get();
        return nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto loaded = BpeTokenizer::load("cl100k_base");
        QVERIFY2(loaded, ("cl100k_base ranks are missing (run packaging/setup.sh): "
                          + (loaded ? std::string() : loaded.error().message())).c_str());
        m_cl100k = *loaded;
        QVERIFY2(scifactDocuments(1).size() == 1, "SciFact corpus missing under RAG_SHARED_DIR/datasets (run packaging/setup.sh)");
        QVERIFY2(cranfieldDocuments(1).size() == 1, "Cranfield corpus missing under RAG_SHARED_DIR/datasets (run packaging/setup.sh)");
    }

    // Every strategy x unit on real and adversarial texts: spans on code point
    // boundaries, no chunk over the size, coverage without text gaps, overlaps
    // bounded (exact for fixed windows), trimming, reproduction of the text.
    void invariants_data()
    {
        QTest::addColumn<ChunkStrategy>("strategy");
        QTest::addColumn<QByteArray>("unitName");
        QTest::addColumn<std::string>("text");
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("overlap");

        const std::vector<std::pair<const char *, std::string>> texts = {
            {"scifact", joinDocuments(scifactDocuments(25))},
            {"cranfield", joinDocuments(cranfieldDocuments(25))},
            {"markdown", markdownSample()},
            {"multilingual", multilingualSample()},
            {"longword", "Sequence: " + std::string(2600, 'G') + "ATTACA and then " + std::string(700, 'x')
                             + " words again.\n\n\n   \n\t\nTail paragraph after blank lines."},
        };
        const std::vector<std::tuple<const char *, int, int>> sizes = {
            {"characters", 400, 80}, {"characters", 60, 15}, {"characters", 7, 3}, {"characters", 1000, 0},
            {"words", 40, 10}, {"words", 5, 2},
            {"cl100k", 128, 32}, {"cl100k", 12, 4},
        };
        for (const ChunkStrategy strategy :
             {ChunkStrategy::Fixed, ChunkStrategy::Recursive, ChunkStrategy::Sentence, ChunkStrategy::Markdown}) {
            for (const auto &[textName, text] : texts) {
                for (const auto &[unitName, size, overlap] : sizes) {
                    const std::string row = std::string(chunkStrategyName(strategy)) + "/" + unitName + "/"
                                            + textName + "/" + std::to_string(size) + "-" + std::to_string(overlap);
                    QTest::newRow(row.c_str()) << strategy << QByteArray(unitName) << text << size << overlap;
                }
            }
        }
    }

    void invariants()
    {
        QFETCH(ChunkStrategy, strategy);
        QFETCH(QByteArray, unitName);
        QFETCH(std::string, text);
        QFETCH(int, size);
        QFETCH(int, overlap);

        const TokenCounter *counter = counterFor(unitName);
        const ChunkerConfig config =
            makeConfig(strategy, counter ? ChunkUnit::Tokens : ChunkUnit::Characters, size, overlap);
        auto chunks = chunkText(text, config, counter);
        QVERIFY2(chunks, chunks ? "" : chunks.error().message().c_str());
        QVERIFY(!chunks->empty());
        const Measure measure = [counter](std::string_view s) {
            return counter ? counter->countTokens(s) : utf8::countCodePoints(s.data(), s.size());
        };
        const std::string failure = checkInvariants(text, config, *chunks, measure, unitName != "cl100k");
        QVERIFY2(failure.empty(), failure.c_str());
        for (const Chunk &chunk : *chunks) {
            if (strategy != ChunkStrategy::Markdown)
                QVERIFY(chunk.headingPath.empty());
        }
    }

    void emptyAndWhitespaceTextsGiveNoChunks_data()
    {
        QTest::addColumn<ChunkStrategy>("strategy");
        QTest::addColumn<std::string>("text");
        for (const ChunkStrategy strategy :
             {ChunkStrategy::Fixed, ChunkStrategy::Recursive, ChunkStrategy::Sentence, ChunkStrategy::Markdown}) {
            const std::string name = chunkStrategyName(strategy);
            QTest::newRow((name + "/empty").c_str()) << strategy << std::string();
            QTest::newRow((name + "/spaces").c_str()) << strategy << std::string(" \n\n\t \u00a0\u3000 \r\n");
        }
    }

    void emptyAndWhitespaceTextsGiveNoChunks()
    {
        QFETCH(ChunkStrategy, strategy);
        QFETCH(std::string, text);
        auto chunks = chunkText(text, makeConfig(strategy, ChunkUnit::Characters, 4, 1), nullptr);
        QVERIFY(chunks);
        QCOMPARE(chunks->size(), std::size_t(0));
    }

    // Small inputs whose chunks were worked out by hand; the recursive ones were
    // also run through LangChain's RecursiveCharacterTextSplitter, and agree with it
    // except where a comment says why.
    void handChecked_data()
    {
        QTest::addColumn<ChunkStrategy>("strategy");
        QTest::addColumn<QByteArray>("unitName");
        QTest::addColumn<std::string>("text");
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("overlap");
        QTest::addColumn<std::vector<std::string>>("expected");

        using V = std::vector<std::string>;
        const auto F = ChunkStrategy::Fixed;
        const auto R = ChunkStrategy::Recursive;
        const auto S = ChunkStrategy::Sentence;
        const QByteArray chars("characters");
        QTest::newRow("fixed/ascii") << F << chars << std::string("abcdefghij") << 4 << 1
                                     << V{"abcd", "defg", "ghij"};
        QTest::newRow("fixed/no-overlap-short-tail") << F << chars << std::string("abcdefghij") << 3 << 0
                                                     << V{"abc", "def", "ghi", "j"};
        QTest::newRow("fixed/accents") << F << chars << std::string("héllo wörld") << 5 << 2
                                       << V{"héllo", "lo wö", "wörld"};
        QTest::newRow("fixed/emoji-zwj") << F << chars << std::string("👩‍🔬🧬🚀") << 2 << 1
                                         << V{"👩\u200d", "\u200d🔬", "🔬🧬", "🧬🚀"};
        QTest::newRow("fixed/whitespace-window-dropped") << F << chars << std::string("ab   \n   cd") << 3 << 0
                                                         << V{"ab ", "cd"};
        QTest::newRow("fixed/words") << F << QByteArray("words") << std::string("one two three four five six seven")
                                     << 3 << 1 << V{"one two three ", " three four five ", " five six seven"};
        QTest::newRow("recursive/langchain-example")
            << R << chars << std::string("Hello world, this is a test.\n\nAnother para here.") << 10 << 3
            << V{"Hello", "world,", "this is a", "a test.", "Another", "para", "here."};
        // LangChain splits "" by UTF-16 unit and yields "c😀", "\ude00de" here.
        QTest::newRow("recursive/code-points") << R << chars << std::string("añb€c😀de") << 3 << 1
                                               << V{"añb", "b€c", "c😀d", "de"};
        // LangChain adds "cd" after "ab cd": the carried tail, flushed before the long word.
        QTest::newRow("recursive/drops-repeated-overlap-tail")
            << R << chars << std::string("ab cd  efghijklmn") << 5 << 3
            << V{"ab cd", "efgh", "fghij", "hijkl", "jklmn"};
        // LangChain adds "zz" before "zz ww": a window whose leading "  " piece trims away.
        QTest::newRow("recursive/drops-prefix-of-next") << R << chars << std::string("xx yy  zz ww") << 6 << 3
                                                        << V{"xx yy", "zz ww"};
        QTest::newRow("recursive/paragraphs-packed")
            << R << chars << std::string("Alpha beta.\n\nGamma delta.\n\nEpsilon.") << 30 << 0
            << V{"Alpha beta.\n\nGamma delta.", "Epsilon."};
        QTest::newRow("sentence/overlap-whole-sentences")
            << S << chars << std::string("One two. Three four. Five six. Seven eight.") << 30 << 12
            << V{"One two. Three four.", "Three four. Five six.", "Five six. Seven eight."};
        QTest::newRow("sentence/long-sentence-falls-back")
            << S << chars
            << std::string("Short one. This sentence is definitely much longer than the tiny size limit.") << 20
            << 0 << V{"Short one.", "This sentence is", "definitely much", "longer than the", "tiny size limit."};
        QTest::newRow("sentence/words-unit")
            << S << QByteArray("words") << std::string("A b c. D e. F g. H i j.") << 5 << 2
            << V{"A b c. D e.", "D e. F g.", "F g. H i j."};
    }

    void handChecked()
    {
        QFETCH(ChunkStrategy, strategy);
        QFETCH(QByteArray, unitName);
        QFETCH(std::string, text);
        QFETCH(int, size);
        QFETCH(int, overlap);
        QFETCH(std::vector<std::string>, expected);
        const TokenCounter *counter = counterFor(unitName);
        auto chunks = chunkText(text, makeConfig(strategy, counter ? ChunkUnit::Tokens : ChunkUnit::Characters,
                                                 size, overlap),
                                counter);
        QVERIFY2(chunks, chunks ? "" : chunks.error().message().c_str());
        QCOMPARE(joined(chunkTexts(text, *chunks)), joined(expected));
    }

    void sentenceBoundaries_data()
    {
        QTest::addColumn<std::string>("text");
        QTest::addColumn<std::vector<std::string>>("sentences");
        using V = std::vector<std::string>;
        QTest::newRow("abbreviations-decimals-ellipsis")
            << std::string("Dr. Smith arrived at 3.30 p.m. on Monday. He saw Fig. 2 first! Then he left... "
                           "Was it late? \"Yes,\" she said.")
            << V{"Dr. Smith arrived at 3.30 p.m. on Monday.", "He saw Fig. 2 first!", "Then he left...",
                 "Was it late?", "\"Yes,\" she said."};
        QTest::newRow("dotted-abbreviations")
            << std::string("We used e.g. PCR and i.e. nothing else. Results in Table 2. The U.S. Army agreed.")
            << V{"We used e.g. PCR and i.e. nothing else.", "Results in Table 2.", "The U.S. Army agreed."};
        QTest::newRow("paragraph-break")
            << std::string("A heading without a period\n\nBody starts here. It ends here")
            << V{"A heading without a period", "Body starts here.", "It ends here"};
        QTest::newRow("wrapped-lines") << std::string("a line that wraps\nonto the next. And\nanother one.")
                                       << V{"a line that wraps\nonto the next.", "And\nanother one."};
        QTest::newRow("closing-quote") << std::string("He said \"Stop.\" Then he left.")
                                       << V{"He said \"Stop.\"", "Then he left."};
        QTest::newRow("units-and-numbers") << std::string("The value was 3.5 mm. Next sentence. 42 is a number.")
                                           << V{"The value was 3.5 mm.", "Next sentence.", "42 is a number."};
        QTest::newRow("et-al-and-initials")
            << std::string("Smith et al. (2020) showed this. J. R. R. Tolkien wrote books. They sold.")
            << V{"Smith et al. (2020) showed this.", "J. R. R. Tolkien wrote books.", "They sold."};
        QTest::newRow("lowercase-after-period") << std::string("See the appendix. then continue. Done.")
                                                << V{"See the appendix. then continue.", "Done."};
        QTest::newRow("cjk") << std::string("東京は日本の首都です。北京是中国的首都。")
                             << V{"東京は日本の首都です。", "北京是中国的首都。"};
        QTest::newRow("unicode-capitals") << std::string("Il est arrivé. Écoutez bien. Ωραία.")
                                          << V{"Il est arrivé.", "Écoutez bien.", "Ωραία."};
    }

    void sentenceBoundaries()
    {
        QFETCH(std::string, text);
        QFETCH(std::vector<std::string>, sentences);
        std::vector<std::string> found;
        std::size_t begin = 0;
        auto starts = SentenceSegmenter::boundaries(text, 0, text.size());
        starts.push_back(text.size());
        for (const std::size_t start : starts) {
            const std::size_t end = utf8::skipWhitespaceBackward(text, begin, start);
            found.push_back(text.substr(begin, end - begin));
            begin = start;
        }
        QCOMPARE(joined(found), joined(sentences));
    }

    void markdownHandChecked()
    {
        const std::string text = "# A\n\nPara one.\n\n## B\n\n```\ncode\n\n# not a heading\n```\n\nText B.\n\n"
                                 "C\n===\nFinal.\n";
        auto chunks = chunkText(text, makeConfig(ChunkStrategy::Markdown, ChunkUnit::Characters, 100, 0), nullptr);
        QVERIFY(chunks);
        QCOMPARE(joined(chunkTexts(text, *chunks)),
                 joined({"# A\n\nPara one.", "## B\n\n```\ncode\n\n# not a heading\n```\n\nText B.", "C\n===\nFinal."}));
        QCOMPARE(chunks->size(), std::size_t(3));
        QCOMPARE((*chunks)[0].headingPath, std::string("A"));
        QCOMPARE((*chunks)[1].headingPath, std::string("A > B"));
        QCOMPARE((*chunks)[2].headingPath, std::string("C"));
    }

    // Every chunk carries the path of the section its text comes from.
    void markdownHeadingPaths_data()
    {
        QTest::addColumn<std::string>("needle");
        QTest::addColumn<std::string>("headingPath");
        // Single words: at small sizes a chunk may end between any two words.
        QTest::newRow("front-matter") << std::string("Workbench") << std::string();
        QTest::newRow("preamble") << std::string("Preamble") << std::string();
        QTest::newRow("h1") << std::string("evaluates") << std::string("Intro");
        QTest::newRow("h2") << std::string("dependencies") << std::string("Intro > Setup");
        QTest::newRow("fenced-hash-is-no-heading") << std::string("Ninja") << std::string("Intro > Setup");
        QTest::newRow("setext-h2") << std::string("overlap") << std::string("Intro > Usage notes");
        QTest::newRow("atx-closing-hashes") << std::string("tildes") << std::string("Intro > Usage notes > Deep");
        QTest::newRow("setext-h1") << std::string("Closing") << std::string("Second top level");
    }

    void markdownHeadingPaths()
    {
        QFETCH(std::string, needle);
        QFETCH(std::string, headingPath);
        const std::string text = markdownSample();
        for (const int size : {60, 200, 2000}) {
            auto chunks = chunkText(text, makeConfig(ChunkStrategy::Markdown, ChunkUnit::Characters, size, size / 5),
                                    nullptr);
            QVERIFY(chunks);
            const std::size_t at = text.find(needle);
            QVERIFY(at != std::string::npos);
            int holders = 0;
            for (const Chunk &chunk : *chunks) {
                if (std::size_t(chunk.start) <= at && at + needle.size() <= std::size_t(chunk.end)) {
                    QCOMPARE(chunk.headingPath, headingPath);
                    ++holders;
                }
            }
            QVERIFY2(holders > 0, ("no chunk holds \"" + needle + "\" at size " + std::to_string(size)).c_str());
        }
    }

    // A fence that fits the size is never cut, whatever the unit; one that does
    // not fit is the only thing that gets split.
    void markdownKeepsFencesWhole_data()
    {
        QTest::addColumn<QByteArray>("unitName");
        QTest::addColumn<int>("size");
        QTest::newRow("characters-120") << QByteArray("characters") << 120;
        QTest::newRow("characters-400") << QByteArray("characters") << 400;
        QTest::newRow("words-24") << QByteArray("words") << 24;
        QTest::newRow("cl100k-40") << QByteArray("cl100k") << 40;
    }

    void markdownKeepsFencesWhole()
    {
        QFETCH(QByteArray, unitName);
        QFETCH(int, size);
        const std::string text = markdownSample();
        const TokenCounter *counter = counterFor(unitName);
        auto chunks = chunkText(text, makeConfig(ChunkStrategy::Markdown, counter ? ChunkUnit::Tokens
                                                                                  : ChunkUnit::Characters,
                                                 size, size / 4),
                                counter);
        QVERIFY(chunks);
        for (const std::string &fence : {std::string("```bash"), std::string("~~~\nfenced")}) {
            const std::size_t open = text.find(fence);
            const std::size_t close = text.find(fence.substr(0, 3), open + 3) + 3;
            const bool covered = std::any_of(chunks->begin(), chunks->end(), [&](const Chunk &chunk) {
                return std::size_t(chunk.start) <= open && close <= std::size_t(chunk.end);
            });
            QVERIFY2(covered, ("fence at " + std::to_string(open) + " was cut").c_str());
        }
    }

    void markdownSplitsOversizedFence()
    {
        std::string code = "```\n";
        for (int i = 0; i < 40; ++i)
            code += "line " + std::to_string(i) + " of a long listing\n";
        code += "```\n";
        const std::string text = "# Code\n\n" + code + "\nAfter.\n";
        const ChunkerConfig config = makeConfig(ChunkStrategy::Markdown, ChunkUnit::Characters, 200, 40);
        auto chunks = chunkText(text, config, nullptr);
        QVERIFY(chunks);
        QVERIFY(chunks->size() >= 5);
        const Measure measure = [](std::string_view s) { return utf8::countCodePoints(s.data(), s.size()); };
        const std::string failure = checkInvariants(text, config, *chunks, measure, true);
        QVERIFY2(failure.empty(), failure.c_str());
        for (const Chunk &chunk : *chunks)
            QCOMPARE(chunk.headingPath, std::string("Code"));
    }

    void rejectsBadInput()
    {
        const std::string invalid = "valid start \xC3\x28 broken";
        auto parsed = chunkText(invalid, ChunkerConfig(), nullptr);
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, ErrorCode::Parse);
        QCOMPARE(parsed.error().source, std::string("byte 12"));

        ChunkerConfig tokens;
        tokens.unit = ChunkUnit::Tokens;
        auto missing = chunkText("some text", tokens, nullptr);
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(missing.error().source, std::string("tokens"));

        auto o200k = BpeTokenizer::load("o200k_base");
        QVERIFY2(o200k, "o200k_base ranks are missing (run packaging/setup.sh)");
        auto wrongEncoding = chunkText("some text", tokens, o200k->get());
        QVERIFY(!wrongEncoding);
        QCOMPARE(wrongEncoding.error().code, ErrorCode::Mismatch);
        QCOMPARE(wrongEncoding.error().source, std::string("tokens"));
        tokens.encoding = "o200k_base";
        QVERIFY(chunkText("some text", tokens, o200k->get()));

        ChunkerConfig bad;
        bad.overlap = bad.size;
        auto rejected = chunkText("some text", bad, nullptr);
        QVERIFY(!rejected);
        QCOMPARE(rejected.error().source, std::string("overlap"));
    }
};

QTEST_GUILESS_MAIN(TestChunkers)
#include "tst_chunkers.moc"
