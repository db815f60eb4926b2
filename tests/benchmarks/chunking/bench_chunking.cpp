// Recursive chunking throughput: chunkText (recursive, 1000 / 200 code points, one
// thread) against LangChain's RecursiveCharacterTextSplitter (node, same settings,
// tests/reference/chunking_bench.cjs) on the same text in the same run. The text is
// every SciFact title + abstract and every Cranfield abstract, repeated to 50 MB
// (RAGWB_BENCH_QUICK=1: 5 MB). Both sides are timed without file reading, best of N.
// Rates are given by wall time and by CPU time: on a shared, loaded machine the
// CPU-time rate is the per-core figure, and the 4x target is checked against it in
// full mode only. Exit 1 when something is broken: a side fails, the chunks break
// their bounds, or the chunk counts disagree by more than 0.5%.
#include "../../chunking/chunktestsupport.h"

#include "core/chunking/chunktext.h"
#include "core/common/assets.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <ctime>

using namespace rag;

namespace {

constexpr double kTargetRatio = 4.0;
constexpr int kSize = 1000;
constexpr int kOverlap = 200;

struct Measurement {
    double seconds = 1e300;    // best wall time
    double cpuSeconds = 1e300; // best CPU time
    std::size_t chunks = 0;
};

double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

// SciFact then Cranfield, one document per paragraph, repeated and cut (on a code
// point boundary) to `bytes`.
std::string buildText(std::size_t bytes)
{
    std::string corpus;
    for (const auto &documents : {test::scifactDocuments(SIZE_MAX), test::cranfieldDocuments(SIZE_MAX)}) {
        for (const auto &document : documents)
            corpus += document + "\n\n";
    }
    if (corpus.empty())
        return {};
    std::string text;
    text.reserve(bytes + corpus.size());
    while (text.size() < bytes)
        text += corpus;
    text.resize(utf8::boundaryAtOrBefore(text, bytes));
    return text;
}

Measurement measureEngine(const std::string &text, int reps, std::string *error)
{
    ChunkerConfig config;
    config.strategy = ChunkStrategy::Recursive;
    config.unit = ChunkUnit::Characters;
    config.size = kSize;
    config.overlap = kOverlap;
    Measurement best;
    for (int rep = 0; rep < reps; ++rep) {
        QElapsedTimer timer;
        const double cpuStart = threadCpuSeconds();
        timer.start();
        auto chunks = chunkText(text, config, nullptr);
        const double seconds = double(timer.nsecsElapsed()) / 1e9;
        const double cpuSeconds = threadCpuSeconds() - cpuStart;
        if (!chunks) {
            *error = chunks.error().message();
            return best;
        }
        best.seconds = std::min(best.seconds, seconds);
        best.cpuSeconds = std::min(best.cpuSeconds, cpuSeconds);
        best.chunks = chunks->size();
        if (rep == 0) {
            const test::Measure codePoints = [](std::string_view s) { return utf8::countCodePoints(s.data(), s.size()); };
            *error = test::checkInvariants(text, config, *chunks, codePoints, true);
            if (!error->empty())
                return best;
        }
    }
    return best;
}

Measurement measureLangChain(const std::string &path, int reps, std::string *error)
{
    Measurement result;
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    const std::string modules = assetDir() + "/node-reference/node_modules";
    if (node.isEmpty() || !QFile::exists(QString::fromStdString(modules + "/@langchain/textsplitters/package.json"))) {
        *error = "node or @langchain/textsplitters under " + modules + " is missing (run packaging/setup.sh)";
        return result;
    }
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("NODE_PATH"), QString::fromStdString(modules));
    process.setProcessEnvironment(environment);
    process.start(node, {QStringLiteral(RAG_SOURCE_DIR "/tests/reference/chunking_bench.cjs"),
                         QString::fromStdString(path), QString::number(kSize), QString::number(kOverlap),
                         QString::number(reps)});
    if (!process.waitForFinished(600'000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        *error = "chunking_bench.cjs failed: " + process.readAllStandardError().toStdString();
        return result;
    }
    try {
        const auto json = nlohmann::json::parse(process.readAllStandardOutput().toStdString());
        result.seconds = json.at("best").get<double>();
        result.cpuSeconds = json.at("bestCpu").get<double>();
        result.chunks = json.at("chunks").get<std::size_t>();
    } catch (const nlohmann::json::exception &e) {
        *error = std::string("unreadable chunking_bench.cjs output: ") + e.what();
    }
    return result;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const bool quick = qgetenv("RAGWB_BENCH_QUICK") == "1";
    const std::size_t bytes = quick ? 5'000'000 : 50'000'000;
    const int reps = quick ? 3 : 5;
    const std::string text = buildText(bytes);
    if (text.empty()) {
        std::fprintf(stderr, "SciFact/Cranfield missing under %s/datasets (run packaging/setup.sh)\n", RAG_SHARED_DIR);
        return 1;
    }
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("text.txt"));
    QFile file(path);
    if (!dir.isValid() || !file.open(QIODevice::WriteOnly) || file.write(text.data(), qint64(text.size())) != qint64(text.size())) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(path));
        return 1;
    }
    file.close();

    std::printf("recursive chunking, %d/%d code points, one thread, %s mode: %.1f MB of SciFact + Cranfield text, best of %d\n",
                kSize, kOverlap, quick ? "quick" : "full", double(text.size()) / 1e6, reps);
    std::string error;
    const Measurement langchain = measureLangChain(path.toStdString(), reps, &error);
    if (!error.empty()) {
        std::fprintf(stderr, "LangChain baseline: %s\n", error.c_str());
        return 1;
    }
    const Measurement engine = measureEngine(text, reps, &error);
    if (!error.empty()) {
        std::fprintf(stderr, "engine: %s\n", error.c_str());
        return 1;
    }
    const double mb = double(text.size()) / 1e6;
    const auto report = [mb](const char *name, const Measurement &m) {
        std::printf("  %-28s %9.1f MB/s wall (%.3f s)  %9.1f MB/s cpu (%.3f s)  %zu chunks\n", name, mb / m.seconds,
                    m.seconds, mb / m.cpuSeconds, m.cpuSeconds, m.chunks);
    };
    report("LangChain textsplitters", langchain);
    report("engine RecursiveChunker", engine);
    const double wallRatio = langchain.seconds / engine.seconds;
    const double cpuRatio = langchain.cpuSeconds / engine.cpuSeconds;
    std::printf("  ratio engine/LangChain: %.2fx wall, %.2fx cpu (target >= %.1fx)\n", wallRatio, cpuRatio, kTargetRatio);
    const double countDifference =
        std::abs(double(engine.chunks) - double(langchain.chunks)) / double(std::max<std::size_t>(1, langchain.chunks));
    std::printf("  chunk counts differ by %.3f%% (the engine drops chunks that lie inside a neighbour)\n",
                countDifference * 100);
    if (countDifference > 0.005) {
        std::fprintf(stderr, "chunk counts disagree by more than 0.5%%\n");
        return 1;
    }
    if (cpuRatio < kTargetRatio) {
        std::printf("  below the %.1fx target%s\n", kTargetRatio, quick ? " (quick mode: not a failure)" : "");
        if (!quick)
            return 1;
    }
    return 0;
}
