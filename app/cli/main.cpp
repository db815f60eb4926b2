// ragwb: the headless command line over the same engine as the desktop app.
#include "app/cli/cliutil.h"
#include "app/cli/commands.h"

#include <QCoreApplication>

#include <cstdio>
#include <cstring>

namespace {

struct Command {
    const char *name;
    const char *summary;
    int (*run)(const QStringList &);
};

const Command kCommands[] = {
    {"init", "create an empty project file", rag::cli::runInit},
    {"ingest", "import files and folders into a project", rag::cli::runIngest},
    {"chunk", "create or refresh a chunk set", rag::cli::runChunk},
    {"index", "build a BM25, HNSW or flat index over a chunk set", rag::cli::runIndex},
    {"query", "retrieve chunks for a question (bm25, dense, hybrid)", rag::cli::runQuery},
    {"ask", "answer a question with citations (a chat model, or extractive offline)", rag::cli::runAsk},
    {"embed", "embed texts with the local neural embedder", rag::cli::runEmbed},
    {"eval", "evaluate a retrieval pipeline on a BEIR folder", rag::cli::runEval},
    {"compare", "compare two eval reports with paired statistics (CI gate)", rag::cli::runCompare},
    {"evalset", "import, list and run eval sets stored in a project", rag::cli::runEvalSetCommand},
    {"sweep", "run a grid of pipelines on an eval set, one run per point", rag::cli::runSweepCommand},
    {"runs", "list, export and import a project's runs", rag::cli::runRunsCommand},
    {"judge", "answer an eval set and score it with an LLM judge (faithfulness, relevance, context)", rag::cli::runJudge},
    {"info", "show what a project holds", rag::cli::runInfo},
};

void printUsage(FILE *to)
{
    std::fprintf(to, "usage: ragwb <command> [options]\n\ncommands:\n");
    for (const Command &c : kCommands)
        std::fprintf(to, "  %-8s %s\n", c.name, c.summary);
    std::fprintf(to, "\n'ragwb <command> --help' describes a command's options.\n"
                     "Exit codes: 0 success, 1 failure, 2 usage error, 3 metric below --fail-under or a\n"
                     "significant regression in compare --fail-on-regression.\n");
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ragwb"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RAG_VERSION));
    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 2 || args[1] == QStringLiteral("--help") || args[1] == QStringLiteral("-h")) {
        printUsage(args.size() < 2 ? stderr : stdout);
        return args.size() < 2 ? rag::cli::Usage : rag::cli::Ok;
    }
    if (args[1] == QStringLiteral("--version")) {
        std::printf("ragwb %s\n", RAG_VERSION);
        return rag::cli::Ok;
    }
    for (const Command &c : kCommands) {
        if (args[1] == QLatin1String(c.name)) {
            QStringList rest = args.mid(1);
            rest[0] = QStringLiteral("ragwb ") + rest[0];
            return c.run(rest);
        }
    }
    std::fprintf(stderr, "ragwb: unknown command '%s'\n", qPrintable(args[1]));
    printUsage(stderr);
    return rag::cli::Usage;
}
