#include "core/net/keychainsecretstore.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QObject>
#include <QThread>
#include <QTimer>
#include <qt6keychain/keychain.h>

#include <future>

namespace rag {

namespace {

struct JobOutcome {
    QKeychain::Error error = QKeychain::OtherError;
    std::string message;
    std::string secret;
};

ErrorCode codeFor(QKeychain::Error error)
{
    switch (error) {
    case QKeychain::EntryNotFound: return ErrorCode::NotFound;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented: return ErrorCode::Unsupported;
    case QKeychain::AccessDeniedByUser: return ErrorCode::Cancelled;
    default: return ErrorCode::Io;
    }
}

// Starts one QtKeychain job on the current thread; `done` runs there when it finishes.
void startJob(const QString &service, KeychainSecretStore::Operation operation, const QString &name,
              const QString &secret, std::function<void(JobOutcome)> done)
{
    QKeychain::Job *job = nullptr;
    switch (operation) {
    case KeychainSecretStore::Operation::Read:
        job = new QKeychain::ReadPasswordJob(service);
        break;
    case KeychainSecretStore::Operation::Write: {
        auto *write = new QKeychain::WritePasswordJob(service);
        write->setTextData(secret);
        job = write;
        break;
    }
    case KeychainSecretStore::Operation::Remove:
        job = new QKeychain::DeletePasswordJob(service);
        break;
    }
    job->setKey(name);
    job->setInsecureFallback(false);
    job->setAutoDelete(true);
    QObject::connect(job, &QKeychain::Job::finished, job, [done = std::move(done)](QKeychain::Job *finished) {
        JobOutcome outcome;
        outcome.error = finished->error();
        outcome.message = finished->errorString().toStdString();
        if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(finished))
            outcome.secret = read->textData().toStdString();
        done(std::move(outcome));
    });
    job->start();
}

} // namespace

KeychainSecretStore::KeychainSecretStore(std::string service, std::chrono::milliseconds timeout)
    : m_service(std::move(service))
    , m_timeout(timeout)
    , m_home(std::make_unique<QObject>())
{
}

KeychainSecretStore::~KeychainSecretStore() = default;

Result<std::string> KeychainSecretStore::run(Operation operation, const std::string &name,
                                             const std::string &secret) const
{
    if (!QCoreApplication::instance())
        return fail(ErrorCode::Unsupported, "the OS keychain needs a QCoreApplication", name);
    const QString service = QString::fromStdString(m_service);
    const QString key = QString::fromStdString(name);
    const QString value = QString::fromStdString(secret);
    const std::string waited = "the OS keychain did not answer within " + std::to_string(m_timeout.count() / 1000) + " s";

    JobOutcome outcome;
    if (QThread::currentThread() == m_home->thread()) {
        // On the home thread: spin a local loop until the job is done.
        QEventLoop loop;
        bool finished = false;
        startJob(service, operation, key, value, [&](JobOutcome o) {
            outcome = std::move(o);
            finished = true;
            loop.quit();
        });
        if (!finished) {
            QTimer::singleShot(m_timeout, &loop, &QEventLoop::quit);
            loop.exec();
        }
        if (!finished)
            return fail(ErrorCode::Io, waited, name);
    } else {
        // From a job thread: the home thread's event loop runs the job; wait for it here.
        auto promise = std::make_shared<std::promise<JobOutcome>>();
        auto future = promise->get_future();
        QMetaObject::invokeMethod(m_home.get(), [=] {
            startJob(service, operation, key, value, [promise](JobOutcome o) { promise->set_value(std::move(o)); });
        }, Qt::QueuedConnection);
        if (future.wait_for(m_timeout) != std::future_status::ready)
            return fail(ErrorCode::Io, waited + " (is the main thread running its event loop?)", name);
        outcome = future.get();
    }
    if (outcome.error != QKeychain::NoError)
        return fail(codeFor(outcome.error), "OS keychain: " + outcome.message, name);
    return std::move(outcome.secret);
}

Result<std::string> KeychainSecretStore::read(const std::string &name) const
{
    auto secret = run(Operation::Read, name, {});
    if (secret && secret->empty())
        return fail(ErrorCode::NotFound, "the OS keychain entry is empty", name);
    return secret;
}

Result<void> KeychainSecretStore::write(const std::string &name, const std::string &secret)
{
    if (auto done = run(Operation::Write, name, secret); !done)
        return std::unexpected(done.error());
    return {};
}

Result<void> KeychainSecretStore::remove(const std::string &name)
{
    if (auto done = run(Operation::Remove, name, {}); !done)
        return std::unexpected(done.error());
    return {};
}

} // namespace rag
