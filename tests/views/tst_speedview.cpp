// Issue 16: the Speed tab, driven through the widgets (offscreen) on the demo model. Before a
// conversion it says there is no converted model and Measure is off. The spin boxes stop at core's
// bounds (context 1 .. max_position_embeddings, batch 1 .. 256) when their arrows are clicked past
// them, and a context typed digit by digit becomes the value only when committed. After a conversion,
// Measure gives a table row whose cache sizes are the formula from the config (written out here);
// a long measurement is cancelled with the tab's Cancel button: the tab says so at once, the job ends
// within seconds and the earlier row stays; another setting adds a second row, and the CSV export
// holds both (one line per setting and cache form).
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>

#include "conversionpanel.h"
#include "guitest.h"
#include "jobrunner.h"
#include "mainwindow.h"
#include "speedmodel.h"
#include "speedview.h"
#include "testutil.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_speedview {

using namespace transmla;
namespace gui = transmla::test::gui;
using gui::child;

class TestSpeedView : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void measureCancelAndCompare() {
        views::MainWindow w;
        w.show();
        QSignalSpy loaded(&w, &views::MainWindow::modelLoaded);
        w.openModel(QString::fromStdString((test::resourcesDir() / "models" / "tiny-llama-gqa").string()));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);

        views::SpeedView* speed = w.speedView();
        w.tabs()->setCurrentWidget(speed);
        auto* measure = child<QPushButton>(speed, "speedMeasure");
        auto* cancel = child<QPushButton>(speed, "speedCancel");
        auto* context = child<QSpinBox>(speed, "speedContext");
        auto* batch = child<QSpinBox>(speed, "speedBatch");
        auto* steps = child<QSpinBox>(speed, "speedSteps");
        auto* table = child<QTableView>(speed, "speedTable");
        QVERIFY(!measure->isEnabled());
        QVERIFY2(speed->statusText().contains(QStringLiteral("No converted model yet")),
                 qPrintable(speed->statusText()));

        // Bounds: max_position_embeddings of the demo model's config.json is 2048.
        QCOMPARE(context->value(), 256); // the CPU default
        QCOMPARE(batch->value(), 1);
        gui::clickArrow(batch, false); // below 1
        QCOMPARE(batch->value(), 1);
        gui::clickArrow(batch, true);
        QCOMPARE(batch->value(), 2);
        gui::typeInto(batch, QStringLiteral("256"));
        gui::commit(batch);
        QCOMPARE(batch->value(), 256);
        gui::clickArrow(batch, true); // past 256
        QCOMPARE(batch->value(), 256);
        gui::typeInto(batch, QStringLiteral("300")); // typed past the bound: not a value
        gui::commit(batch);
        QVERIFY(batch->value() <= 256);
        gui::typeInto(context, QStringLiteral("2048"));
        gui::commit(context);
        QCOMPARE(context->value(), 2048);
        gui::clickArrow(context, true); // past max_position_embeddings
        QCOMPARE(context->value(), 2048);
        gui::typeInto(context, QStringLiteral("1"));
        gui::commit(context);
        gui::clickArrow(context, false); // below 1
        QCOMPARE(context->value(), 1);
        // Digit by digit: "6" on the way to "64" is never the value; Enter commits 64.
        QSignalSpy contextChanged(context, &QSpinBox::valueChanged);
        gui::typeInto(context, QStringLiteral("64"));
        QCOMPARE(context->value(), 1);
        QCOMPARE(contextChanged.count(), 0);
        gui::commit(context);
        QCOMPARE(context->value(), 64);
        QCOMPARE(contextChanged.count(), 1);
        gui::typeInto(batch, QStringLiteral("2"));
        gui::commit(batch);
        gui::typeInto(steps, QStringLiteral("4"));
        gui::commit(steps);

        // Convert (small calibration, no loss), then measure 64 x 2.
        views::ConversionPanel* panel = w.conversionPanel();
        panel->setExact(false);
        panel->setCalibration(16, 64);
        panel->setLossProblems(0);
        panel->setRank(40);
        QSignalSpy converted(&w, &views::MainWindow::conversionFinished);
        gui::click(child<QPushButton>(panel, "runButton"));
        QTRY_COMPARE_WITH_TIMEOUT(converted.count(), 1, 240000);
        QTRY_VERIFY_WITH_TIMEOUT(measure->isEnabled(), 5000);
        QVERIFY(!cancel->isEnabled());
        QSignalSpy measured(&w, &views::MainWindow::speedMeasured);
        gui::click(measure);
        QTRY_COMPARE_WITH_TIMEOUT(measured.count(), 1, 60000);
        QCOMPARE(table->model()->rowCount(), 1);
        const workbench::SpeedPoint first = speed->model()->points().front();
        QCOMPARE(first.request.context, int64_t(64));
        QCOMPARE(first.request.batch, int64_t(2));
        QCOMPARE(first.request.steps, int64_t(4));
        // config.json: 4 layers, 2 kv heads of 32; f32; 64 + 1 + 4 positions of 2 sequences.
        const int64_t r = w.state().result->rank(), rR = w.state().result->ropeDim;
        QCOMPARE(r, int64_t(40));
        QCOMPARE(first.gqa.cacheBytes, int64_t(4) * 2 * 2 * 32 * 4 * (64 + 1 + 4) * 2);
        QCOMPARE(first.mla.cacheBytes, int64_t(4) * (r + rR) * 4 * (64 + 1 + 4) * 2);
        QVERIFY(first.gqa.tokensPerSecond > 0 && first.mla.tokensPerSecond > 0);
        QCOMPARE(table->model()->index(0, views::SpeedModel::Setting).data().toString(),
                 views::SpeedModel::settingText(first));

        // A long measurement (256 x 2, 4096 steps: a short prefill, then ~40 s of steps), cancelled once
        // it decodes.
        gui::typeInto(context, QStringLiteral("256"));
        gui::commit(context);
        gui::typeInto(steps, QStringLiteral("4096"));
        gui::commit(steps);
        QSignalSpy failed(&w, &views::MainWindow::jobFailed);
        auto* progress = child<QProgressBar>(speed, "speedProgress");
        gui::click(measure);
        QTRY_VERIFY_WITH_TIMEOUT(
            speed->statusText().contains(QStringLiteral("decoding")) && progress->value() > 0, 60000);
        QVERIFY(!measure->isEnabled()); // one job at a time: no second measurement on top
        QSignalSpy refused(w.jobs(), &views::JobRunner::refused);
        w.runSpeed();
        QCOMPARE(refused.count(), 1);
        QVERIFY(cancel->isEnabled());
        QElapsedTimer clock;
        clock.start();
        gui::click(cancel);
        QVERIFY2(speed->statusText().contains(QStringLiteral("Cancelling")), qPrintable(speed->statusText()));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 5000);
        qInfo("cancel answered after %lld ms", qlonglong(clock.elapsed()));
        QCOMPARE(failed.at(0).at(1).toString(), views::JobRunner::cancelledMessage());
        QCOMPARE(table->model()->rowCount(), 1); // the earlier point is kept
        QVERIFY(measure->isEnabled());

        // A second setting: two rows to compare, and the CSV has one line per setting and form.
        gui::typeInto(context, QStringLiteral("32"));
        gui::commit(context);
        gui::typeInto(batch, QStringLiteral("1"));
        gui::commit(batch);
        gui::typeInto(steps, QStringLiteral("2"));
        gui::commit(steps);
        gui::click(measure);
        QTRY_COMPARE_WITH_TIMEOUT(measured.count(), 2, 60000);
        QCOMPARE(table->model()->rowCount(), 2);
        QCOMPARE(speed->model()->points().back().request.context, int64_t(32));
        const QString csv = QString::fromStdString((test::outputDir() / "speedview.csv").string());
        QVERIFY2(speed->exportTo(csv), qPrintable(speed->lastError()));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(f.readAll()).trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 1 + 2 * 2);
        QVERIFY(lines.at(1).startsWith(QStringLiteral("64,2,4,cpu,f32,40,")));
        QVERIFY(speed->exportTo(QString::fromStdString((test::outputDir() / "speedview.png").string())));
    }
};

} // namespace tst_speedview

TRANSMLA_TEST_MAIN_APP(tst_speedview, tst_speedview::TestSpeedView, QApplication)
#include "tst_speedview.moc"
