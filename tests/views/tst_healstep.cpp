// Issue 14: the workbench's Heal step, driven through the widgets (offscreen). After a conversion,
// a long heal is cancelled mid-way with the Heal tab's Cancel button: the view says so at once, the
// job ends within seconds, and the converted model is the unhealed one (its attention maps on a
// prompt are bit-identical to those before). A short heal then runs to the end: its curve has one
// point per step and layer (the settings typed in), the converted model's maps change, the Loss
// view's "after" loss is the healed model's, and the export carries the heal report and scores
// like the healed model (CLI eval of the exported bf16 folder, 0.02 nats/token as tst_auditflow).
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>

#include "conversionpanel.h"
#include "guitest.h"
#include "healview.h"
#include "jobrunner.h"
#include "lossview.h"
#include "mainwindow.h"
#include "testutil.h"
#include "workbench/workbench.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_healstep {

using namespace transmla;
namespace gui = transmla::test::gui;

using transmla::test::gui::child;

namespace {
// The converted model's attention probabilities of layer 1, head 0 on a fixed prompt (what the
// attention tab computes; q, kv_a and kv_b all enter it).
std::vector<double> convertedMaps(const views::MainWindow& w) {
    const auto pair = workbench::attentionPair(*w.state().result->models,
                                               "Question: Tom has 3 apples and buys 4 more.", 1, 0, 64);
    return pair.after.probs;
}

double cliLoss(const QString& dir, int n) {
    QProcess p;
    p.start(QStringLiteral(TRANSMLA_CLI_PATH),
            {QStringLiteral("eval"), dir, QStringLiteral("--data"), QStringLiteral("gsm8k"),
             QStringLiteral("--limit"), QString::number(n), QStringLiteral("--json")});
    if (!p.waitForFinished(120000) || p.exitCode() != 0) return -1;
    return QJsonDocument::fromJson(p.readAllStandardOutput())
        .object()
        .value(QStringLiteral("mean_nll"))
        .toDouble(-1);
}
} // namespace

class TestHealStep : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void cancelKeepsTheConversionThenHealUsesTheHealedModel() {
        views::MainWindow w;
        w.show();
        QSignalSpy loaded(&w, &views::MainWindow::modelLoaded);
        w.openModel(QString::fromStdString((test::resourcesDir() / "models" / "tiny-llama-gqa").string()));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
        views::ConversionPanel* panel = w.conversionPanel();
        panel->setExact(false);
        panel->setCalibration(16, 64);
        panel->setLossProblems(5);
        QSignalSpy converted(&w, &views::MainWindow::conversionFinished);
        gui::click(child<QPushButton>(panel, "runButton"));
        QTRY_COMPARE_WITH_TIMEOUT(converted.count(), 1, 240000);
        const double lossConverted = w.state().result->lossAfter->meanNll();
        const std::vector<double> mapsConverted = convertedMaps(w);

        views::HealView* heal = w.healView();
        w.tabs()->setCurrentWidget(heal);
        auto* healButton = child<QPushButton>(heal, "healButton");
        auto* cancelButton = child<QPushButton>(heal, "healCancelButton");
        auto* steps = child<QSpinBox>(heal, "healSteps");
        auto* samples = child<QSpinBox>(heal, "healSamples");
        QVERIFY(healButton->isEnabled());
        QVERIFY(!cancelButton->isEnabled());
        gui::typeInto(samples, QStringLiteral("16"));
        gui::commit(samples);
        QCOMPARE(samples->value(), 16);

        // A long local heal (5000 steps per layer), cancelled once a few steps are on the curve.
        gui::typeInto(steps, QStringLiteral("5000"));
        gui::commit(steps);
        QSignalSpy failed(&w, &views::MainWindow::jobFailed);
        gui::click(healButton);
        QTRY_VERIFY_WITH_TIMEOUT(heal->curvePoints() >= 3, 60000);
        QVERIFY(cancelButton->isEnabled());
        gui::click(cancelButton);
        QVERIFY2(heal->statusText().contains(QStringLiteral("Cancelling")),
                 qPrintable(heal->statusText())); // at once
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 5000);
        QCOMPARE(failed.at(0).at(1).toString(), views::JobRunner::cancelledMessage());
        QVERIFY(heal->curvePoints() >= 3);
        QVERIFY(heal->curvePoints() < 4 * 5000);
        QVERIFY(convertedMaps(w) == mapsConverted); // bit-identical: the unhealed conversion
        QCOMPARE(w.state().result->lossAfter->meanNll(), lossConverted);
        QVERIFY(healButton->isEnabled());

        // A short heal to the end: 5 steps per layer, 4 layers.
        gui::typeInto(steps, QStringLiteral("5"));
        gui::commit(steps);
        QSignalSpy healed(&w, &views::MainWindow::healFinished);
        gui::click(healButton);
        QTRY_COMPARE_WITH_TIMEOUT(healed.count(), 1, 240000);
        QCOMPARE(heal->curvePoints(), 4 * 5);
        QVERIFY(convertedMaps(w) != mapsConverted);
        const double lossHealed = w.state().result->lossAfter->meanNll();
        QCOMPARE(w.lossView()->after()->meanNll(), lossHealed);
        qInfo("GSM8K mean NLL over 5 problems: converted %.5f, healed %.5f", lossConverted, lossHealed);
        QVERIFY(lossHealed != lossConverted);

        // The export is the healed model: its report says so and it scores like the healed model.
        const QString dir = QString::fromStdString((test::outputDir() / "healstep-export").string());
        QDir(dir).removeRecursively();
        QSignalSpy exported(&w, &views::MainWindow::exportFinished);
        auto answer = gui::answerModal(QMessageBox::Ok, dir);
        gui::click(child<QPushButton>(panel, "exportButton"));
        QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 120000);
        QFile config(dir + QStringLiteral("/config.json"));
        QVERIFY(config.open(QIODevice::ReadOnly));
        const QJsonObject report =
            QJsonDocument::fromJson(config.readAll()).object().value(QStringLiteral("transmla")).toObject();
        QCOMPARE(report.value(QStringLiteral("heal")).toObject().value(QStringLiteral("mode")).toString(),
                 QStringLiteral("local"));
        const double exportedLoss = cliLoss(dir, 5);
        qInfo("exported folder %.5f", exportedLoss);
        QVERIFY(std::abs(exportedLoss - lossHealed) < 0.02);
    }
};

} // namespace tst_healstep

TRANSMLA_TEST_MAIN_APP(tst_healstep, tst_healstep::TestHealStep, QApplication)
#include "tst_healstep.moc"
