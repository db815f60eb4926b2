#pragma once
// TestServer: starts tests/reference/llm_test_server.cjs (Node) on 127.0.0.1 with
// ephemeral ports for one test executable and stops it on destruction (closing its
// stdin makes it exit). Paths are "/<scenario>/<id>/...", see the script's header.
// Used from the test's main thread only.
#include <QProcess>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace rag::test {

// Removes proxy variables so loopback requests go direct (tests that exercise the
// proxy set their own).
void clearProxyEnvironment();

// NODE_PATH for reference scripts: rag::assetDir() + "/node-reference/node_modules".
QString nodeReferenceModules();

class TestServer {
public:
    TestServer() = default;
    ~TestServer();
    TestServer(const TestServer &) = delete;
    TestServer &operator=(const TestServer &) = delete;

    // Empty on success, else why the server could not start (with the fix).
    QString start(const QStringList &extraArgs = {});

    std::string url(std::string_view path) const;       // "http://127.0.0.1:<port>" + path
    std::string httpsUrl(std::string_view path) const;  // needs --tls-cert/--tls-key
    int port() const { return m_port; }

    // GET /__stats/<scenario>/<id>: {"requests": n, "served": {text: count}}.
    nlohmann::json stats(std::string_view scenario, std::string_view id) const;

private:
    QProcess m_process;
    int m_port = 0;
    int m_httpsPort = 0;
};

} // namespace rag::test
