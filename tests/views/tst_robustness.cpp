// A seeded user-flow robustness test: a robot clicks and types through the workbench like an
// impatient user (every control of the conversion panel incl. spin-box arrows and typing, Run,
// Cancel, Ctrl+R, Rank sweep, Export to a temp folder, Save/Open session, tab switches, resizes,
// model switches between the demo and ../shared models), answering every box it raises. After each
// action: no exception escaped an event handler, at most one job runs and every job that started
// ends, and Run is enabled whenever the window is idle with a convertible model. Settings stay
// small (few calibration samples, few GSM8K problems) so that CI runs it in well under 2 minutes.
// Seeds that ever failed stay as fixed rows.
#include <QCheckBox>
#include <QLabel>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <random>

#include "conversionpanel.h"
#include "guitest.h"
#include "jobrunner.h"
#include "lossview.h"
#include "mainwindow.h"
#include "testutil.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_robustness {

using namespace transmla;
namespace gui = transmla::test::gui;

namespace {

// Catches what a slot throws: in a plain QApplication it would end the program (issue 13 item 1).
class GuardedApp : public QApplication {
public:
    using QApplication::QApplication;
    QStringList escaped;
    bool notify(QObject* o, QEvent* e) override {
        try {
            return QApplication::notify(o, e);
        } catch (const std::exception& ex) {
            escaped << QString::fromUtf8(ex.what());
        } catch (...) {
            escaped << QStringLiteral("unknown exception");
        }
        return false;
    }
};
GuardedApp* guardedApp() {
    return static_cast<GuardedApp*>(qApp);
}

QStringList modelDirs() {
    QStringList dirs{QString::fromStdString((test::resourcesDir() / "models" / "tiny-llama-gqa").string())};
    for (const char* m : {"tiny-qwen2-gqa", "fixture-gemma2", "stories260K"}) {
        const auto p = test::sharedDir() / "models" / m;
        if (std::filesystem::exists(p / "config.json")) dirs << QString::fromStdString(p.string());
    }
    return dirs;
}

class Robot {
public:
    Robot(views::MainWindow& w, uint32_t seed) : w_(w), rng_(seed), models_(modelDirs()) {
        panel_ = w.conversionPanel();
        spins_ = panel_->findChildren<QSpinBox*>();
        combos_ = panel_->findChildren<QComboBox*>();
        run_ = panel_->findChild<QPushButton*>(QStringLiteral("runButton"));
        cancel_ = panel_->findChild<QPushButton*>(QStringLiteral("cancelButton"));
        export_ = panel_->findChild<QPushButton*>(QStringLiteral("exportButton"));
        QObject::connect(w.jobs(), &views::JobRunner::started, [this](const QString& name) {
            if (running_ != 0) problems_ << QStringLiteral("%1 started while a job ran").arg(name);
            ++running_;
            ++jobs_;
            jobClock_.start();
        });
        QObject::connect(w.jobs(), &views::JobRunner::finished, [this] { --running_; });
        // Answers every modal box: file choosers get the path the current action prepared (or are
        // cancelled), questions get Discard or Cancel, error boxes Ok.
        answerer_.setInterval(15);
        QObject::connect(&answerer_, &QTimer::timeout, [this] { answer(); });
        answerer_.start();
    }

    int jobs() const { return jobs_; }
    const QStringList& problems() const { return problems_; }

    void act(int i) {
        std::uniform_int_distribution<int> pick(0, 99);
        const int a = pick(rng_);
        path_.clear();
        if (qEnvironmentVariableIsSet("ROBOT_DEBUG"))
            qInfo("action %d: %d (busy %d)", i, a, int(w_.jobs()->isBusy()));
        if (a < 22)
            arrow();
        else if (a < 34)
            type();
        else if (a < 42)
            combo();
        else if (a < 45)
            gui::click(panel_->findChild<QCheckBox*>(QStringLiteral("evaluateCheck")));
        else if (a < 48)
            slider();
        else if (a < 58)
            clickIfEnabled(run_);
        else if (a < 64)
            clickIfEnabled(cancel_);
        else if (a < 67)
            QTest::keySequence(&w_, QKeySequence(Qt::CTRL | Qt::Key_R));
        else if (a < 69)
            trigger(QStringLiteral("Rank sweep"));
        else if (a < 72)
            exportModel(i);
        else if (a < 75)
            saveSession(i);
        else if (a < 77)
            openSession();
        else if (a < 85)
            tab();
        else if (a < 89)
            w_.resize(900 + int(rng_() % 700), 600 + int(rng_() % 400));
        else if (a < 92)
            switchModel();
        else
            QTest::qWait(int(rng_() % 200));
        QTest::qWait(int(rng_() % 25));
        check(i);
    }

    // Waits for the running job (cancelling it after a while) and checks the idle state.
    void settle() {
        if (w_.jobs()->isBusy() && !QTest::qWaitFor([&] { return !w_.jobs()->isBusy(); }, 20000))
            gui::click(cancel_);
        if (!QTest::qWaitFor([&] { return !w_.jobs()->isBusy(); }, 20000))
            problems_ << QStringLiteral("a job never ended");
        QTest::qWait(50);
        check(-1);
    }

private:
    void check(int i) {
        const QString at = QStringLiteral(" (action %1)").arg(i);
        for (const QString& e : guardedApp()->escaped)
            problems_ << QStringLiteral("exception escaped: ") + e + at;
        guardedApp()->escaped.clear();
        if (running_ < 0 || running_ > 1) problems_ << QStringLiteral("%1 jobs running").arg(running_) + at;
        if (running_ != int(w_.jobs()->isBusy()))
            problems_ << QStringLiteral("busy state disagrees with the jobs") + at;
        if (running_ == 1 && jobClock_.elapsed() > 60000)
            problems_ << QStringLiteral("a job runs for over 60 s") + at;
        if (!w_.jobs()->isBusy() && panel_->maxRank() > 0 && !run_->isEnabled())
            problems_ << QStringLiteral("Run disabled while idle") + at;
        if (w_.jobs()->isBusy() && run_->isEnabled())
            problems_ << QStringLiteral("Run enabled while busy") + at;
    }

    void answer() {
        QWidget* modal = QApplication::activeModalWidget();
        if (auto* box = qobject_cast<QMessageBox*>(modal)) {
            QAbstractButton* b = box->button(QMessageBox::Discard);
            if (b && rng_() % 4 == 0) b = box->button(QMessageBox::Cancel);
            if (!b) b = box->button(QMessageBox::Ok);
            if (!b) b = box->button(QMessageBox::Yes); // e.g. a file chooser's "overwrite?"
            // Clicked from a fresh event: a box opened by the click (e.g. "overwrite?") must find this
            // timer free to answer it.
            if (b) QTimer::singleShot(0, b, [b] { gui::click(b); });
        } else if (auto* dialog = qobject_cast<QFileDialog*>(modal)) {
            auto* name = dialog->findChild<QLineEdit*>(QStringLiteral("fileNameEdit"));
            if (path_.isEmpty() || !name) return dialog->reject();
            const QString path = path_;
            path_.clear();
            QTimer::singleShot(0, dialog, [dialog, name, path] { gui::typeFileName(dialog, name, path); });
        }
    }

    void arrow() {
        QSpinBox* box = spins_[rng_() % spins_.size()];
        if (box->isEnabled() && box->isVisible()) gui::clickArrow(box, rng_() % 2);
    }

    // Small values only (the run must stay short): the boxes clamp what is out of range.
    void type() {
        QSpinBox* box = spins_[rng_() % spins_.size()];
        if (!box->isEnabled() || !box->isVisible()) return;
        const QString n = box->objectName();
        int v = int(rng_() % 100);
        if (n == QLatin1String("samplesSpin"))
            v = 1 + int(rng_() % 12);
        else if (n == QLatin1String("seqLenSpin"))
            v = 8 + int(rng_() % 60);
        else if (n == QLatin1String("problemsSpin"))
            v = 1 + int(rng_() % 8);
        gui::typeInto(box, QString::number(v));
        if (rng_() % 2)
            gui::commit(box);
        else
            QTest::keyClick(box, Qt::Key_Tab);
    }

    void combo() {
        QComboBox* box = combos_[rng_() % combos_.size()];
        if (box->isEnabled() && box->isVisible() && box->count() > 0)
            gui::chooseItem(box, int(rng_() % box->count()));
    }

    void slider() {
        auto* s = panel_->findChild<QSlider*>(QStringLiteral("rankSlider"));
        if (!s->isEnabled()) return;
        s->setFocus();
        QTest::keyClick(s, rng_() % 2 ? Qt::Key_PageUp : Qt::Key_PageDown);
    }

    void clickIfEnabled(QPushButton* b) {
        if (b->isEnabled() && b->isVisible()) gui::click(b);
    }

    void trigger(const QString& text) {
        if (QAction* a = gui::menuAction(&w_, text); a && a->isEnabled()) a->trigger();
    }

    void exportModel(int i) {
        if (!export_->isEnabled()) return;
        path_ =
            QString::fromStdString((test::outputDir() / "robot" / ("export-" + std::to_string(i))).string());
        gui::click(export_);
    }

    void saveSession(int i) {
        path_ = QString::fromStdString(
            (test::outputDir() / "robot" / ("session-" + std::to_string(i % 3) + ".h5")).string());
        trigger(QStringLiteral("Save session..."));
        if (QFileInfo::exists(path_)) sessions_ << path_;
    }

    void openSession() {
        if (saved_.isEmpty()) {
            for (int k = 0; k < 3; ++k) {
                const QString f = QString::fromStdString(
                    (test::outputDir() / "robot" / ("session-" + std::to_string(k) + ".h5")).string());
                if (QFileInfo::exists(f)) saved_ << f;
            }
            if (saved_.isEmpty()) return;
        }
        path_ = saved_[int(rng_() % saved_.size())];
        trigger(QStringLiteral("Open session..."));
    }

    void tab() {
        QTabBar* bar = w_.tabs()->tabBar();
        const int t = int(rng_() % bar->count());
        QTest::mouseClick(bar, Qt::LeftButton, Qt::NoModifier, bar->tabRect(t).center());
    }

    void switchModel() {
        const QString dir = models_[int(rng_() % models_.size())];
        if (QAction* a = gui::menuAction(&w_, dir); a && a->isEnabled())
            a->trigger(); // File > Open recent
        else if (!w_.jobs()->isBusy())
            w_.openModel(dir);
    }

    views::MainWindow& w_;
    std::mt19937 rng_;
    QStringList models_, sessions_, saved_;
    views::ConversionPanel* panel_;
    QList<QSpinBox*> spins_;
    QList<QComboBox*> combos_;
    QPushButton *run_, *cancel_, *export_;
    QTimer answerer_;
    QString path_;
    int running_ = 0, jobs_ = 0;
    QElapsedTimer jobClock_;
    QStringList problems_;
};

} // namespace

class TestRobustness : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        std::filesystem::remove_all(test::outputDir() / "robot");
        std::filesystem::create_directories(test::outputDir() / "robot");
    }

    void randomUserFlow_data() {
        QTest::addColumn<uint>("seed");
        QTest::addColumn<int>("actions");
        // seed 1 hung at action 132/136 (Save session over an existing file: the "overwrite?" box was
        // opened from inside the answering timer's slot and never answered): kept as a fixed case.
        QTest::newRow("seed 1") << 1u << 300;
        QTest::newRow("seed 20261201") << 20261201u << 300;
        QTest::newRow("seed 7") << 7u << 300;
    }
    void randomUserFlow() {
        QFETCH(uint, seed);
        QFETCH(int, actions);
        QElapsedTimer t;
        t.start();
        views::MainWindow w;
        w.resize(1280, 800);
        w.show();
        QSignalSpy loaded(&w, &views::MainWindow::modelLoaded);
        w.openModel(modelDirs().front());
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
        views::ConversionPanel* p = w.conversionPanel();
        p->setCalibration(8, 32); // start small; the robot types small values only
        p->setLossProblems(4);
        {
            Robot robot(w, seed);
            for (int i = 0; i < actions; ++i) {
                robot.act(i);
                if (!robot.problems().isEmpty()) break;
            }
            robot.settle();
            qInfo("seed %u: %d actions, %d jobs, %.1f s", seed, actions, robot.jobs(),
                  double(t.elapsed()) / 1000.0);
            QVERIFY2(robot.problems().isEmpty(), qPrintable(robot.problems().join(QLatin1Char('\n'))));
        }
    }
};

} // namespace tst_robustness

// QTEST_MAIN with the guarded application object.
TRANSMLA_TEST_MAIN_APP(tst_robustness, tst_robustness::TestRobustness, tst_robustness::GuardedApp)
#include "tst_robustness.moc"
