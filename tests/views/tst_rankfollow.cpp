// Issue 16 through the widgets, offscreen: after a conversion, letting go of the rank (arrow clicks
// on the rank box, then Enter) shows the conversion at the new rank with its loss re-scored, without
// pressing Run, and the results are not marked stale; a second change while the first is still
// evaluating cancels it and only the last rank is shown; any other setting still needs Run. The
// device list says why CUDA is absent in a build or on a machine without it.
// After a rank change the Heal tab offers healing the re-truncated model (the earlier heal's curve
// and outcome are gone with it), and healing it runs.
// The loss at the new rank is compared with workbench::runConversion at that rank (an independent
// fresh conversion: its own calibration), per-layer ranks exactly, mean NLL within 1e-6 relative.
#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTabBar>
#include <QTabWidget>

#include "conversionpanel.h"
#include "guitest.h"
#include "healview.h"
#include "jobrunner.h"
#include "mainwindow.h"
#include "rankfollower.h"
#include "testutil.h"
#include "workbench/device.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_rankfollow {

using namespace transmla;
namespace gui = transmla::test::gui;

namespace {
QString demoModel() {
    return QString::fromStdString((test::resourcesDir() / "models" / "tiny-llama-gqa").string());
}

void convertDemo(views::MainWindow& w, int rank) {
    QSignalSpy loaded(&w, &views::MainWindow::modelLoaded);
    w.openModel(demoModel());
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
    auto* p = w.conversionPanel();
    p->setExact(false);
    p->setCalibration(16, 64);
    p->setLossProblems(8);
    p->setRank(rank);
    QSignalSpy done(&w, &views::MainWindow::conversionFinished);
    gui::click(p->findChild<QPushButton*>(QStringLiteral("runButton")));
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 300000);
}
} // namespace

class TestRankFollow : public QObject {
    Q_OBJECT
private slots:
    void lettingGoOfTheRankRescores() {
        views::MainWindow w;
        w.show();
        convertDemo(w, 40);
        auto* follower = w.findChild<views::RankFollower*>(QStringLiteral("rankFollower"));
        QVERIFY(follower);
        QSignalSpy applied(follower, &views::RankFollower::rankApplied);
        auto* rankBox = w.conversionPanel()->findChild<QSpinBox*>(QStringLiteral("rankSpin"));
        for (int i = 0; i < 8; ++i)
            gui::clickArrow(rankBox, false); // 40 -> 32
        QCOMPARE(rankBox->value(), 32);
        gui::commit(rankBox);
        QTRY_COMPARE_WITH_TIMEOUT(applied.count(), 1, 60000);
        const auto& shown = *w.state().result;
        QCOMPARE(shown.rank(), int64_t(32));
        QVERIFY(!w.conversionPanel()->resultsStale());
        workbench::JobOptions o;
        o.resourcesDir = test::resourcesDir();
        o.device = parseDevice(w.conversionPanel()->device().toStdString()); // CUDA where the panel chose it
        o.dtype = parseComputeDtype(w.conversionPanel()->dtype().toStdString());
        o.lossProblems = 8;
        o.spectra = false;
        o.attention = false;
        o.wikitextChunks = 8;
        const auto fresh =
            workbench::runConversion(demoModel().toStdString(), w.conversionPanel()->settings(), o);
        for (size_t i = 0; i < fresh.layers.size(); ++i)
            QCOMPARE(shown.layers[i].rank, fresh.layers[i].rank);
        const double a = shown.lossAfter->meanNll(), b = fresh.lossAfter->meanNll();
        QVERIFY2(std::abs(a - b) <= 1e-6 * b, qPrintable(QStringLiteral("%1 vs fresh %2").arg(a).arg(b)));

        // Two changes in quick succession: the stale evaluation is cancelled, the last rank is shown.
        applied.clear();
        gui::typeInto(rankBox, QStringLiteral("20"));
        gui::commit(rankBox);
        gui::typeInto(rankBox, QStringLiteral("24"));
        gui::commit(rankBox);
        QTRY_VERIFY_WITH_TIMEOUT(!applied.isEmpty() && applied.last().at(0).toInt() == 24, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!w.jobs()->isBusy(), 60000);
        QCOMPARE(w.state().result->rank(), int64_t(24));

        // Another setting moved: no automatic re-scoring (Run is needed), the results are stale.
        applied.clear();
        w.conversionPanel()->setCalibration(8, 64);
        gui::clickArrow(rankBox, true);
        gui::commit(rankBox);
        QTest::qWait(1000);
        QCOMPARE(applied.count(), 0);
        QVERIFY(w.conversionPanel()->resultsStale());
    }

    // Issue 14 x 16: a rank change drops the healing (the layers are re-truncated from the GQA
    // weights); the Heal tab must then offer healing the model at the new rank, not "Convert a model
    // first", and not show the dropped heal's curve and outcome as the model's.
    void healIsOfferedAfterARankChange() {
        views::MainWindow w;
        w.show();
        convertDemo(w, 32);
        views::HealView* heal = w.healView();
        QTabBar* bar = w.tabs()->tabBar(); // a click on the Heal tab
        QTest::mouseClick(bar, Qt::LeftButton, Qt::NoModifier,
                          bar->tabRect(w.tabs()->indexOf(heal)).center());
        QCOMPARE(w.tabs()->currentWidget(), heal);
        auto* healButton = gui::child<QPushButton>(heal, "healButton");
        auto* steps = gui::child<QSpinBox>(heal, "healSteps");
        auto* samples = gui::child<QSpinBox>(heal, "healSamples");
        const QString convertFirst = QStringLiteral("Convert a model first");
        QVERIFY(healButton->isEnabled());
        QVERIFY2(!heal->statusText().contains(convertFirst), qPrintable(heal->statusText()));
        gui::typeInto(samples, QStringLiteral("8"));
        gui::commit(samples);
        gui::typeInto(steps, QStringLiteral("2"));
        gui::commit(steps);
        QSignalSpy healed(&w, &views::MainWindow::healFinished);
        gui::click(healButton);
        QTRY_COMPARE_WITH_TIMEOUT(healed.count(), 1, 120000);
        QVERIFY(heal->curvePoints() > 0);

        auto* follower = w.findChild<views::RankFollower*>(QStringLiteral("rankFollower"));
        QSignalSpy applied(follower, &views::RankFollower::rankApplied);
        auto* rankBox = w.conversionPanel()->findChild<QSpinBox*>(QStringLiteral("rankSpin"));
        for (int i = 0; i < 8; ++i)
            gui::clickArrow(rankBox, false); // 32 -> 24
        gui::commit(rankBox);
        QTRY_COMPARE_WITH_TIMEOUT(applied.count(), 1, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!w.jobs()->isBusy(), 10000);
        QCOMPARE(w.state().result->rank(), int64_t(24));
        QVERIFY(healButton->isEnabled());
        QVERIFY2(!heal->statusText().contains(convertFirst), qPrintable(heal->statusText()));
        QVERIFY2(!heal->statusText().contains(QStringLiteral("healed")), qPrintable(heal->statusText()));
        QCOMPARE(heal->curvePoints(), 0); // the dropped heal's curve is not the model's

        healed.clear();
        gui::click(healButton);
        QTRY_COMPARE_WITH_TIMEOUT(healed.count(), 1, 120000);
        QCOMPARE(heal->curvePoints(), 4 * 2); // 2 steps in each of the demo model's 4 layers
        QCOMPARE(w.state().result->rank(), int64_t(24));
    }

    void deviceListSaysWhyCudaIsAbsent() {
        views::ConversionPanel panel;
        auto* box = panel.findChild<QComboBox*>(QStringLiteral("deviceCombo"));
        const auto status = workbench::deviceStatus();
        if (status.cudaAbsent.empty()) QSKIP("CUDA is available here: nothing absent to explain");
        QCOMPARE(box->count(), 2);
        QCOMPARE(box->currentData().toString(), QStringLiteral("cpu:f32"));
        QVERIFY(box->itemText(1).startsWith(QStringLiteral("CUDA:")));
        auto* model = qobject_cast<QStandardItemModel*>(box->model());
        QVERIFY(!model->item(1)->isEnabled()); // cannot be chosen
        QVERIFY(box->itemData(1, Qt::ToolTipRole)
                    .toString()
                    .contains(status.cudaBuiltIn ? QStringLiteral("no CUDA device")
                                                 : QStringLiteral("without CUDA")));
        gui::chooseItem(box, 1); // the keyboard skips it
        QCOMPARE(panel.device(), QStringLiteral("cpu"));
    }
};

} // namespace tst_rankfollow

TRANSMLA_TEST_MAIN_APP(tst_rankfollow, tst_rankfollow::TestRankFollow, QApplication)
#include "tst_rankfollow.moc"
