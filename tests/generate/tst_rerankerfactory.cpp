// makeReranker against the scripted server (tests/reference/llm_test_server.cjs):
// each spec builds the wire its provider speaks (Cohere results for cohere, jina and
// llama.cpp; TEI's bare array for tei), the scores land at their candidates' positions
// and equal the server's word-overlap scores; llm:<chat spec> ranks by the chat
// model's reply; keys are looked up by provider name; bad specs fail clearly.
#include "core/generate/rerankerfactory.h"
#include "../net/testserver.h"

#include <QTest>

#include <map>
#include <mutex>

using namespace rag;

namespace {

using Keys = std::map<std::string, std::string>;

// Keys held in memory; records which names were asked for.
class RecordingSecrets final : public SecretStore {
public:
    explicit RecordingSecrets(std::map<std::string, std::string> keys = {}, bool broken = false)
        : m_keys(std::move(keys)), m_broken(broken)
    {
    }
    Result<std::string> read(const std::string &name) const override
    {
        std::lock_guard lock(m_mutex);
        m_asked.push_back(name);
        if (m_broken)
            return fail(ErrorCode::Io, "the keychain is locked", name);
        const auto it = m_keys.find(name);
        if (it == m_keys.end())
            return fail(ErrorCode::NotFound, "no such key", name);
        return it->second;
    }
    Result<void> write(const std::string &name, const std::string &secret) override
    {
        m_keys[name] = secret;
        return {};
    }
    Result<void> remove(const std::string &name) override
    {
        m_keys.erase(name);
        return {};
    }
    std::string describe() const override { return "test store"; }
    std::vector<std::string> asked() const
    {
        std::lock_guard lock(m_mutex);
        return m_asked;
    }

private:
    std::map<std::string, std::string> m_keys;
    bool m_broken;
    mutable std::mutex m_mutex;
    mutable std::vector<std::string> m_asked;
};

const std::vector<std::string> kDocs{"nothing here", "alpha beta", "alpha", "beta gamma alpha delta"};
const std::string kQuery = "alpha beta gamma delta";

} // namespace

class TestRerankerFactory : public QObject {
    Q_OBJECT

private:
    test::TestServer m_server;
    std::shared_ptr<HttpClient> m_http = std::make_shared<HttpClient>();

private Q_SLOTS:
    void initTestCase()
    {
        test::clearProxyEnvironment();
        const QString error = m_server.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void remoteSpecsScoreLikeTheServer_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("keyName");
        QTest::newRow("cohere") << "cohere:rerank-v3.5" << "rerank" << "cohere:rerank-v3.5" << "cohere";
        QTest::newRow("jina") << "jina:jina-reranker-v2-base-multilingual" << "rerank"
                              << "jina:jina-reranker-v2-base-multilingual" << "jina";
        QTest::newRow("llamacpp") << "llamacpp:any" << "rerank" << "llamacpp:any" << "llamacpp";
        QTest::newRow("tei") << "tei" << "rerank-tei" << "tei" << "tei";
        QTest::newRow("tei-named") << "tei:bge-reranker-base" << "rerank-tei" << "tei:bge-reranker-base" << "tei";
    }
    void remoteSpecsScoreLikeTheServer()
    {
        QFETCH(QString, spec);
        QFETCH(QString, scenario);
        QFETCH(QString, name);
        QFETCH(QString, keyName);
        RecordingSecrets secrets(Keys{{"cohere", "co-key"}});
        RerankerSettings settings;
        settings.baseUrl = m_server.url("/" + scenario.toStdString() + "/" + QTest::currentDataTag() + "/v1");
        auto reranker = makeReranker(spec.toStdString(), settings, secrets, m_http);
        QVERIFY2(reranker.has_value(), reranker ? "" : reranker.error().message().c_str());
        QCOMPARE(QString::fromStdString(reranker->name), name);
        QCOMPARE(secrets.asked(), std::vector<std::string>{keyName.toStdString()});
        auto scores = reranker->score(kQuery, kDocs, {});
        QVERIFY2(scores.has_value(), scores ? "" : scores.error().message().c_str());
        QCOMPARE(*scores, (std::vector<double>{0.0, 0.5, 0.25, 1.0}));
        const auto stats = m_server.stats(scenario.toStdString(), QTest::currentDataTag());
        QCOMPARE(stats["requests"].get<int>(), 1);
    }

    void llmSpecRanksByTheChatReply()
    {
        // The openai-stream reply is "Héllo, wörld ... line2 ...": the only passage
        // number in it is 2, so passage 2 comes first and the rest keep their order.
        RecordingSecrets secrets;
        RerankerSettings settings;
        settings.chat.baseUrl = m_server.url("/openai-stream/llm1/v1");
        auto reranker = makeReranker("llm:openai:gpt-test", settings, secrets, m_http);
        QVERIFY2(reranker.has_value(), reranker ? "" : reranker.error().message().c_str());
        QCOMPARE(QString::fromStdString(reranker->name), QStringLiteral("llm:openai:gpt-test"));
        const std::vector<std::string> docs{"one", "two", "three"};
        auto scores = reranker->score("which?", docs, {});
        QVERIFY2(scores.has_value(), scores ? "" : scores.error().message().c_str());
        QCOMPARE(*scores, (std::vector<double>{2.0, 3.0, 1.0}));
    }

    void keyRequiredAtTheProviderDefault()
    {
        RecordingSecrets none;
        auto missing = makeReranker("cohere:rerank-v3.5", {}, none, m_http);
        QVERIFY(!missing.has_value());
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
        QVERIFY(missing.error().detail.find("no API key for cohere") != std::string::npos);
        RecordingSecrets stored(Keys{{"cohere", "co-key"}});
        QVERIFY(makeReranker("cohere:rerank-v3.5", {}, stored, m_http).has_value());
        // A keychain that fails (not merely lacks the key) is reported, not skipped.
        RecordingSecrets broken(Keys{}, true);
        auto locked = makeReranker("jina:jina-reranker-v2-base-multilingual", {}, broken, m_http);
        QVERIFY(!locked.has_value());
        QCOMPARE(locked.error().code, ErrorCode::Io);
    }

    void badSpecsFailClearly_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("baseUrl");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown provider") << "voyage:rerank-2" << "" << "unknown reranker 'voyage'";
        QTest::newRow("empty") << "" << "" << "unknown reranker ''";
        QTest::newRow("cohere without model") << "cohere" << "http://127.0.0.1:1" << "cohere needs a model";
        QTest::newRow("tei without base url") << "tei" << "" << "set the reranker's base URL";
        QTest::newRow("llm without chat spec") << "llm:" << "" << "llm needs a chat model";
        QTest::newRow("llm with unknown chat") << "llm:nosuch:model" << "" << "unknown chat provider 'nosuch'";
    }
    void badSpecsFailClearly()
    {
        QFETCH(QString, spec);
        QFETCH(QString, baseUrl);
        QFETCH(QString, message);
        RecordingSecrets secrets;
        RerankerSettings settings;
        settings.baseUrl = baseUrl.toStdString();
        auto reranker = makeReranker(spec.toStdString(), settings, secrets, m_http);
        QVERIFY(!reranker.has_value());
        QCOMPARE(reranker.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(reranker.error().detail.find(message.toStdString()) != std::string::npos,
                 reranker.error().detail.c_str());
    }
};

QTEST_GUILESS_MAIN(TestRerankerFactory)
#include "tst_rerankerfactory.moc"
