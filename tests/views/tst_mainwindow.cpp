// GUI smoke test: the main window opens the demo model offscreen, shows its summary, and is
// grabbed to a PNG (look at it: test-output/mainwindow.png).
#include <QMenuBar>
#include <QSignalSpy>
#include <QSpinBox>

#include "mainwindow.h"
#include "summarymodel.h"
#include "testutil.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_mainwindow {

using namespace transmla;

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    // Closing the window while a rank is half typed: hiding the children commits the typed value, whose
    // signal used to reach the window after its members were destroyed (std::bad_alloc / a crash,
    // seen by tst_robustness's random flows about one run in three).
    void closingWithAHalfTypedRankIsSafe() {
        for (int i = 0; i < 5; ++i) {
            auto* w = new views::MainWindow;
            QSignalSpy loaded(w, &views::MainWindow::modelLoaded);
            w->show();
            w->openModel(
                QString::fromStdString((test::resourcesDir() / "models" / "tiny-llama-gqa").string()));
            QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
            auto* rank = w->findChild<QSpinBox*>(QStringLiteral("rankSpin"));
            QVERIFY(rank);
            QVERIFY(QTest::qWaitForWindowExposed(w));
            rank->setFocus();
            QTest::keyClick(rank, Qt::Key_A, Qt::ControlModifier);
            QTest::keyClicks(rank, QStringLiteral("1%1").arg(i)); // not committed yet (no Enter)
            int changed = 0;
            QObject::connect(rank, &QSpinBox::valueChanged, rank, [&changed] { ++changed; });
            delete w; // the typed value is committed while the window goes away
            QVERIFY(changed <= 1);
        }
    }

    void showsDemoModelSummary() {
        views::MainWindow w;
        QSignalSpy loaded(&w, &views::MainWindow::modelLoaded);
        w.show();
        w.openModel(QString::fromStdString((test::resourcesDir() / "models" / "tiny-llama-gqa").string()));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
        const views::SummaryModel* m = w.summaryModel();
        // Figures from the demo model's config.json / safetensors header (see ../shared/models/summary.json).
        QCOMPARE(m->valueOf(QStringLiteral("layers")), QStringLiteral("4"));
        QCOMPARE(m->valueOf(QStringLiteral("query_heads")), QStringLiteral("8"));
        QCOMPARE(m->valueOf(QStringLiteral("kv_heads")), QStringLiteral("2"));
        QCOMPARE(m->valueOf(QStringLiteral("head_dim")), QStringLiteral("32"));
        QCOMPARE(m->summary().parameterCount, int64_t(4065536));
        QCOMPARE(m->summary().kvCacheBytesPerToken, int64_t(4 * 2 * 2 * 32 * 2));

        QStringList menus;
        for (QAction* a : w.menuBar()->actions())
            menus << a->text().remove(QLatin1Char('&'));
        QCOMPARE(menus,
                 (QStringList{QStringLiteral("File"), QStringLiteral("View"), QStringLiteral("Help")}));

        const QString png = QString::fromStdString((test::outputDir() / "mainwindow.png").string());
        QVERIFY(w.grab().save(png));
        qInfo("screenshot: %s", qPrintable(png));
    }

    void brokenModelReportsError() {
        views::MainWindow w;
        QSignalSpy failed(&w, &views::MainWindow::modelLoadFailed);
        w.openModel(QString::fromStdString(test::outputDir().string() + "/no-such-model"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
        QVERIFY(
            failed.at(0).at(1).toString().contains(QStringLiteral("no-such-model: no such file or folder")));
    }
};

} // namespace tst_mainwindow

TRANSMLA_TEST_MAIN_APP(tst_mainwindow, tst_mainwindow::TestMainWindow, QApplication)
#include "tst_mainwindow.moc"
