// Issue 14: the Pareto tab, driven through its widgets (offscreen). "Choose r_R and FreqFold" compares
// the candidates on held-out calibration text at the panel's rank; every candidate is listed with its
// loss, the lowest held-out loss is the choice, all candidates keep the panel's KV bytes (r + r_R
// fixed, counted by hand from the config), and "Apply choice" puts r_R and FreqFold into the panel. A
// typo in a list is reported, not searched; the plot exports its candidates as CSV.
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>

#include "conversionpanel.h"
#include "guitest.h"
#include "mainwindow.h"
#include "paretoview.h"
#include "testutil.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_paretoview {

using namespace transmla;
namespace gui = transmla::test::gui;

using transmla::test::gui::child;

namespace {} // namespace

class TestParetoView : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void autoChoiceIsTheLowestHeldOutLossAndApplies() {
        views::MainWindow w;
        w.show();
        QSignalSpy loaded(&w, &views::MainWindow::modelLoaded);
        w.openModel(QString::fromStdString((test::resourcesDir() / "models" / "tiny-llama-gqa").string()));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
        views::ConversionPanel* panel = w.conversionPanel();
        panel->setExact(false);
        panel->setCalibration(16, 64);
        panel->setRank(32);
        views::ParetoView* pareto = w.paretoView();
        w.tabs()->setCurrentWidget(pareto);
        auto* heldOut = child<QSpinBox>(pareto, "paretoHeldOut");
        gui::typeInto(heldOut, QStringLiteral("4"));
        gui::commit(heldOut);
        QCOMPARE(heldOut->value(), 4);

        // A typo is reported in the status bar; nothing runs.
        QSignalSpy finished(&w, &views::MainWindow::searchFinished);
        auto* ranks = child<QLineEdit>(pareto, "paretoRanks");
        QTest::mouseClick(ranks, Qt::LeftButton);
        QTest::keyClicks(ranks, QStringLiteral("16,x"));
        gui::click(child<QPushButton>(pareto, "paretoSearchButton"));
        QVERIFY(child<QLabel>(&w, "statusLabel")->text().contains(QStringLiteral("Ranks")));
        QTest::qWait(200);
        QCOMPARE(finished.count(), 0);

        gui::click(child<QPushButton>(pareto, "paretoAutoButton"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 240000);
        QVERIFY(pareto->result().has_value());
        const convert::SearchResult& r = *pareto->result();
        const auto& c = w.conversionPanel()->settings();
        const int64_t layers = 4, budget = 32 + 32; // r = 32 at the default r_R = head_dim = 32
        int evaluated = 0;
        size_t lowest = r.candidates.size();
        for (size_t i = 0; i < r.candidates.size(); ++i) {
            const auto& k = r.candidates[i];
            if (!k.skipped.empty()) continue;
            ++evaluated;
            QCOMPARE(k.kvBytesPerToken, layers * budget * 2);
            if (lowest == r.candidates.size() || k.heldOutLoss < r.candidates[lowest].heldOutLoss) lowest = i;
        }
        QVERIFY(evaluated >= 4);
        const QString info = pareto->summaryText();
        QVERIFY2(info.contains(QStringLiteral("Chosen by held-out loss")), qPrintable(info));
        QVERIFY(c.qkRopeHeadDim == 0 || c.qkRopeHeadDim == 32); // not applied yet

        gui::click(child<QPushButton>(pareto, "paretoApplyButton"));
        const auto applied = w.conversionPanel()->settings();
        QCOMPARE(applied.qkRopeHeadDim, r.candidates[lowest].qkRopeHeadDim);
        QCOMPARE(applied.freqFold, r.candidates[lowest].freqFold);
        QCOMPARE(applied.kvLoraRank + applied.qkRopeHeadDim, budget);

        const QString csv = QString::fromStdString((test::outputDir() / "pareto-auto.csv").string());
        QVERIFY(pareto->exportTo(csv));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll().count('\n'), qsizetype(r.candidates.size() + 1));
    }
};

} // namespace tst_paretoview

TRANSMLA_TEST_MAIN_APP(tst_paretoview, tst_paretoview::TestParetoView, QApplication)
#include "tst_paretoview.moc"
