// Network stack benchmark, every number against a baseline measured in the same run
// on the same input and the same local server:
//  1. small-request round trips: HttpClient (pooled connections) vs a fresh libcurl
//     easy handle per request (a new TCP connection each time), and vs one bare easy
//     handle reused (the floor: what cancellation and pooling cost on top);
//  2. embedding 16-text batches from a server that takes 20 ms per request (a remote
//     model's latency): 4 parallel requests vs 1;
//  3. SSE parsing of an OpenAI-style stream: SseParser vs @langchain/core's parser (Node).
// Exits non-zero only when something is broken (wrong results, server missing), never
// on a timing. Timings are wall clock on a shared 2-core machine: expect noise.
#include "core/common/assets.h"
#include "core/net/httpclient.h"
#include "core/net/openaiembedder.h"
#include "core/net/sseparser.h"
#include "../../net/testserver.h"

#include <QCoreApplication>
#include <QProcess>
#include <QProcessEnvironment>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <curl/curl.h>
#include <nlohmann/json.hpp>

using namespace rag;
using WallClock = std::chrono::steady_clock;

namespace {

double secondsSince(WallClock::time_point t0)
{
    return std::chrono::duration<double>(WallClock::now() - t0).count();
}

std::size_t discard(char *, std::size_t size, std::size_t count, void *)
{
    return size * count;
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

// Microseconds per request for `n` GETs through one of the three clients.
enum class Method { Pooled, Fresh, Reused };

bool timeRequests(Method method, HttpClient &client, CURL *reused, const std::string &url, int n, double &usPerRequest)
{
    HttpRequest request;
    request.method = HttpMethod::Get;
    request.url = url;
    const auto t0 = WallClock::now();
    for (int i = 0; i < n; ++i) {
        long status = 0;
        if (method == Method::Pooled) {
            const auto r = client.request(request, JobContext());
            status = r ? r->status : 0;
        } else if (method == Method::Fresh) {
            CURL *easy = curl_easy_init();
            curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
            curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &discard);
            if (curl_easy_perform(easy) == CURLE_OK)
                curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
            curl_easy_cleanup(easy);
        } else if (curl_easy_perform(reused) == CURLE_OK) {
            curl_easy_getinfo(reused, CURLINFO_RESPONSE_CODE, &status);
        }
        if (status != 200) {
            std::printf("FAILED: request %d (method %d) answered %ld\n", i, int(method), status);
            return false;
        }
    }
    usPerRequest = secondsSince(t0) / n * 1e6;
    return true;
}

// The three clients take turns in rounds and each reports its median round, so load
// from other processes on the machine hits them alike.
bool benchRoundTrips(const test::TestServer &server, int rounds, int perRound)
{
    HttpClient client;
    const std::string url = server.url("/ok/bench");
    CURL *reused = curl_easy_init();
    curl_easy_setopt(reused, CURLOPT_URL, url.c_str());
    curl_easy_setopt(reused, CURLOPT_WRITEFUNCTION, &discard);
    std::vector<double> pooled, fresh, kept;
    bool ok = true;
    for (int r = 0; r < rounds && ok; ++r) {
        double us = 0;
        ok = ok && timeRequests(Method::Pooled, client, reused, url, perRound, us);
        pooled.push_back(us);
        ok = ok && timeRequests(Method::Fresh, client, reused, url, perRound, us);
        fresh.push_back(us);
        ok = ok && timeRequests(Method::Reused, client, reused, url, perRound, us);
        kept.push_back(us);
    }
    curl_easy_cleanup(reused);
    if (!ok)
        return false;
    const double p = median(pooled), f = median(fresh), k = median(kept);
    std::printf("round trips (%d rounds x %d sequential GETs per client, median round)\n", rounds, perRound);
    std::printf("  HttpClient, pooled connection:   %8.1f us/request  %8.0f req/s\n", p, 1e6 / p);
    std::printf("  baseline, new connection each:   %8.1f us/request  %8.0f req/s\n", f, 1e6 / f);
    std::printf("  ratio baseline/HttpClient time:  %8.2fx\n", f / p);
    std::printf("  bare libcurl, one handle reused: %8.1f us/request (HttpClient costs %.2fx that)\n", k, p / k);
    return true;
}

bool benchEmbeddings(const test::TestServer &server, int texts)
{
    std::vector<std::string> input;
    for (int i = 0; i < texts; ++i)
        input.push_back("benchmark passage " + std::to_string(i) + " about retrieval and chunking");
    const std::vector<std::string_view> views(input.begin(), input.end());
    auto http = std::make_shared<HttpClient>();
    double seconds[2] = {0, 0};
    const int parallel[2] = {4, 1};
    for (int run = 0; run < 2; ++run) {
        OpenAiEmbedderOptions o;
        o.provider = "bench";
        o.baseUrl = server.url("/embed-latency-20/bench" + std::to_string(run) + "/v1");
        o.model = "bench-embed";
        o.dimension = 256;
        o.requestDimensions = true;
        o.maxInputsPerRequest = 16;
        o.parallelRequests = parallel[run];
        OpenAiEmbedder embedder(o, http);
        const auto t0 = WallClock::now();
        const auto matrix = embedder.embed(views, JobContext());
        seconds[run] = secondsSince(t0);
        if (!matrix || matrix->size() != input.size() * 256) {
            std::printf("FAILED: embedding run %d: %s\n", run, matrix ? "wrong size" : matrix.error().message().c_str());
            return false;
        }
    }
    std::printf("embeddings (%d texts, 16 per request, dimension 256, server answers after 20 ms)\n", texts);
    std::printf("  4 parallel requests:             %8.0f texts/s\n", texts / seconds[0]);
    std::printf("  baseline, 1 request at a time:   %8.0f texts/s\n", texts / seconds[1]);
    std::printf("  ratio baseline/parallel time:    %8.2fx\n", seconds[1] / seconds[0]);
    return true;
}

std::string syntheticStream(std::size_t bytes, std::size_t &events)
{
    std::string body;
    events = 0;
    while (body.size() < bytes) {
        const std::string eol = events % 2 ? "\r\n" : "\n";
        body += "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                "\"delta\":{\"content\":\"token " + std::to_string(events) + " \\u00e9\"},\"finish_reason\":null}]}"
              + eol + eol;
        if (events % 50 == 0)
            body += ": keep-alive\n\n";
        ++events;
    }
    return body;
}

bool benchSse(std::size_t megabytes)
{
    std::size_t expected = 0;
    const std::string body = syntheticStream(megabytes << 20, expected);
    constexpr std::size_t kSlice = 1460;  // one TCP segment's payload

    double best = 1e9;
    for (int rep = 0; rep < 3; ++rep) {
        SseParser parser;
        std::size_t events = 0;
        const auto t0 = WallClock::now();
        for (std::size_t i = 0; i < body.size(); i += kSlice)
            events += parser.feed(std::string_view(body).substr(i, kSlice)).size();
        best = std::min(best, secondsSince(t0));
        if (events != expected) {
            std::printf("FAILED: SseParser found %zu events, expected %zu\n", events, expected);
            return false;
        }
    }

    QProcess node;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("NODE_PATH", test::nodeReferenceModules());
    node.setProcessEnvironment(env);
    node.start("node", {RAG_SOURCE_DIR "/tests/reference/llm_test_server_sse_reference.cjs",
                        QString::number(kSlice), "--time"});
    if (!node.waitForStarted(10000)) {
        std::printf("FAILED: node did not start; run packaging/setup.sh\n");
        return false;
    }
    node.write(body.data(), qint64(body.size()));
    node.closeWriteChannel();
    node.waitForFinished(300000);
    const auto reference = nlohmann::json::parse(node.readAllStandardOutput().toStdString(), nullptr, false);
    if (reference.is_discarded() || reference["events"].get<std::size_t>() != expected) {
        std::printf("FAILED: the langchain reference did not parse the stream (is @langchain/core installed? "
                    "run packaging/setup.sh)\n");
        return false;
    }
    const double nodeSeconds = reference["ms"].get<double>() / 1000.0;
    const double mb = double(body.size()) / (1 << 20);
    std::printf("SSE parsing (%.1f MB, %zu events, fed in %zu-byte slices)\n", mb, expected, kSlice);
    std::printf("  SseParser:                       %8.1f MB/s  %8.2f M events/s\n", mb / best, expected / best / 1e6);
    std::printf("  baseline, @langchain/core (Node):%8.1f MB/s\n", mb / nodeSeconds);
    std::printf("  ratio baseline/SseParser time:   %8.2fx\n", nodeSeconds / best);
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const bool quick = qgetenv("RAGWB_BENCH_QUICK") == "1";
    std::printf("bench_net (%s mode; shared machine, timings are noisy)\n", quick ? "quick" : "full");
    test::clearProxyEnvironment();
    test::TestServer server;
    if (const QString error = server.start(); !error.isEmpty()) {
        std::printf("FAILED: %s\n", qPrintable(error));
        return 1;
    }
    bool ok = benchRoundTrips(server, quick ? 10 : 30, quick ? 30 : 100);
    ok = benchEmbeddings(server, quick ? 512 : 8192) && ok;
    ok = benchSse(quick ? 4 : 32) && ok;
    return ok ? 0 : 1;
}
