// Offscreen GUI test over real widgets and a real project file: dropping files
// on the window imports them and chunks appear in the preview; changing the
// chunk size re-chunks; building indexes fills the variant list; a query fills
// every lane, re-fusion works on cached candidates, and a result opens its
// document at the chunk.
#include "core/jobs/jobrunner.h"
#include "core/workbench.h"
#include "models/documentlistmodel.h"
#include "models/importoutcomemodel.h"
#include "models/indexvariantmodel.h"
#include "models/laneresultmodel.h"
#include "ui/chunkconfigeditor.h"
#include "ui/chunkhistogram.h"
#include "ui/chunkpreview.h"
#include "ui/documentspane.h"
#include "ui/documentviewer.h"
#include "ui/indexpane.h"
#include "ui/laneview.h"
#include "ui/mainwindow.h"
#include "ui/playgroundpane.h"
#include "ui/projectsession.h"

#include <QApplication>
#include <QComboBox>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <memory>

using namespace rag;

namespace {

QString paragraph(const QString &topic, int n)
{
    QString text;
    for (int i = 0; i < n; ++i)
        text += QStringLiteral("The %1 section explains step %2 of the %1 workflow in plain words. ").arg(topic).arg(i);
    return text;
}

std::size_t codePoints(std::string_view s)
{
    std::size_t n = 0;
    for (char c : s)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void dropImportsAndPreviews();
    void changingSizeRechunks();
    void buildingIndexesFillsVariants();
    void queryFillsEveryLane();

private:
    void dropFiles(const QStringList &paths);

    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<JobRunner> m_runner;
    std::unique_ptr<ProjectSession> m_session;
    std::unique_ptr<MainWindow> m_window;
    QStringList m_files;
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    const QStringList topics = {QStringLiteral("embedding"), QStringLiteral("zebra")};
    for (const QString &topic : topics) {
        const QString path = m_dir.filePath(topic + QStringLiteral(".md"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QStringLiteral("# %1 guide\n\n%2\n\n## Details über %1\n\n%3\n").arg(topic, paragraph(topic, 25), paragraph(topic, 20)).toUtf8());
        m_files << path;
    }
    m_settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    m_settings->setValue(QStringLiteral("chunking/size"), 400);
    m_settings->setValue(QStringLiteral("chunking/overlap"), 50);
    m_runner = std::make_unique<JobRunner>();
    m_session = std::make_unique<ProjectSession>(*m_runner);
    m_window = std::make_unique<MainWindow>(*m_session, *m_settings);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QSignalSpy opened(m_session.get(), &ProjectSession::opened);
    m_session->open(m_dir.filePath(QStringLiteral("test.ragwb")));
    QVERIFY(opened.wait(20000));
    QTRY_VERIFY_WITH_TIMEOUT(m_session->state() != nullptr, 20000);
}

void TestMainWindow::cleanupTestCase()
{
    m_window.reset();
    m_runner->cancelAll();
    m_runner->waitForAll();
    m_session.reset();
    m_runner.reset();
}

void TestMainWindow::dropFiles(const QStringList &paths)
{
    QMimeData mime;
    QList<QUrl> urls;
    for (const QString &p : paths)
        urls << QUrl::fromLocalFile(p);
    mime.setUrls(urls);
    const QPoint pos = m_window->rect().center();
    QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &drop);
    QVERIFY(drop.isAccepted());
}

void TestMainWindow::dropImportsAndPreviews()
{
    DocumentsPane *pane = m_window->documentsPane();
    QSignalSpy imported(m_session.get(), &ProjectSession::importFinished);
    dropFiles(m_files);
    QVERIFY(imported.wait(30000));
    QTRY_COMPARE_WITH_TIMEOUT(pane->documentModel()->rowCount(), 2, 20000);
    QCOMPARE(pane->importModel()->rowCount(), 2);
    for (int row = 0; row < 2; ++row)
        QCOMPARE(pane->importModel()->index(row, int(ImportOutcomeModel::Column::Status)).data().toString(),
                 QStringLiteral("imported"));
    // The first document is selected and previewed with the settings' default (400/50).
    QTRY_VERIFY_WITH_TIMEOUT(pane->preview(0)->chunks().size() > 1, 20000);
    QCOMPARE(pane->editor(0)->config().size, 400);
    QVERIFY(pane->preview(0)->toPlainText().contains(QStringLiteral("guide")));
    QVERIFY(!pane->preview(0)->describeAt(5).isEmpty());
    QVERIFY(pane->preview(0)->describeAt(5).contains(QStringLiteral("tokens")));

    // Dropping the same files again changes nothing.
    dropFiles(m_files);
    QVERIFY(imported.wait(30000));
    QTRY_COMPARE(pane->importModel()->rowCount(), 4);
    QCOMPARE(pane->importModel()->index(0, int(ImportOutcomeModel::Column::Status)).data().toString(),
             QStringLiteral("unchanged"));
}

void TestMainWindow::changingSizeRechunks()
{
    DocumentsPane *pane = m_window->documentsPane();
    const std::size_t before = pane->preview(0)->chunks().size();
    const int generation = pane->previewGeneration();
    pane->editor(0)->sizeBox()->setValue(150);
    QTRY_VERIFY_WITH_TIMEOUT(pane->previewGeneration() > generation, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(pane->preview(0)->chunks().size() > before, 20000);
    // The preview shows exactly what the engine's chunker produces.
    const std::string text = pane->preview(0)->toPlainText().toStdString();
    ChunkerConfig config = pane->editor(0)->config();
    QCOMPARE(config.size, 150);
    auto expected = Workbench::previewChunks(text, config);
    QVERIFY(expected.has_value());
    const auto &shown = pane->preview(0)->chunks();
    QCOMPARE(shown.size(), expected->size());
    for (std::size_t i = 0; i < shown.size(); ++i) {
        QCOMPARE(shown[i].chunk.start, (*expected)[i].start);
        QCOMPARE(shown[i].chunk.end, (*expected)[i].end);
        QVERIFY(codePoints(std::string_view(text).substr(std::size_t(shown[i].chunk.start),
                                                         std::size_t(shown[i].chunk.end - shown[i].chunk.start))) <= 150);
    }
    // Histogram counts every chunk once.
    int binned = 0;
    for (int b : pane->histogram(0)->bins())
        binned += b;
    QCOMPARE(std::size_t(binned), shown.size());
}

void TestMainWindow::buildingIndexesFillsVariants()
{
    DocumentsPane *docs = m_window->documentsPane();
    QSignalSpy chunked(m_session.get(), &ProjectSession::chunkSetBuilt);
    docs->findChild<QLineEdit *>(QStringLiteral("chunkSetName"))->setText(QStringLiteral("small"));
    QTest::mouseClick(docs->findChild<QPushButton *>(QStringLiteral("saveChunkSetButton")), Qt::LeftButton);
    QVERIFY(chunked.wait(30000));

    m_window->showPane(MainWindow::Pane::Index);
    IndexPane *pane = m_window->indexPane();
    auto *chunkSet = pane->findChild<QComboBox *>(QStringLiteral("indexChunkSet"));
    QTRY_COMPARE_WITH_TIMEOUT(chunkSet->count(), 1, 20000);
    QCOMPARE(chunkSet->currentText(), QStringLiteral("small"));
    auto *kind = pane->findChild<QComboBox *>(QStringLiteral("indexKind"));
    auto *build = pane->findChild<QPushButton *>(QStringLiteral("buildIndexButton"));
    kind->setCurrentIndex(kind->findData(QStringLiteral("bm25")));
    QTest::mouseClick(build, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(pane->variantModel()->rowCount(), 1, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(build->isEnabled(), 20000);
    kind->setCurrentIndex(kind->findData(QStringLiteral("hnsw")));
    auto *embedder = pane->findChild<QComboBox *>(QStringLiteral("indexEmbedder"));
    embedder->setCurrentText(QStringLiteral("lexical"));
    QTest::mouseClick(build, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(pane->variantModel()->rowCount(), 2, 60000);
    QStringList names;
    for (int row = 0; row < 2; ++row)
        names << pane->variantModel()->index(row, 0).data().toString();
    names.sort();
    QCOMPARE(names, QStringList({QStringLiteral("small:bm25"), QStringLiteral("small:hnsw:lexical")}));
    for (int row = 0; row < 2; ++row)
        QCOMPARE(pane->variantModel()->index(row, int(IndexVariantModel::Column::Status)).data().toString(),
                 QStringLiteral("current"));
}

void TestMainWindow::queryFillsEveryLane()
{
    m_window->showPane(MainWindow::Pane::Playground);
    PlaygroundPane *pane = m_window->playgroundPane();
    QTRY_COMPARE_WITH_TIMEOUT(pane->findChild<QComboBox *>(QStringLiteral("playgroundDenseIndex"))->currentText(),
                              QStringLiteral("small:hnsw:lexical"), 20000);
    QSignalSpy shown(pane, &PlaygroundPane::resultsShown);
    QTest::keyClicks(pane->queryEdit(), QStringLiteral("zebra workflow"));
    QTest::keyClick(pane->queryEdit(), Qt::Key_Return);
    QVERIFY(shown.wait(60000));
    QCOMPARE(pane->queryCount(), 1);
    for (Lane lane : {Lane::Keyword, Lane::Dense, Lane::Hybrid}) {
        LaneView *view = pane->lane(lane);
        QVERIFY2(view->isVisible(), laneName(lane));
        QVERIFY2(view->model()->rowCount() > 0, laneName(lane));
        QVERIFY(view->model()->rowCount() <= 10);
    }
    // BM25's best chunk is from the zebra document and its snippet highlights the term.
    const LaneRow *top = pane->lane(Lane::Keyword)->model()->row(0);
    QVERIFY(top->document.contains(QStringLiteral("zebra")));
    QVERIFY(pane->lane(Lane::Keyword)->model()->index(0, 0).data(LaneResultModel::SnippetHtmlRole).toString()
                .contains(QStringLiteral("<b>zebra</b>")));
    QCOMPARE(top->keyword.has_value(), true);
    QCOMPARE(top->keyword->rank, 1);

    // Top-k and RRF k re-fuse cached candidates: no new query runs.
    pane->topKBox()->setValue(3);
    for (Lane lane : {Lane::Keyword, Lane::Dense, Lane::Hybrid})
        QCOMPARE(pane->lane(lane)->model()->rowCount(), 3);
    const double before = pane->lane(Lane::Hybrid)->model()->row(0)->score;
    pane->rrfKBox()->setValue(1);
    const double after = pane->lane(Lane::Hybrid)->model()->row(0)->score;
    QVERIFY(after > before);  // 1/(k+rank) grows as k shrinks
    QCOMPARE(pane->queryCount(), 1);

    // Opening a result shows its document with the chunk's span highlighted.
    QTableView *table = pane->lane(Lane::Keyword)->view();
    const QModelIndex first = table->model()->index(0, int(LaneResultModel::Column::Document));
    table->scrollTo(first);
    // A double click is a press/release followed by the double-click event.
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(first).center());
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(first).center());
    DocumentViewer *viewer = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((viewer = pane->findChild<DocumentViewer *>()) != nullptr, 20000);
    const QTextCursor selection = viewer->textView()->extraSelections().value(0).cursor;
    QVERIFY(selection.hasSelection());
    QVERIFY(selection.selectedText().contains(QStringLiteral("zebra")));
    viewer->close();
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
