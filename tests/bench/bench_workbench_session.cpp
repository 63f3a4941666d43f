// A scripted workbench session, driven through the real window as a user drives it (QTest clicks
// and typing, offscreen): open a model, choose the device, type qk_rope_head_dim, kv_lora_rank and
// the number of GSM8K problems, press Run, then change the rank a few times by typing into the rank
// box and pressing Enter (each change re-truncates the cached conversion and re-scores the same
// problems). Prints the time of each step, the losses, the device memory, and the longest stall of
// the GUI event loop (a 5 ms QTimer watchdog: the largest gap between its ticks, minus 5 ms).
// Screenshots: one grid of every tab (QWidget::grab) after the conversion and one after the rank
// changes, as SHOTS/NAME_convert.png and SHOTS/NAME_rank.png.
//   bench_workbench_session MODEL_DIR [--device cuda] [--dtype bf16] [--rank 512] [--rope-dim 64]
//       [--problems 200] [--ranks "384 256"] [--samples 64] [--seqlen 128] [--shots DIR] [--name NAME]
// A large model shows its first result (firstResultShown) before the details (conversionFinished):
// both times are printed, with the stages of each (StageClock).
// Not a test: the figures depend on the machine (tests/gpu/run_workbench_gpu.sh runs it on the GPU).
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTabWidget>
#include <QTimer>
#include <QtTest/QtTest>
#include <cstdio>

#include "conversionpanel.h"
#include "guitest.h"
#include "lossview.h"
#include "mainwindow.h"
#include "rankfollower.h"
#include "workbench/device.h"

using namespace transmla;
namespace gui = transmla::test::gui;

namespace {

// The longest gap between ticks of a 5 ms timer in the GUI thread since the last reset.
class StallWatch : public QObject {
public:
    StallWatch() {
        timer_.setInterval(5);
        timer_.setTimerType(Qt::PreciseTimer);
        connect(&timer_, &QTimer::timeout, this, [this] { worst_ = std::max(worst_, clock_.restart() - 5); });
        reset();
        timer_.start();
    }
    void reset() {
        clock_.restart();
        worst_ = 0;
    }
    qint64 worstMs() const { return worst_; }

private:
    QTimer timer_;
    QElapsedTimer clock_;
    qint64 worst_ = 0;
};

QString arg(const QStringList& args, const QString& name, const QString& fallback) {
    const int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args[i + 1] : fallback;
}

// Types `value` into the spin box character by character and presses Enter, as a user does.
void typeValue(QSpinBox* box, int value) {
    gui::typeInto(box, QString::number(value));
    gui::commit(box);
}

bool waitFor(QSignalSpy& spy, QSignalSpy& failed, int seconds) {
    QElapsedTimer t;
    t.start();
    while (spy.isEmpty() && failed.isEmpty() && t.elapsed() < seconds * 1000)
        QTest::qWait(20);
    return !spy.isEmpty();
}

QString memoryLine(const QString& device) {
    const auto m = workbench::deviceMemory(device.toStdString());
    if (!m.known) return QStringLiteral("memory: unknown");
    return QStringLiteral("memory: %1 GiB free of %2 GiB, this process holds %3 GiB")
        .arg(double(m.freeBytes) / (1 << 30), 0, 'f', 1)
        .arg(double(m.totalBytes) / (1 << 30), 0, 'f', 1)
        .arg(double(m.heldBytes) / (1 << 30), 0, 'f', 1);
}

// Every tab of the window, grabbed, in a 3 x 2 grid (the window is drawn offscreen).
void shootTabs(views::MainWindow& w, const QString& file) {
    QList<QImage> shots;
    for (int i = 0; i < w.tabs()->count(); ++i) {
        w.tabs()->setCurrentIndex(i);
        QTest::qWait(200); // queued replots
        shots << w.grab().toImage();
    }
    const QSize s = shots.first().size();
    QImage grid(s.width() * 3, s.height() * ((int(shots.size()) + 2) / 3), QImage::Format_RGB32);
    grid.fill(Qt::white);
    QPainter p(&grid);
    for (int i = 0; i < shots.size(); ++i)
        p.drawImage((i % 3) * s.width(), (i / 3) * s.height(), shots[i]);
    p.end();
    grid.scaled(grid.width() * 2 / 3, grid.height() * 2 / 3, Qt::KeepAspectRatio, Qt::SmoothTransformation)
        .save(file);
    std::printf("screenshot: %s\n", qPrintable(file));
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // progress lines appear as they happen, also in a pipe
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: bench_workbench_session MODEL_DIR [--device cuda] [--dtype bf16] ...\n");
        return 2;
    }
    const QString model = args[1], device = arg(args, QStringLiteral("--device"), QStringLiteral("cuda"));
    const QString dtype = arg(args, QStringLiteral("--dtype"), QStringLiteral("f32"));
    const int rank = arg(args, QStringLiteral("--rank"), QStringLiteral("512")).toInt();
    const int ropeDim = arg(args, QStringLiteral("--rope-dim"), QStringLiteral("0")).toInt();
    const int problems = arg(args, QStringLiteral("--problems"), QStringLiteral("200")).toInt();
    const QString shots = arg(args, QStringLiteral("--shots"), QStringLiteral("."));
    const QString name = arg(args, QStringLiteral("--name"), QStringLiteral("session"));
    QList<int> ranks;
    for (const QString& r : arg(args, QStringLiteral("--ranks"), QStringLiteral("384 256"))
                                .split(QLatin1Char(' '), Qt::SkipEmptyParts))
        ranks << r.toInt();

    views::MainWindow w;
    w.resize(1500, 950);
    w.show();
    StallWatch watch;
    QElapsedTimer clock;
    std::printf("session %s: %s on %s (%s)\n", qPrintable(name), qPrintable(model), qPrintable(device),
                qPrintable(dtype));

    QSignalSpy loaded(&w, &views::MainWindow::modelLoaded), failed(&w, &views::MainWindow::jobFailed);
    QSignalSpy loadFailed(&w, &views::MainWindow::modelLoadFailed);
    clock.start();
    watch.reset();
    w.openModel(model);
    if (!waitFor(loaded, loadFailed, 60)) {
        std::printf("open failed\n");
        return 1;
    }
    std::printf("open: %.2f s (longest stall %lld ms)\n", clock.elapsed() / 1e3, watch.worstMs());

    auto* panel = w.conversionPanel();
    auto* deviceBox = panel->findChild<QComboBox*>(QStringLiteral("deviceCombo"));
    const int choice = deviceBox->findData(QString(device + QLatin1Char(':') + dtype));
    if (choice < 0) {
        std::printf("device %s:%s is not offered: %s\n", qPrintable(device), qPrintable(dtype),
                    qPrintable(deviceBox->toolTip()));
        return 1;
    }
    gui::chooseItem(deviceBox, choice);
    if (ropeDim > 0) typeValue(panel->findChild<QSpinBox*>(QStringLiteral("ropeDimSpin")), ropeDim);
    typeValue(panel->findChild<QSpinBox*>(QStringLiteral("rankSpin")), rank);
    if (!panel->findChild<QCheckBox*>(QStringLiteral("evaluateCheck"))->isChecked())
        gui::click(panel->findChild<QCheckBox*>(QStringLiteral("evaluateCheck")));
    typeValue(panel->findChild<QSpinBox*>(QStringLiteral("problemsSpin")), problems);
    if (const QString s = arg(args, QStringLiteral("--samples"), QString()); !s.isEmpty())
        typeValue(panel->findChild<QSpinBox*>(QStringLiteral("samplesSpin")), s.toInt());
    if (const QString s = arg(args, QStringLiteral("--seqlen"), QString()); !s.isEmpty())
        typeValue(panel->findChild<QSpinBox*>(QStringLiteral("seqLenSpin")), s.toInt());
    std::printf("settings: rank %d, qk_rope_head_dim %lld, %d problems, device %s\n", panel->rank(),
                static_cast<long long>(panel->settings().qkRopeHeadDim), panel->lossProblems(),
                qPrintable(deviceBox->currentText()));

    QSignalSpy converted(&w, &views::MainWindow::conversionFinished);
    QSignalSpy firstShown(&w, &views::MainWindow::firstResultShown);
    clock.restart();
    watch.reset();
    gui::click(panel->findChild<QPushButton*>(QStringLiteral("runButton")));
    {
        QElapsedTimer t;
        t.start();
        while (converted.isEmpty() && firstShown.isEmpty() && failed.isEmpty() && t.elapsed() < 900000)
            QTest::qWait(20);
    }
    if (!firstShown.isEmpty()) { // a large model: the first result, then the details as their own job
        std::printf(
            "first result (conversion + loss before/after on %d problems): %.2f s (longest stall %lld "
            "ms)\n  loss before %.4f, after %.4f\n  stages: %s\n",
            problems, clock.elapsed() / 1e3, watch.worstMs(),
            w.state().result->lossBefore ? w.state().result->lossBefore->meanNll() : -1.0,
            w.state().result->lossAfter ? w.state().result->lossAfter->meanNll() : -1.0,
            formatStages(w.state().result->stageSeconds).c_str());
        waitFor(converted, failed, 900);
    }
    if (converted.isEmpty()) {
        std::printf("conversion failed: %s\n",
                    failed.isEmpty() ? "timeout" : qPrintable(failed.first().at(1).toString()));
        return 1;
    }
    const auto& r = *w.state().result;
    std::printf("first conversion + loss before/after on %d problems + full-rank loss, spectra, attention, "
                "perplexity: "
                "%.2f s (longest stall %lld ms)\n",
                problems, clock.elapsed() / 1e3, watch.worstMs());
    std::printf("  loss before %.4f, after %.4f (full rank %.4f), KV bytes/token %lld -> %lld, %s\n",
                r.lossBefore ? r.lossBefore->meanNll() : -1.0, r.lossAfter ? r.lossAfter->meanNll() : -1.0,
                r.lossFullRank.value_or(-1.0), (long long)r.kvBytesPerTokenBefore,
                (long long)r.kvBytesPerTokenAfter, qPrintable(memoryLine(device)));
    std::printf("  %s: %s\n", firstShown.isEmpty() ? "stages" : "details stages",
                formatStages(r.stageSeconds).c_str());
    shootTabs(w, shots + QLatin1Char('/') + name + QStringLiteral("_convert.png"));

    auto* follower = w.findChild<views::RankFollower*>(QStringLiteral("rankFollower"));
    QSignalSpy applied(follower, &views::RankFollower::rankApplied);
    auto* rankBox = panel->findChild<QSpinBox*>(QStringLiteral("rankSpin"));
    qint64 worstChange = 0;
    for (int next : ranks) {
        applied.clear();
        clock.restart();
        watch.reset();
        typeValue(rankBox, next);
        if (!waitFor(applied, failed, 300)) {
            std::printf("rank change to %d failed: %s\n", next,
                        failed.isEmpty() ? "timeout" : qPrintable(failed.first().at(1).toString()));
            return 1;
        }
        const auto& now = *w.state().result;
        worstChange = std::max(worstChange, clock.elapsed());
        std::printf(
            "rank change -> %d: loss after %.4f, KV bytes/token %lld, %.2f s from Enter to the shown result "
            "(job %.2f s; longest stall %lld ms)\n",
            next, now.lossAfter ? now.lossAfter->meanNll() : -1.0, (long long)now.kvBytesPerTokenAfter,
            clock.elapsed() / 1e3, applied.first().at(1).toDouble(), watch.worstMs());
    }
    // A change that arrives while the previous one still evaluates: the stale one is cancelled.
    if (ranks.size() >= 2) {
        applied.clear();
        clock.restart();
        // The second must differ from the rank shown now (else there is nothing to apply): with
        // --ranks "32 16" that is the session's first rank.
        const int first = ranks[0], second = ranks[1] != ranks.back() ? ranks[1] : rank;
        typeValue(rankBox, first);
        QTest::qWait(50);
        typeValue(rankBox, second);
        QElapsedTimer t;
        t.start();
        while ((applied.isEmpty() || applied.last().at(0).toInt() != second) && t.elapsed() < 300000)
            QTest::qWait(20);
        QTest::qWait(300);
        std::printf("two quick changes (%d then %d): %d result(s) shown, last at rank %lld, %.2f s\n", first,
                    second, int(applied.size()), (long long)w.state().result->settings.kvLoraRank,
                    clock.elapsed() / 1e3);
    }
    std::printf("slowest rank change: %.2f s; %s\n", worstChange / 1e3, qPrintable(memoryLine(device)));
    w.tabs()->setCurrentIndex(4);
    shootTabs(w, shots + QLatin1Char('/') + name + QStringLiteral("_rank.png"));
    return 0;
}
