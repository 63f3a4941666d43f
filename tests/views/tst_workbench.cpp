// GUI tests of the workbench panels, offscreen: the rank slider drives the budget and the spectrum
// line, a conversion of the demo model fills every view, Cancel stops a running conversion, a session
// survives save + reopen, plots export, and each view is grabbed to a PNG (look at them:
// test-output/view_*.png; the final ones are copied to docs/screenshots). A session written by the CLI
// shows its rank sweep in the plot; sweep points appear as they finish and survive Cancel.
#include <QAbstractItemModelTester>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QTabWidget>

#include "attentionview.h"
#include "budgetview.h"
#include "conversionpanel.h"
#include "guitest.h"
#include "jobrunner.h"
#include "lossview.h"
#include "mainwindow.h"
#include "qcp.h"
#include "spectrumview.h"
#include "summarymodel.h"
#include "tablemodels.h"
#include "testutil.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_workbench {

using namespace transmla;

namespace {
QString demoModel() {
    return QString::fromStdString((test::resourcesDir() / "models" / "tiny-llama-gqa").string());
}
QString out(const QString& name) {
    return QString::fromStdString((test::outputDir() / name.toStdString()).string());
}

void openDemo(views::MainWindow& w) {
    QSignalSpy loaded(&w, &views::MainWindow::modelLoaded);
    w.openModel(demoModel());
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
}

// Small calibration so that the demo converts in about a second on CPU.
void fastSettings(views::ConversionPanel* p, int rank) {
    p->setExact(false);
    p->setCalibration(16, 64);
    p->setLossProblems(30);
    p->setRank(rank);
}

bool runAndWait(views::MainWindow& w) {
    QSignalSpy done(&w, &views::MainWindow::conversionFinished);
    QSignalSpy failed(&w, &views::MainWindow::jobFailed);
    w.runConversion();
    if (!QTest::qWaitFor([&] { return done.count() == 1 || failed.count() == 1; }, 60000))
        qWarning("conversion timed out");
    if (failed.count()) qWarning("conversion failed: %s", qPrintable(failed.at(0).at(1).toString()));
    return done.count() == 1 && w.state().result.has_value();
}

void grab(QWidget* w, const QString& name) {
    QVERIFY(w->grab().save(out(name)));
    qInfo("screenshot: %s", qPrintable(out(name)));
}
} // namespace

class TestWorkbench : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void tensorTableListsCheckpoint() {
        views::MainWindow w;
        openDemo(w);
        QAbstractItemModelTester tester(w.tensorModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        // 4 layers x (4 attention + 3 MLP + 2 norms) + embed + final norm + lm_head (untied): see
        // config.json.
        QCOMPARE(w.tensorModel()->rowCount(), 4 * 9 + 3);
        bool sawK = false;
        for (int r = 0; r < w.tensorModel()->rowCount(); ++r)
            if (w.tensorModel()->index(r, 0).data().toString() ==
                QStringLiteral("model.layers.0.self_attn.k_proj.weight")) {
                sawK = true;
                QCOMPARE(w.tensorModel()->index(r, 2).data().toString(),
                         QStringLiteral("[64, 256]")); // g*d x D
            }
        QVERIFY(sawK);
    }

    void sliderDrivesBudgetAndSpectrumLine() {
        views::MainWindow w;
        openDemo(w);
        views::ConversionPanel* p = w.conversionPanel();
        // demo: g = 2, d = 32, r_R = min(64, d) = 32 -> max rank 2*g*d - r_R = 96.
        QCOMPARE(p->maxRank(), 96);
        auto* slider = p->findChild<QSlider*>(QStringLiteral("rankSlider"));
        QVERIFY(slider);
        QCOMPARE(slider->maximum(), 96);
        slider->setValue(16);
        QCOMPARE(p->rank(), 16);
        QCOMPARE(w.spectrumView()->rank(), 16);
        // MLA r=16, r_R=32: (16 + 32) * 2 bytes * 4 layers = 384 bytes; GQA: 2*2*32*2*4 = 1024.
        const auto& budgets = w.budgetView()->budgets();
        QCOMPARE(int(budgets.size()), 3);
        QCOMPARE(budgets.front().bytesPerToken(), int64_t(1024));
        QCOMPARE(budgets.back().bytesPerToken(), int64_t(384));
        QVERIFY2(p->budgetText().contains(QStringLiteral("37.5")), qPrintable(p->budgetText()));
        slider->setValue(64);
        QCOMPARE(w.budgetView()->budgets().back().bytesPerToken(), int64_t((64 + 32) * 2 * 4));
    }

    void conversionFillsEveryView() {
        views::MainWindow w;
        w.resize(1400, 860);
        w.show();
        openDemo(w);
        fastSettings(w.conversionPanel(), 24);
        QVERIFY(runAndWait(w));
        const auto& r = *w.state().result;
        QCOMPARE(int(r.layers.size()), 4);
        for (const auto& l : r.layers)
            QCOMPARE(l.rank, int64_t(24));
        QCOMPARE(r.kvBytesPerTokenAfter, int64_t((24 + 32) * 2 * 4));
        QAbstractItemModelTester tester(w.conversionPanel()->layerModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(w.conversionPanel()->layerModel()->rowCount(), 4);
        const double kept = w.conversionPanel()
                                ->layerModel()
                                ->index(0, views::LayerReportModel::Retained)
                                .data(Qt::EditRole)
                                .toDouble();
        QVERIFY(kept > 0 && kept < 1);

        // Spectrum: the latent spectrum has 2*g*d - r_R = 96 values; the line sits at the rank.
        views::SpectrumView* s = w.spectrumView();
        QCOMPARE(s->singularValues().size(), 96);
        QCOMPARE(s->rank(), 24);
        const QVector<double> values = s->singularValues();
        QVERIFY(std::is_sorted(values.rbegin(), values.rend())); // descending
        QVERIFY(qAbs(s->cumulativeEnergy().back() - 1.0) < 1e-9);
        // The energy at the rank line is the layer's reported retained energy (same eigenvalues).
        QVERIFY2(
            qAbs(s->retainedAtRank() - r.layers[0].retainedEnergy) < 1e-6,
            qPrintable(QStringLiteral("%1 vs %2").arg(s->retainedAtRank()).arg(r.layers[0].retainedEnergy)));
        s->select(1, 2, 1); // K weights, layer 2, kv head 0: d = 32 values
        QCOMPARE(s->singularValues().size(), 32);
        s->select(0, 0, 0);

        // Loss: 30 problems before and after, one point per problem.
        QVERIFY(w.lossView()->before() && w.lossView()->after());
        QCOMPARE(w.lossView()->before()->documents, int64_t(30));
        QCOMPARE(int(w.lossView()->after()->perDoc.size()), 30);
        QVERIFY(w.lossView()->plot()->graphCount() >= 1);
        QCOMPARE(w.lossView()->plot()->graph(0)->dataCount(), 30);

        // Attention: before/after maps of the same tokens; compressed, so they differ a little.
        views::AttentionView* a = w.attentionView();
        QVERIFY(a->before() && a->after());
        QCOMPARE(a->before()->tokens(), a->after()->tokens());
        QVERIFY(a->maxAbsDifference() > 0 && a->maxAbsDifference() < 1);

        // A new map for another layer/head comes from a worker.
        QSignalSpy updated(&w, &views::MainWindow::attentionUpdated);
        emit a->attentionRequested(QString(), 3, 5);
        QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 1, 30000);
        QCOMPARE(a->before()->layer, int64_t(3));
        QCOMPARE(a->before()->head, int64_t(5));

        // Every plot exports PNG, SVG and CSV.
        for (views::PlotView* v :
             std::initializer_list<views::PlotView*>{s, w.budgetView(), a, w.lossView()}) {
            for (const char* ext : {"png", "svg", "csv"}) {
                const QString file = out(QStringLiteral("export_%1.%2")
                                             .arg(QLatin1String(v->metaObject()->className() + 17))
                                             .arg(QLatin1String(ext)));
                QFile::remove(file);
                QVERIFY2(v->exportTo(file), qPrintable(v->lastError()));
                QVERIFY(QFileInfo(file).size() > 100);
            }
        }
        QFile csv(out(QStringLiteral("export_SpectrumView.csv")));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(csv.readAll().count('\n'), 96 + 1);

        // Screenshots of every view.
        const char* names[] = {"view_model.png", "view_spectrum.png", "view_budget.png", "view_attention.png",
                               "view_loss.png"};
        for (int i = 0; i < 5; ++i) {
            w.tabs()->setCurrentIndex(i);
            QTest::qWait(50);
            grab(&w, QLatin1String(names[i]));
        }
    }

    void cancelStopsConversion() {
        views::MainWindow w;
        openDemo(w);
        views::ConversionPanel* p = w.conversionPanel();
        p->setExact(false);
        p->setCalibration(512, 512); // long enough to be caught mid-way
        p->setLossProblems(0);
        QSignalSpy progressed(w.jobs(), &views::JobRunner::progressed);
        QSignalSpy failed(&w, &views::MainWindow::jobFailed);
        QSignalSpy done(&w, &views::MainWindow::conversionFinished);
        QElapsedTimer t;
        t.start();
        w.runConversion();
        QVERIFY(w.jobs()->isBusy());
        QTRY_VERIFY_WITH_TIMEOUT(progressed.count() > 0, 30000);
        w.cancelJob();
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
        QCOMPARE(failed.at(0).at(1).toString(), QStringLiteral("Cancelled"));
        QCOMPARE(done.count(), 0);
        QVERIFY(!w.jobs()->isBusy());
        QVERIFY(!w.state().result);
        qInfo("cancelled after %lld ms", static_cast<long long>(t.elapsed()));
    }

    void sessionSurvivesSaveAndReopen() {
        const QString file = out(QStringLiteral("session.h5"));
        workbench::ConversionResult saved;
        {
            views::MainWindow w;
            openDemo(w);
            fastSettings(w.conversionPanel(), 40);
            w.conversionPanel()->setLossProblems(10);
            QVERIFY(runAndWait(w));
            saved = *w.state().result;
            QVERIFY(w.saveSession(file));
        }
        views::MainWindow w;
        QSignalSpy opened(&w, &views::MainWindow::sessionOpened);
        QVERIFY(w.openSession(file));
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        QCOMPARE(w.modelPath(), demoModel());
        QCOMPARE(w.conversionPanel()->rank(), 40);
        const auto& r = *w.state().result;
        QCOMPARE(r.layers.size(), saved.layers.size());
        QCOMPARE(r.layers[1].eigenvalues, saved.layers[1].eigenvalues);
        QCOMPARE(r.layers[1].retainedEnergy, saved.layers[1].retainedEnergy);
        QCOMPARE(w.spectrumView()->singularValues().size(), 96);
        QCOMPARE(w.spectrumView()->rank(), 40);
        QCOMPARE(w.lossView()->before()->nllSum, saved.lossBefore->nllSum);
        QCOMPARE(w.lossView()->after()->perDoc.size(), saved.lossAfter->perDoc.size());
        QCOMPARE(w.attentionView()->before()->probs, saved.attentionBefore->probs);
        QCOMPARE(w.attentionView()->after()->probs, saved.attentionAfter->probs);
        QVERIFY(!w.budgetView()->budgets().empty());
        QCOMPARE(w.budgetView()->budgets().back().bytesPerToken(), int64_t((40 + 32) * 2 * 4));
    }

    void exactConversionKeepsAttention() {
        views::MainWindow w;
        openDemo(w);
        w.conversionPanel()->setExact(true);
        w.conversionPanel()->setLatentNormCalibrated(false); // the exact algebra: no latent norm
        w.conversionPanel()->setLossProblems(10);
        QVERIFY(runAndWait(w));
        const auto& r = *w.state().result;
        QCOMPARE(r.kvBytesPerTokenAfter, r.kvBytesPerTokenBefore);
        QVERIFY2(w.attentionView()->maxAbsDifference() < 1e-4,
                 qPrintable(QString::number(w.attentionView()->maxAbsDifference())));
        QVERIFY(qAbs(r.lossAfter->meanNll() - r.lossBefore->meanNll()) < 1e-3);
        // Without the latent norm there is nothing DeepSeek-V3 can load: Export stays disabled and
        // nothing is written (tst_auditflow drives this through the widgets).
        QVERIFY(!w.conversionPanel()->findChild<QPushButton*>(QStringLiteral("exportButton"))->isEnabled());
        const QString dir = out(QStringLiteral("export-none"));
        QDir(dir).removeRecursively();
        w.exportModel(dir);
        QTest::qWait(200);
        QVERIFY(!w.jobs()->isBusy());
        QVERIFY(!QFileInfo::exists(dir));
    }

    void exportWritesDeepseekFolder() {
        views::MainWindow w;
        openDemo(w);
        fastSettings(w.conversionPanel(), 32);
        w.conversionPanel()->setLossProblems(0);
        w.conversionPanel()->setLatentNormCalibrated(true);
        QVERIFY(runAndWait(w));
        const QString dir = out(QStringLiteral("export-mla"));
        QSignalSpy exported(&w, &views::MainWindow::exportFinished);
        w.exportModel(dir);
        QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 30000);
        QFile config(dir + QStringLiteral("/config.json"));
        QVERIFY(config.open(QIODevice::ReadOnly));
        const QByteArray json = config.readAll();
        QVERIFY(json.contains("deepseek_v3"));
        QVERIFY(json.contains("\"kv_lora_rank\": 32"));
    }

    void rankSweepPlotsLossVsKvSize() {
        views::MainWindow w;
        openDemo(w);
        fastSettings(w.conversionPanel(), 24);
        w.conversionPanel()->setLossProblems(10);
        QSignalSpy swept(&w, &views::MainWindow::sweepFinished);
        w.runRankSweep();
        QTRY_COMPARE_WITH_TIMEOUT(swept.count(), 1, 60000);
        const auto& pts = w.lossView()->sweep();
        QCOMPARE(int(pts.size()), 5); // 96/16, /8, /4, /2, /1
        QCOMPARE(pts.front().rank, int64_t(6));
        QCOMPARE(pts.back().rank, int64_t(96));
        for (const auto& p : pts)
            QCOMPARE(p.kvBytesPerToken, (p.rank + 32) * 2 * 4);
        // Keeping more of the latent does not make the loss worse by much: full rank is the best point
        // (tolerance 1e-3).
        for (const auto& p : pts)
            QVERIFY(pts.back().meanNll <= p.meanNll + 1e-3);
    }

    // Issue 15: `transmla analyze loss-sweep` writes the sweep the workbench shows: opened here, its points
    // are in the loss view's plot (KV bytes by the formula (r + r_R) * 2 bytes * 4 layers, the mean NLL
    // as the CLI printed it, 5 significant digits).
    void cliSessionShowsSweepInPlot() {
        const QString file = out(QStringLiteral("cli-sweep.h5"));
        QFile::remove(file);
        QProcess cli;
        cli.start(QStringLiteral(TRANSMLA_CLI_PATH),
                  {QStringLiteral("analyze"), QStringLiteral("loss-sweep"), demoModel(),
                   QStringLiteral("--ranks"), QStringLiteral("16,48"), QStringLiteral("--limit"),
                   QStringLiteral("3"), QStringLiteral("--samples"), QStringLiteral("8"),
                   QStringLiteral("--seqlen"), QStringLiteral("32"), QStringLiteral("--session"), file,
                   QStringLiteral("--quiet")});
        QVERIFY(cli.waitForFinished(300000) && cli.exitCode() == 0);
        std::map<int64_t, double> printed; // rank -> mean NLL from the CLI's table
        for (const QString& line : QString::fromUtf8(cli.readAllStandardOutput()).split(QLatin1Char('\n')))
            if (line.startsWith(QLatin1String("mla r="))) {
                const QStringList f =
                    line.split(QLatin1Char(' '), Qt::SkipEmptyParts); // mla r=R rope=32 KV NLL ppl
                printed[f[1].mid(2).toLongLong()] = f[4].toDouble();
            }
        QCOMPARE(printed.size(), size_t(2));
        views::MainWindow w;
        QSignalSpy opened(&w, &views::MainWindow::sessionOpened);
        QVERIFY(w.openSession(file));
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        const auto& pts = w.lossView()->sweep();
        QCOMPARE(pts.size(), size_t(2));
        QCustomPlot* plot = w.lossView()->plot();
        QCPGraph* sweepGraph = nullptr; // the graph in the right-hand axis rect
        for (int i = 0; i < plot->plottableCount(); ++i)
            if (auto* g = qobject_cast<QCPGraph*>(plot->plottable(i));
                g && g->keyAxis()->axisRect() != plot->axisRect())
                sweepGraph = g;
        QVERIFY(sweepGraph);
        QCOMPARE(sweepGraph->dataCount(), 2);
        for (int i = 0; i < 2; ++i) {
            const int64_t rank = pts[size_t(i)].rank;
            QVERIFY(printed.count(rank));
            QCOMPARE(sweepGraph->data()->at(i)->key, double((rank + 32) * 2 * 4));
            const double nll = sweepGraph->data()->at(i)->value;
            QVERIFY2(std::abs(nll - printed[rank]) <= 5e-5 * printed[rank], qPrintable(QString::number(nll)));
        }
    }

    // Issue 15: the sweep's points reach the plot as each rank finishes, Cancel keeps them, and the next
    // Rank sweep continues it (the kept points are not computed again: their timings stay).
    void sweepPointsShowAsTheyFinishAndSurviveCancel() {
        views::MainWindow w;
        openDemo(w);
        fastSettings(w.conversionPanel(), 24);
        w.conversionPanel()->setLossProblems(3);
        QPushButton* sweep = nullptr;
        for (auto* b : w.lossView()->findChildren<QPushButton*>())
            if (b->text() == views::LossView::tr("Rank sweep")) sweep = b;
        auto* cancel = w.conversionPanel()->findChild<QPushButton*>(QStringLiteral("cancelButton"));
        QVERIFY(sweep && cancel && sweep->isEnabled());
        QSignalSpy failed(&w, &views::MainWindow::jobFailed);
        test::gui::click(sweep);
        QTRY_VERIFY_WITH_TIMEOUT(!w.lossView()->sweep().empty(), 60000);
        QVERIFY(w.jobs()->isBusy()); // shown while the sweep still runs
        test::gui::click(cancel);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
        QCOMPARE(failed.at(0).at(1).toString(), views::JobRunner::cancelledMessage());
        const size_t kept = w.lossView()->sweep().size();
        QVERIFY2(kept >= 1 && kept < 5, qPrintable(QString::number(kept)));
        QVERIFY(w.state().sweep && w.state().sweep->points.size() == kept);
        QVERIFY(w.hasUnsavedResults());
        const results::RankSweep before = *w.state().sweep;
        QSignalSpy swept(&w, &views::MainWindow::sweepFinished);
        test::gui::click(sweep);
        QTRY_COMPARE_WITH_TIMEOUT(swept.count(), 1, 60000);
        QCOMPARE(w.lossView()->sweep().size(), size_t(5));
        for (const auto& p : before.points) {
            const results::SweepPoint* now = w.state().sweep->find(p.rank);
            QVERIFY(now && now->loss && p.loss);
            QCOMPARE(now->loss->seconds, p.loss->seconds);
        }
    }

    void classroomModeEnlargesFonts() {
        views::MainWindow w;
        const qreal before = QApplication::font().pointSizeF();
        w.setClassroomMode(true);
        QVERIFY(QApplication::font().pointSizeF() > before * 1.4);
        QVERIFY(w.isClassroomMode());
        w.setClassroomMode(false);
        QCOMPARE(QApplication::font().pointSizeF(), before);
    }
};

} // namespace tst_workbench

TRANSMLA_TEST_MAIN_APP(tst_workbench, tst_workbench::TestWorkbench, QApplication)
#include "tst_workbench.moc"
