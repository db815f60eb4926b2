#include "testserver.h"

#include "core/common/assets.h"
#include "core/net/httpclient.h"

#include <QProcessEnvironment>
#include <QStandardPaths>

namespace rag::test {

void clearProxyEnvironment()
{
    for (const char *name : {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
                             "no_proxy", "NO_PROXY"})
        qunsetenv(name);
}

QString nodeReferenceModules()
{
    return QString::fromStdString(rag::assetDir() + "/node-reference/node_modules");
}

TestServer::~TestServer()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.closeWriteChannel();
    if (!m_process.waitForFinished(3000)) {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
}

QString TestServer::start(const QStringList &extraArgs)
{
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (node.isEmpty())
        return QStringLiteral("node (v20) is not on PATH; run packaging/setup.sh");
    const QString script = QStringLiteral(RAG_SOURCE_DIR "/tests/reference/llm_test_server.cjs");
    m_process.setProgram(node);
    m_process.setArguments(QStringList{script} + extraArgs);
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process.start();
    if (!m_process.waitForStarted(10000))
        return QStringLiteral("could not start node: ") + m_process.errorString();
    while (!m_process.canReadLine()) {
        if (!m_process.waitForReadyRead(15000))
            return QStringLiteral("the test server did not report its ports: ") + m_process.errorString();
    }
    const auto ports = nlohmann::json::parse(m_process.readLine().toStdString(), nullptr, false);
    if (ports.is_discarded() || !ports.contains("http"))
        return QStringLiteral("the test server printed something other than its ports");
    m_port = ports["http"].get<int>();
    m_httpsPort = ports["https"].is_number() ? ports["https"].get<int>() : 0;
    return {};
}

std::string TestServer::url(std::string_view path) const
{
    return "http://127.0.0.1:" + std::to_string(m_port) + std::string(path);
}

std::string TestServer::httpsUrl(std::string_view path) const
{
    return "https://127.0.0.1:" + std::to_string(m_httpsPort) + std::string(path);
}

nlohmann::json TestServer::stats(std::string_view scenario, std::string_view id) const
{
    static const HttpClient client;
    HttpRequest request;
    request.method = HttpMethod::Get;
    request.url = url("/__stats/" + std::string(scenario) + "/" + std::string(id));
    const auto response = client.request(request, JobContext());
    if (!response || response->status != 200)
        return nlohmann::json();
    return nlohmann::json::parse(response->body, nullptr, false);
}

} // namespace rag::test
