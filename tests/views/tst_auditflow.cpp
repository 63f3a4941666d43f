// Issue 13, items 3 and 6, driven through the widgets as a user does (offscreen): the default
// latent norm gives an exportable model whose exported loss is the one reviewed; "none" says before
// the run that it cannot be exported and leaves Export disabled; WikiText-2 calibration works; a
// missing or empty calibration file is reported at once, naming it; the Loss tab shows the bootstrap
// intervals, the answer-only loss and WikiText-2 perplexity; File > Report... writes report.md and
// the plots; a reopened session exports the same bytes as the live result, and refuses a changed model.
#include <QAbstractItemView>
#include <QAction>
#include <QComboBox>
#include <QCompleter>
#include <QDir>
#include <QFileDialog>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTimer>

#include "conversionpanel.h"
#include "guitest.h"
#include "jobrunner.h"
#include "lossview.h"
#include "mainwindow.h"
#include "testutil.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_auditflow {

using namespace transmla;

using transmla::test::gui::child;

namespace {
QString demoModel() {
    return QString::fromStdString((test::resourcesDir() / "models" / "tiny-llama-gqa").string());
}
QString out(const QString& name) {
    return QString::fromStdString((test::outputDir() / name.toStdString()).string());
}

void openModel(views::MainWindow& w, const QString& dir) {
    QSignalSpy loaded(&w, &views::MainWindow::modelLoaded);
    w.openModel(dir);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
}

// Small, fast settings, typed into the widgets is h1's business; these are the panel's setters.
void fastSettings(views::ConversionPanel* p) {
    p->setExact(false);
    p->setCalibration(16, 64);
    p->setLossProblems(10);
    p->setRank(32);
}

// Picks the combo entry whose data is `value` with the keyboard (focus + arrow keys), as a user does.
void chooseByKeyboard(QComboBox* combo, const QString& value) {
    combo->setFocus();
    const int target = combo->findData(value);
    QVERIFY(target >= 0);
    while (combo->currentIndex() < target)
        QTest::keyClick(combo, Qt::Key_Down);
    while (combo->currentIndex() > target)
        QTest::keyClick(combo, Qt::Key_Up);
    QCOMPARE(combo->currentIndex(), target);
}

// Closes any message box that comes up (a modal box would block the test), keeping its text.
QStringList* closeMessageBoxes(QObject* owner) {
    auto* texts = new QStringList;
    auto* timer = new QTimer(owner);
    timer->setInterval(100);
    QObject::connect(timer, &QTimer::timeout, timer, [texts] {
        for (QWidget* top : QApplication::topLevelWidgets())
            if (auto* box = qobject_cast<QMessageBox*>(top); box && box->isVisible()) {
                texts->append(box->text() + QLatin1Char(' ') + box->informativeText());
                box->done(0);
            }
    });
    QObject::connect(timer, &QObject::destroyed, [texts] { delete texts; });
    timer->start();
    return texts;
}

bool clickRunAndWait(views::MainWindow& w) {
    QSignalSpy done(&w, &views::MainWindow::conversionFinished);
    QSignalSpy failed(&w, &views::MainWindow::jobFailed);
    QTest::mouseClick(child<QPushButton>(w.conversionPanel(), "runButton"), Qt::LeftButton);
    if (!QTest::qWaitFor([&] { return done.count() == 1 || failed.count() == 1; }, 240000))
        qWarning("conversion timed out");
    if (failed.count()) qWarning("conversion failed: %s", qPrintable(failed.at(0).at(1).toString()));
    return done.count() == 1;
}

bool clickExportAndWait(views::MainWindow& w, const QString& dir) {
    QSignalSpy exported(&w, &views::MainWindow::exportFinished);
    QSignalSpy failed(&w, &views::MainWindow::jobFailed);
    QDir(dir).removeRecursively();
    transmla::test::gui::answerFileDialog(&w, dir); // however late the dialog comes
    QTest::mouseClick(child<QPushButton>(w.conversionPanel(), "exportButton"), Qt::LeftButton);
    if (!QTest::qWaitFor([&] { return exported.count() == 1 || failed.count() == 1; }, 240000))
        qWarning("export timed out");
    if (failed.count()) qWarning("export failed: %s", qPrintable(failed.at(0).at(1).toString()));
    return exported.count() == 1;
}

QJsonObject auditOf(const QString& exportDir) {
    QFile f(exportDir + QStringLiteral("/config.json"));
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(f.readAll())
        .object()
        .value(QStringLiteral("transmla"))
        .toObject()
        .value(QStringLiteral("audit"))
        .toObject();
}

QByteArray fileBytes(const QString& file) {
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The mean GSM8K NLL of a model folder over the first n problems, by the CLI (a separate process).
double cliLoss(const QString& dir, int n) {
    QProcess p;
    p.start(QStringLiteral(TRANSMLA_CLI_PATH),
            {QStringLiteral("eval"), dir, QStringLiteral("--data"), QStringLiteral("gsm8k"),
             QStringLiteral("--limit"), QString::number(n), QStringLiteral("--json")});
    if (!p.waitForFinished(120000) || p.exitCode() != 0) {
        qWarning("cli eval failed: %s", p.readAllStandardError().constData());
        return -1;
    }
    return QJsonDocument::fromJson(p.readAllStandardOutput())
        .object()
        .value(QStringLiteral("mean_nll"))
        .toDouble(-1);
}
} // namespace

class TestAuditFlow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    // Item 3: the default is exportable; Export works from the button and the exported model's loss
    // is the loss the user reviewed (the export is bf16: tolerance 0.02 nats/token).
    void defaultSettingsExportWhatWasEvaluated() {
        views::MainWindow w;
        w.show();
        openModel(w, demoModel());
        fastSettings(w.conversionPanel());
        QVERIFY(clickRunAndWait(w));
        QVERIFY(w.state().result->settings.latentNorm == convert::LatentNorm::Calibrated);
        QVERIFY(child<QPushButton>(w.conversionPanel(), "exportButton")->isEnabled());
        const QString dir = out(QStringLiteral("audit-export-default"));
        QVERIFY(clickExportAndWait(w, dir));
        const double reviewed = w.state().result->lossAfter->meanNll();
        const double exported = cliLoss(dir, 10);
        qInfo("GSM8K mean NLL over 10 problems: reviewed %.5f, exported folder %.5f", reviewed, exported);
        QVERIFY(std::abs(exported - reviewed) < 0.02);
        // The exported folder carries the audit record.
        const QJsonObject audit = auditOf(dir);
        QCOMPARE(
            audit.value(QStringLiteral("model")).toObject().value(QStringLiteral("content_hash")).toString(),
            QString::fromStdString(w.state().result->modelContentHash));
        QCOMPARE(audit.value(QStringLiteral("settings"))
                     .toObject()
                     .value(QStringLiteral("kv_lora_rank"))
                     .toString(),
                 QStringLiteral("32"));
        QCOMPARE(audit.value(QStringLiteral("layers")).toArray().size(), 4);
        QVERIFY(audit.value(QStringLiteral("gsm8k")).toObject().contains(QStringLiteral("ci95_difference")));
        QVERIFY(audit.contains(QStringLiteral("wikitext2")));
    }

    // Item 3: choosing "none" says before the run that it cannot be exported and why; after the run
    // Export stays disabled.
    void latentNormNoneIsDeclaredNotExportable() {
        views::MainWindow w;
        w.show();
        openModel(w, demoModel());
        fastSettings(w.conversionPanel());
        w.conversionPanel()->setLossProblems(5);
        auto* note = child<QLabel>(w.conversionPanel(), "latentNormNote");
        QVERIFY(note);
        chooseByKeyboard(child<QComboBox>(w.conversionPanel(), "latentNorm"), QStringLiteral("none"));
        QVERIFY2(note->isVisible() && note->text().contains(QStringLiteral("Not exportable")),
                 qPrintable(note->text()));
        QVERIFY(note->text().contains(QStringLiteral("kv_a_layernorm")));
        QVERIFY(clickRunAndWait(w));
        QVERIFY(!child<QPushButton>(w.conversionPanel(), "exportButton")->isEnabled());
        chooseByKeyboard(child<QComboBox>(w.conversionPanel(), "latentNorm"), QStringLiteral("calibrated"));
        QVERIFY(!note->text().contains(QStringLiteral("Not exportable")));
    }

    // Item 3: the bundled WikiText-2 works as calibration text.
    void wikitextCalibrationRuns() {
        views::MainWindow w;
        w.show();
        openModel(w, demoModel());
        fastSettings(w.conversionPanel());
        w.conversionPanel()->setLossProblems(5);
        chooseByKeyboard(child<QComboBox>(w.conversionPanel(), "calibrationSource"),
                         QStringLiteral("wikitext2"));
        QVERIFY(clickRunAndWait(w));
        QVERIFY(QString::fromStdString(w.state().result->calibrationFile)
                    .endsWith(QStringLiteral("wikitext2/valid.txt")));
    }

    // Item 3: a missing or empty text file is an error naming the file, at once (no job starts).
    void badCalibrationFileIsReportedAtOnce_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<bool>("create");
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing") << out(QStringLiteral("no-such-calibration.txt")) << false
                                 << QStringLiteral("does not exist");
        QTest::newRow("empty") << out(QStringLiteral("empty-calibration.txt")) << true
                               << QStringLiteral("is empty");
    }
    void badCalibrationFileIsReportedAtOnce() {
        QFETCH(QString, file);
        QFETCH(bool, create);
        QFETCH(QString, expected);
        QFile::remove(file);
        if (create) QVERIFY(QFile(file).open(QIODevice::WriteOnly));
        views::MainWindow w;
        w.show();
        openModel(w, demoModel());
        fastSettings(w.conversionPanel());
        chooseByKeyboard(child<QComboBox>(w.conversionPanel(), "calibrationSource"), QStringLiteral("file"));
        auto* edit = child<QLineEdit>(w.conversionPanel(), "calibrationFile");
        QVERIFY(edit && edit->isVisible());
        QTest::keyClicks(edit, file);
        QSignalSpy started(w.jobs(), &views::JobRunner::started);
        QSignalSpy failed(&w, &views::MainWindow::jobFailed);
        QTest::mouseClick(child<QPushButton>(w.conversionPanel(), "runButton"), Qt::LeftButton);
        QCOMPARE(failed.count(), 1); // synchronously: before any work
        QCOMPARE(started.count(), 0);
        const QString msg = failed.at(0).at(1).toString();
        QVERIFY2(msg.contains(file) && msg.contains(expected), qPrintable(msg));
        QVERIFY(!w.jobs()->isBusy());
        QVERIFY(child<QPushButton>(w.conversionPanel(), "runButton")->isEnabled());
    }

    // Item 6: the Loss tab shows the intervals, the answer-only loss and WikiText-2 perplexity
    // (answer-only and perplexity recomputed here from the per-document sums).
    void lossTabShowsIntervalsAnswerOnlyAndPerplexity() {
        views::MainWindow w;
        w.show();
        openModel(w, demoModel());
        fastSettings(w.conversionPanel());
        QVERIFY(clickRunAndWait(w));
        const auto& r = *w.state().result;
        double s = 0, t = 0;
        for (const auto& d : r.lossAfter->perDoc)
            s += d.answerNllSum, t += double(d.answerTokens);
        const QString text = w.lossView()->summaryText();
        qInfo("%s", qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("95%")) && text.contains(QStringLiteral("paired")),
                 qPrintable(text));
        QVERIFY2(text.contains(QLocale().toString(s / t, 'f', 4)), qPrintable(text));
        QVERIFY(r.wikitextBefore && r.wikitextAfter);
        double ws = 0, wt = 0;
        for (const auto& d : r.wikitextAfter->perDoc)
            ws += d.nllSum, wt += double(d.tokens);
        QCOMPARE(int64_t(wt), int64_t(8 * 511));
        QVERIFY2(text.contains(QLocale().toString(std::exp(ws / wt), 'f', 3)),
                 qPrintable(text)); // shown in the user's locale
    }

    // Item 6: File > Report... writes report.md with the record and the plots as PNG, atomically;
    // a folder holding other files is refused and left as it was.
    // A plot exported from its tab (Ctrl+E, the file chooser typed) carries the audit record beside it.
    void plotExportCarriesTheAuditRecord() {
        views::MainWindow w;
        w.show();
        openModel(w, demoModel());
        fastSettings(w.conversionPanel());
        QVERIFY(clickRunAndWait(w));
        w.tabs()->setCurrentWidget(w.lossView());
        const QString file = out(QStringLiteral("audit-plot.csv"));
        QFile::remove(file);
        QFile::remove(file + QStringLiteral(".audit.json"));
        const QStringList* boxes = closeMessageBoxes(&w);
        transmla::test::gui::answerFileDialog(&w, file);
        QTest::keySequence(&w, QKeySequence(Qt::CTRL | Qt::Key_E));
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(file + QStringLiteral(".audit.json")) || !boxes->isEmpty(),
                                 20000);
        QVERIFY2(boxes->isEmpty(), qPrintable(boxes->join(QLatin1Char('\n'))));
        QVERIFY(QFile::exists(file));
        const QString record = QString::fromUtf8(fileBytes(file + QStringLiteral(".audit.json")));
        QVERIFY(record.contains(QString::fromStdString(w.state().result->modelContentHash)));
        QVERIFY(record.contains(QStringLiteral("kv_lora_rank")));
    }

    // File > Export for vLLM / SGLang serving: the folder is padded to 512 + 64, interleaved RoPE, lm_head.
    void servingExportFromFileMenu() {
        views::MainWindow w;
        w.show();
        openModel(w, demoModel());
        fastSettings(w.conversionPanel());
        QVERIFY(clickRunAndWait(w));
        QAction* serving = nullptr;
        for (QAction* menu : w.menuBar()->actions())
            if (menu->menu())
                for (QAction* a : menu->menu()->actions())
                    if (a->objectName() == QLatin1String("servingExportAction")) serving = a;
        QVERIFY(serving && serving->isEnabled());
        const QString dir = out(QStringLiteral("audit-serving"));
        QDir(dir).removeRecursively();
        QSignalSpy exported(&w, &views::MainWindow::exportFinished);
        const QStringList* boxes = closeMessageBoxes(&w);
        transmla::test::gui::answerFileDialog(&w, dir);
        serving->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(exported.count() == 1 || !boxes->isEmpty(), 60000);
        QVERIFY2(boxes->isEmpty(), qPrintable(boxes->join(QLatin1Char('\n'))));
        const QString config = QString::fromUtf8(fileBytes(dir + QStringLiteral("/config.json")));
        QVERIFY(config.contains(QStringLiteral("\"kv_lora_rank\": 512")));
        QVERIFY(config.contains(QStringLiteral("\"qk_rope_head_dim\": 64")));
        QVERIFY(config.contains(QStringLiteral("\"rope_interleave\": true")));
        QVERIFY(config.contains(QStringLiteral("\"export_target\": \"serving\"")));
    }

    void reportFromFileMenu() {
        views::MainWindow w;
        w.show();
        openModel(w, demoModel());
        fastSettings(w.conversionPanel());
        QVERIFY(clickRunAndWait(w));
        QAction* report = nullptr;
        for (QAction* menu : w.menuBar()->actions())
            if (menu->menu())
                for (QAction* a : menu->menu()->actions())
                    if (a->objectName() == QLatin1String("reportAction")) report = a;
        QVERIFY(report);
        const QString dir = out(QStringLiteral("audit-report"));
        QDir(dir).removeRecursively();
        QSignalSpy written(&w, &views::MainWindow::reportWritten);
        const QStringList* boxes = closeMessageBoxes(&w);
        transmla::test::gui::answerFileDialog(&w, dir);
        report->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(written.count() == 1 || !boxes->isEmpty(), 20000);
        QVERIFY2(boxes->isEmpty(), qPrintable(boxes->join(QLatin1Char('\n'))));
        QCOMPARE(written.count(), 1);
        const QString md = QString::fromUtf8(fileBytes(dir + QStringLiteral("/report.md")));
        const auto& r = *w.state().result;
        QVERIFY(md.contains(QString::fromStdString(r.modelContentHash)));
        QVERIFY(md.contains(QStringLiteral("| kv_lora_rank | 32 |")));
        QVERIFY(md.contains(QStringLiteral("answer tokens only")) &&
                md.contains(QStringLiteral("WikiText-2")));
        QVERIFY(md.contains(QString::number(r.lossAfter->meanNll(), 'f', 4)));
        const QStringList pngs = QDir(dir).entryList({QStringLiteral("*.png")});
        QCOMPARE(pngs.size(), 4);
        for (const QString& png : pngs) {
            QVERIFY(md.contains(png));
            QVERIFY(!QImage(dir + QLatin1Char('/') + png).isNull());
        }
        // Nothing left beside it; a second report replaces the first.
        QCOMPARE(QDir(out(QString())).entryList({QStringLiteral("audit-report.*")}, QDir::AllEntries).size(),
                 0);
        QCOMPARE(w.writeReport(dir), QString());
        // A folder with other files is not a report: refused, untouched.
        const QString other = out(QStringLiteral("audit-not-a-report"));
        QDir(other).removeRecursively();
        QDir().mkpath(other);
        QFile keep(other + QStringLiteral("/keep.txt"));
        QVERIFY(keep.open(QIODevice::WriteOnly) && keep.write("mine") == 4);
        keep.close();
        QVERIFY(w.writeReport(other).contains(other));
        QCOMPARE(QDir(other).entryList(QDir::Files), QStringList{QStringLiteral("keep.txt")});
    }

    // Item 6: a reopened session exports (the conversion runs again after the model's content hash is
    // checked) the same bytes as the live result; a changed model folder is refused, naming it.
    void reopenedSessionExports() {
        const QString model = out(QStringLiteral("audit-model"));
        QDir(model).removeRecursively();
        QDir().mkpath(model);
        for (const QString& f : QDir(demoModel()).entryList(QDir::Files))
            QVERIFY(QFile::copy(demoModel() + QLatin1Char('/') + f, model + QLatin1Char('/') + f));
        const QString session = out(QStringLiteral("audit-session.h5"));
        const QString live = out(QStringLiteral("audit-export-live"));
        {
            views::MainWindow w;
            w.show();
            openModel(w, model);
            fastSettings(w.conversionPanel());
            w.conversionPanel()->setLossProblems(10);
            QVERIFY(clickRunAndWait(w));
            QVERIFY(clickExportAndWait(w, live));
            QVERIFY(w.saveSession(session));
        }
        const QString again = out(QStringLiteral("audit-export-reopened"));
        {
            views::MainWindow w;
            w.show();
            QSignalSpy opened(&w, &views::MainWindow::sessionOpened);
            QVERIFY(w.openSession(session));
            QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
            QVERIFY(!w.state().result->models);
            QVERIFY(child<QPushButton>(w.conversionPanel(), "exportButton")->isEnabled());
            QVERIFY(clickExportAndWait(w, again));
        }
        QCOMPARE(QDir(again).entryList(QDir::Files), QDir(live).entryList(QDir::Files));
        for (const QString& f : QDir(live).entryList({QStringLiteral("*.safetensors")}, QDir::Files))
            QVERIFY2(fileBytes(again + QLatin1Char('/') + f) == fileBytes(live + QLatin1Char('/') + f),
                     qPrintable(f));
        QCOMPARE(auditOf(again).value(QStringLiteral("gsm8k")), auditOf(live).value(QStringLiteral("gsm8k")));
        // The model changes on disk: the session's export refuses, naming the folder; nothing written.
        {
            QFile g(model + QStringLiteral("/generation_config.json"));
            QVERIFY(g.open(QIODevice::Append) && g.write("\n") == 1);
        }
        views::MainWindow w;
        w.show();
        QSignalSpy opened(&w, &views::MainWindow::sessionOpened);
        QVERIFY(w.openSession(session));
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        const QString refused = out(QStringLiteral("audit-export-refused"));
        QSignalSpy failed(&w, &views::MainWindow::jobFailed);
        QVERIFY(!clickExportAndWait(w, refused));
        QCOMPARE(failed.count(), 1);
        QVERIFY2(failed.at(0).at(1).toString().contains(model) &&
                     failed.at(0).at(1).toString().contains(QStringLiteral("changed")),
                 qPrintable(failed.at(0).at(1).toString()));
        QVERIFY(!QFileInfo::exists(refused));
    }
};

} // namespace tst_auditflow

TRANSMLA_TEST_MAIN_APP(tst_auditflow, tst_auditflow::TestAuditFlow, QApplication)
#include "tst_auditflow.moc"
