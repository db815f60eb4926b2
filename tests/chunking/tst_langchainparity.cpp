// The recursive chunker against LangChain's RecursiveCharacterTextSplitter
// (@langchain/textsplitters, run by tests/reference/chunking_reference.cjs on the
// same texts and configs). The chunk texts must be identical, with one documented
// exception: LangChain sometimes emits a chunk that lies inside its neighbour:
// a carried overlap tail flushed on its own (the next piece is too large to join
// it) repeats the end of the chunk before, and a window whose leading whitespace
// piece trims away yields a prefix of the chunk after. The engine drops those
// (ChunkSink), so such LangChain chunks, and only such, are skipped here.
#include "chunktestsupport.h"

#include "core/chunking/chunktext.h"
#include "core/common/assets.h"
#include "core/tokenize/bpetokenizer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace rag;
using namespace rag::test;

namespace {

struct ParityConfig {
    const char *name;
    int size;
    int overlap;
    bool tokens;
    std::vector<std::string> separators; // empty: the defaults
};

// LangChain's own separator list for markdown (getSeparatorsForLanguage("markdown")):
// multi-character separators, some of which overlap each other in the text.
std::vector<std::string> markdownSeparators()
{
    return {"\n## ", "\n### ", "\n#### ", "\n##### ", "\n###### ", "```\n\n", "\n\n***\n\n",
            "\n\n---\n\n", "\n\n___\n\n", "\n\n", "\n", " ", ""};
}

const std::vector<ParityConfig> &parityConfigs()
{
    static const std::vector<ParityConfig> configs = {
        {"chars-1000-200", 1000, 200, false, {}},
        {"chars-400-80", 400, 80, false, {}},
        {"chars-100-20", 100, 20, false, {}},
        {"chars-25-5", 25, 5, false, {}},
        {"chars-8-2", 8, 2, false, {}},
        {"chars-300-0", 300, 0, false, {}},
        {"chars-markdown-seps-200-40", 200, 40, false, markdownSeparators()},
        {"chars-sentence-seps-300-60", 300, 60, false, {". ", "\n", " ", ""}},
        {"cl100k-256-32", 256, 32, true, {}},
        {"cl100k-32-8", 32, 8, true, {}},
    };
    return configs;
}

std::string nodeModules()
{
    return assetDir() + "/node-reference/node_modules";
}

} // namespace

class TestLangChainParity : public QObject {
    Q_OBJECT

private:
    std::shared_ptr<const BpeTokenizer> m_cl100k;
    std::vector<std::string> m_texts;
    nlohmann::json m_reference; // results[text][config] = [chunk text, ...]

private Q_SLOTS:
    void initTestCase()
    {
        auto loaded = BpeTokenizer::load("cl100k_base");
        QVERIFY2(loaded, ("cl100k_base ranks are missing (run packaging/setup.sh): "
                          + (loaded ? std::string() : loaded.error().message())).c_str());
        m_cl100k = *loaded;
        const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
        QVERIFY2(!node.isEmpty(), "node is not on PATH (run packaging/setup.sh)");
        QVERIFY2(QFileInfo::exists(QString::fromStdString(nodeModules() + "/@langchain/textsplitters/package.json")),
                 ("@langchain/textsplitters is missing under " + nodeModules() + " (run packaging/setup.sh)").c_str());

        m_texts = scifactDocuments(200);
        QVERIFY2(m_texts.size() == 200, "SciFact corpus missing under RAG_SHARED_DIR/datasets (run packaging/setup.sh)");
        const auto cranfield = cranfieldDocuments(40);
        QVERIFY2(cranfield.size() == 40, "Cranfield corpus missing under RAG_SHARED_DIR/datasets (run packaging/setup.sh)");
        std::string scifactJoined, cranfieldJoined;
        for (const auto &text : m_texts)
            scifactJoined += text + "\n\n";
        for (const auto &text : cranfield)
            cranfieldJoined += text + "\n\n\n";
        m_texts.insert(m_texts.end(), cranfield.begin(), cranfield.end());
        m_texts.push_back(scifactJoined);
        m_texts.push_back(cranfieldJoined);
        m_texts.push_back(markdownSample());
        m_texts.push_back(multilingualSample());
        m_texts.push_back(" \n\nLeading blank lines, then\n\n\n\nfour newlines, a \u3000wide space\u00a0and tabs\t\there.\n\n");

        nlohmann::json input;
        input["texts"] = m_texts;
        input["configs"] = nlohmann::json::array();
        for (const ParityConfig &config : parityConfigs()) {
            nlohmann::json entry = {{"chunkSize", config.size},
                                    {"chunkOverlap", config.overlap},
                                    {"length", config.tokens ? "cl100k_base" : "codepoints"}};
            if (!config.separators.empty())
                entry["separators"] = config.separators;
            input["configs"].push_back(entry);
        }
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString inputPath = dir.filePath(QStringLiteral("input.json"));
        const QString outputPath = dir.filePath(QStringLiteral("output.json"));
        QFile file(inputPath);
        QVERIFY(file.open(QIODevice::WriteOnly));
        const std::string inputText = input.dump();
        file.write(inputText.data(), qint64(inputText.size()));
        file.close();

        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("NODE_PATH"), QString::fromStdString(nodeModules()));
        process.setProcessEnvironment(environment);
        process.start(node, {QStringLiteral(RAG_SOURCE_DIR "/tests/reference/chunking_reference.cjs"), inputPath,
                             outputPath});
        QVERIFY2(process.waitForFinished(240'000), "chunking_reference.cjs did not finish");
        QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0,
                 process.readAllStandardError().constData());
        QFile output(outputPath);
        QVERIFY(output.open(QIODevice::ReadOnly));
        const QByteArray bytes = output.readAll();
        m_reference = nlohmann::json::parse(bytes.constData(), bytes.constData() + bytes.size());
        QCOMPARE(m_reference.at("version").get<std::string>(), std::string("1.0.2"));
        QCOMPARE(m_reference.at("results").size(), m_texts.size());
    }

    void identicalChunks_data()
    {
        QTest::addColumn<int>("configIndex");
        for (std::size_t i = 0; i < parityConfigs().size(); ++i)
            QTest::newRow(parityConfigs()[i].name) << int(i);
    }

    // Chunk for chunk the same texts (up to the redundant chunks described above);
    // for tokens, a text may differ only from the first chunk where LangChain's own
    // output breaks the size or the overlap measured on its text (firstTokenBoundBreak).
    void identicalChunks()
    {
        QFETCH(int, configIndex);
        const ParityConfig &parity = parityConfigs()[std::size_t(configIndex)];
        ChunkerConfig config;
        config.strategy = ChunkStrategy::Recursive;
        config.unit = parity.tokens ? ChunkUnit::Tokens : ChunkUnit::Characters;
        config.size = parity.size;
        config.overlap = parity.overlap;
        if (!parity.separators.empty())
            config.separators = parity.separators;
        const TokenCounter *counter = parity.tokens ? m_cl100k.get() : nullptr;
        const Measure measure = [counter](std::string_view s) {
            return counter ? counter->countTokens(s) : utf8::countCodePoints(s.data(), s.size());
        };
        std::size_t compared = 0;
        std::size_t skipped = 0;
        std::size_t divergentTexts = 0;
        for (std::size_t t = 0; t < m_texts.size(); ++t) {
            const std::string &text = m_texts[t];
            auto chunks = chunkText(text, config, counter);
            QVERIFY2(chunks, chunks ? "" : chunks.error().message().c_str());
            const std::string failure = checkInvariants(text, config, *chunks, measure, true);
            QVERIFY2(failure.empty(), ("text " + std::to_string(t) + ": " + failure).c_str());
            std::vector<std::string> ours;
            for (const Chunk &chunk : *chunks)
                ours.emplace_back(text.substr(std::size_t(chunk.start), std::size_t(chunk.end - chunk.start)));
            const auto theirs = m_reference["results"][t][std::size_t(configIndex)].get<std::vector<std::string>>();
            compared += ours.size();
            const long aligned = skippedInAlignment(ours, theirs);
            if (aligned >= 0) {
                skipped += std::size_t(aligned);
                continue;
            }
            const std::size_t firstBreak =
                parity.tokens ? firstTokenBoundBreak(theirs, config, measure) : std::string::npos;
            QVERIFY2(firstBreak != std::string::npos,
                     ("text " + std::to_string(t) + ": chunks differ from LangChain's (" + std::to_string(ours.size())
                      + " vs " + std::to_string(theirs.size()) + ") and LangChain's chunks respect the size and overlap")
                         .c_str());
            QVERIFY2(skippedInAlignment(ours, theirs, firstBreak) >= 0,
                     ("text " + std::to_string(t) + ": chunks differ from LangChain's before its chunk "
                      + std::to_string(firstBreak) + ", the first that breaks the token bounds")
                         .c_str());
            ++divergentTexts;
        }
        QVERIFY(compared > m_texts.size());
        QVERIFY2(skipped * 50 <= compared, "more than 2% of LangChain's chunks had no counterpart");
        qInfo("%zu chunks over %zu texts; %zu redundant LangChain chunks skipped; %zu texts differ where "
              "LangChain breaks the token bounds",
              compared, m_texts.size(), skipped, divergentTexts);
        if (!parity.tokens)
            QCOMPARE(divergentTexts, std::size_t(0));
    }

private:
    // A LangChain chunk that lies inside a neighbour: the engine drops it.
    static bool redundant(const std::vector<std::string> &theirs, std::size_t j)
    {
        return (j > 0 && theirs[j - 1].ends_with(theirs[j]))
               || (j + 1 < theirs.size() && theirs[j + 1].starts_with(theirs[j]));
    }

    // Whether `ours` is `theirs` with some redundant chunks left out; the number
    // left out, or -1. With `prefix` < theirs.size(), whether theirs[0, prefix) is
    // a prefix of ours that way. Equal texts can repeat in a list ("|" twice in a
    // table), so this searches all alignments (up to kMaxSkips left out) instead
    // of deciding greedily.
    static long skippedInAlignment(const std::vector<std::string> &ours, const std::vector<std::string> &theirs,
                                   std::size_t prefix = std::string::npos)
    {
        constexpr std::size_t kMaxSkips = 64;
        const bool whole = prefix >= theirs.size();
        const std::size_t count = whole ? theirs.size() : prefix;
        std::vector<std::vector<char>> reachable(count + 1, std::vector<char>(kMaxSkips + 1, 0));
        reachable[0][0] = 1;
        for (std::size_t j = 0; j < count; ++j) {
            for (std::size_t d = 0; d <= kMaxSkips && d <= j; ++d) {
                if (!reachable[j][d])
                    continue;
                const std::size_t i = j - d;
                if (i < ours.size() && ours[i] == theirs[j])
                    reachable[j + 1][d] = 1;
                if (d < kMaxSkips && redundant(theirs, j))
                    reachable[j + 1][d + 1] = 1;
            }
        }
        for (std::size_t d = 0; d <= kMaxSkips && d <= count; ++d) {
            if (reachable[count][d] && (!whole || count - d == ours.size()))
                return long(d);
        }
        return -1;
    }

    // Why LangChain's token chunks may legitimately differ from ours: it sums the
    // token counts of the pieces, but a chunk is trimmed, and "survival" alone has
    // more tokens than " survival"; the engine re-measures the real chunk and the
    // real shared text and carries less. Returns the index of LangChain's first
    // chunk that is over the size or shares too much with the one before (up to
    // there both lists must agree), or npos when there is none.
    static std::size_t firstTokenBoundBreak(const std::vector<std::string> &theirs, const ChunkerConfig &config,
                                            const Measure &measure)
    {
        for (std::size_t j = 0; j < theirs.size(); ++j) {
            if (measure(theirs[j]) > std::size_t(config.size))
                return j;
            if (j == 0)
                continue;
            // The longest suffix of the previous chunk that starts this one: an upper
            // bound of the text the two share.
            const std::string &previous = theirs[j - 1];
            const std::string &current = theirs[j];
            for (std::size_t length = std::min(previous.size(), current.size()); length > 0; --length) {
                if (previous.compare(previous.size() - length, length, current, 0, length) == 0) {
                    if (measure(std::string_view(current).substr(0, length)) > std::size_t(config.overlap))
                        return j;
                    break;
                }
            }
        }
        return std::string::npos;
    }
};

QTEST_GUILESS_MAIN(TestLangChainParity)
#include "tst_langchainparity.moc"
