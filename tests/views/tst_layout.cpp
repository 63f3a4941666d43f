// Fitting real screens and classroom mode, offscreen on a 1366 x 768 screen (the platform's config
// file sets it): the main window's minimum size and the dialogs fit 1366 x 768 in English and German
// (the German translation loaded as the GUI loads it), a geometry saved from a larger screen comes
// back clamped, F11 is full screen with text and plot ticks >= 18 pt and the window fits 1920 x 1080,
// the guide's text is never clipped, says which settings a step changes, and an exact conversion's
// attention difference is called float rounding with its size, never a negative KL.
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QFontDatabase>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTimer>

#include "attentionview.h"
#include "classroomguide.h"
#include "conversionpanel.h"
#include "jobrunner.h"
#include "mainwindow.h"
#include "qcp.h"
#include "spectrumview.h"
#include "testutil.h"
#include "translations.h"

using namespace transmla;

namespace {
constexpr int kScreenW = 1366, kScreenH = 768;
constexpr int kTitleBar = 30; // the window manager's title bar comes on top of the window's own height

QString demoModel() {
    return QString::fromStdString((test::resourcesDir() / "models" / "tiny-llama-gqa").string());
}

void openDemo(views::MainWindow& w) {
    QSignalSpy loaded(&w, &views::MainWindow::modelLoaded);
    w.openModel(demoModel());
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
}

// The size a user cannot shrink the window below.
QSize minimumOf(QWidget* w) {
    return w->minimumSize().expandedTo(w->minimumSizeHint());
}
} // namespace

class TestLayout : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QCOMPARE(QGuiApplication::primaryScreen()->geometry().size(), QSize(kScreenW, kScreenH));
    }
    void cleanup() {
        views::installTranslations(QLocale::c());
        QSettings().clear();
    }

    void fitsA1366x768Screen_data() {
        QTest::addColumn<QString>("language");
        QTest::newRow("English") << QStringLiteral("en");
        QTest::newRow("German") << QStringLiteral("de");
        QTest::newRow("Chinese") << QStringLiteral("zh_CN");
    }
    void fitsA1366x768Screen() {
        QFETCH(QString, language);
        if (language != QLatin1String("en"))
            QVERIFY2(views::installTranslations(QLocale(language)), "no translation");
        views::MainWindow w;
        if (language != QLatin1String("en"))
            QVERIFY(QCoreApplication::translate("transmla::views::MainWindow", "&File") !=
                    QLatin1String("&File"));
        openDemo(w);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        const QSize min = minimumOf(&w);
        qInfo("%s main window minimum %dx%d", qPrintable(language), min.width(), min.height());
        QVERIFY2(min.width() <= kScreenW && min.height() <= kScreenH - kTitleBar,
                 qPrintable(QStringLiteral("%1x%2").arg(min.width()).arg(min.height())));
        QVERIFY(w.frameGeometry().width() <= kScreenW);
        // The window as large as the screen: the conversion panel beside the tabs is shown whole (no
        // horizontal scroll bar; seen on a real 1366 x 768 display when the Heal and Pareto tabs' one
        // row of controls took the width), whichever tab is open (the tabs' minimum is the widest's).
        w.resize(kScreenW, kScreenH - kTitleBar);
        for (int i = 0; i < 3; ++i)
            QCoreApplication::processEvents();
        auto* dock = w.findChild<QDockWidget*>(QStringLiteral("conversionDock"));
        auto* area = dock ? qobject_cast<QScrollArea*>(dock->widget()) : nullptr;
        QVERIFY(area);
        QVERIFY2(!area->horizontalScrollBar()->isVisible(),
                 qPrintable(QStringLiteral("panel %1 px wide in a %2 px dock")
                                .arg(area->widget()->minimumSizeHint().width())
                                .arg(dock->width())));
        // The memory status (issue 16) is shown whole inside the window, beside the status message.
        auto* memory = w.findChild<QLabel*>(QStringLiteral("memoryStatus"));
        QVERIFY(memory && memory->isVisible());
        QVERIFY2(memory->geometry().right() < w.statusBar()->width() &&
                     memory->width() >= memory->sizeHint().width(),
                 qPrintable(QStringLiteral("memory status %1..%2 (needs %3 px) in a %4 px status bar")
                                .arg(memory->x())
                                .arg(memory->geometry().right())
                                .arg(memory->sizeHint().width())
                                .arg(w.statusBar()->width())));

        // Help > About (a modal box): measured while it is open, then closed.
        QSize about;
        QTimer::singleShot(0, this, [&] {
            if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
                about = box->sizeHint().expandedTo(minimumOf(box));
                box->accept();
            }
        });
        QAction* a = w.menuBar()->actions().last()->menu()->actions().first(); // Help > About
        QVERIFY(a);
        a->trigger();
        qInfo("%s About box %dx%d", qPrintable(language), about.width(), about.height());
        QVERIFY(!about.isEmpty() && about.width() <= kScreenW && about.height() <= kScreenH - kTitleBar);

        // The error box of a folder that is no model, with a long path.
        QString bad = QStringLiteral("/tmp");
        while (bad.size() < 300)
            bad += QStringLiteral("/a-rather-long-folder-name");
        QSignalSpy failed(&w, &views::MainWindow::modelLoadFailed);
        w.openModel(bad);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
        auto* box = w.findChild<QMessageBox*>();
        QVERIFY(box);
        QTRY_VERIFY(box->isVisible());
        const QSize err = box->size().expandedTo(minimumOf(box));
        qInfo("%s error box %dx%d", qPrintable(language), err.width(), err.height());
        QVERIFY(err.width() <= kScreenW && err.height() <= kScreenH - kTitleBar);
        box->close();
    }

    void restoredGeometryIsClampedToTheScreen() {
        {
            views::MainWindow big;
            big.setGeometry(200, 150, 2400, 1500); // saved on a larger monitor
            QSettings().setValue(QStringLiteral("window/geometry"), big.saveGeometry());
        }
        views::MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        const QRect available = w.screen()->availableGeometry();
        QTest::qWait(50); // the clamp after the first show, once the frame is known
        const QRect frame = w.frameGeometry();
        QVERIFY2(available.contains(frame), qPrintable(QStringLiteral("%1,%2 %3x%4 on %5x%6")
                                                           .arg(frame.x())
                                                           .arg(frame.y())
                                                           .arg(frame.width())
                                                           .arg(frame.height())
                                                           .arg(available.width())
                                                           .arg(available.height())));
    }

    void f11IsFullScreenWithLargeText() {
        views::MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        const double normalPt = QApplication::font().pointSizeF();
        QTest::keyClick(&w, Qt::Key_F11);
        QVERIFY(w.isClassroomMode());
        QTRY_VERIFY(w.isFullScreen());
        QVERIFY(QApplication::font().pointSizeF() >= 18);
        QCoreApplication::processEvents();
        for (QCPAxis* a : w.spectrumView()->plot()->axisRect()->axes()) {
            QVERIFY2(a->tickLabelFont().pointSizeF() >= 18,
                     qPrintable(QString::number(a->tickLabelFont().pointSizeF())));
            QVERIFY(a->labelFont().pointSizeF() >= 18);
        }
        QVERIFY(w.classroomGuide()->isVisible());
        const QSize min = minimumOf(&w);
        qInfo("classroom minimum %dx%d", min.width(), min.height());
        QVERIFY(min.width() <= 1920 && min.height() <= 1080);
        QTest::keyClick(&w, Qt::Key_F11);
        QVERIFY(!w.isClassroomMode());
        QTRY_VERIFY(!w.isFullScreen());
        QCOMPARE(QApplication::font().pointSizeF(), normalPt);
    }

    void guideTextIsNeverClipped() {
        views::MainWindow w;
        w.show();
        w.setClassroomMode(true);
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QCoreApplication::processEvents();
        auto* guide = w.classroomGuide();
        // Every label of the guide gets the height its wrapped text needs; a text view can scroll to all of
        // it.
        for (QLabel* l : guide->findChildren<QLabel*>())
            if (l->isVisible() && l->wordWrap() && l->hasHeightForWidth())
                QVERIFY2(l->height() >= l->heightForWidth(l->width()), qPrintable(l->text()));
        for (QTextBrowser* t : guide->findChildren<QTextBrowser*>()) {
            const int needed = int(std::ceil(t->document()->size().height()));
            QVERIFY2(needed <= t->viewport()->height() ||
                         t->verticalScrollBar()->maximum() >= needed - t->viewport()->height() - 2,
                     "the guide's text cannot be reached");
            QVERIFY(t->viewport()->width() >= 100);
        }
        w.setClassroomMode(false);
    }

    void guideSaysWhatItChangesAndIsHonestAboutRounding() {
        views::MainWindow w;
        w.show();
        w.setClassroomMode(true);
        auto* next = w.classroomGuide()->findChild<QPushButton*>(QStringLiteral("classroomNext"));
        QVERIFY(next);
        QSignalSpy loaded(&w, &views::MainWindow::modelLoaded);
        QTest::mouseClick(next, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
        QVERIFY(!w.conversionPanel()->isExact());
        QVERIFY(w.classroomGuide()->text().contains(QStringLiteral("Exact merge"))); // announced before Next
        QSignalSpy done(&w, &views::MainWindow::conversionFinished);
        QTest::mouseClick(next, Qt::LeftButton); // step 2: exact MLA
        QVERIFY(w.conversionPanel()->isExact());
        QVERIFY2(w.classroomGuide()->text().contains(QStringLiteral("exact merge: off -> on")),
                 qPrintable(w.classroomGuide()->text()));
        QVERIFY2(w.classroomGuide()->text().contains(QStringLiteral("GSM8K problems:")),
                 qPrintable(w.classroomGuide()->text()));
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 120000);
        // Exact MLA: the maps agree up to fp32 rounding; the view says so and gives the size.
        const auto& r = w.state().result;
        QVERIFY(r && r->attentionBefore && r->attentionAfter);
        const auto cmp = analysis::compareAttention(*r->attentionBefore, *r->attentionAfter);
        QVERIFY(cmp.meanKl >= 0);
        for (double kl : cmp.klPerRow)
            QVERIFY(kl >= 0);
        QVERIFY2(cmp.maxAbsDifference < views::AttentionView::kRounding,
                 qPrintable(QString::number(cmp.maxAbsDifference)));
        const QString info = w.attentionView()->infoText();
        QVERIFY2(info.contains(QStringLiteral("float rounding")) &&
                     info.contains(QStringLiteral("max |difference|")),
                 qPrintable(info));
        QVERIFY2(!w.classroomGuide()->text().contains(QStringLiteral("a difference of zero")),
                 "the guide claims zero");
        w.jobs()->cancelAndWait();
        w.setClassroomMode(false);
    }

    void cjkFontAndPackaging() {
        // Chinese needs a CJK font: installed by the dependency script, required by the .deb.
        QVERIFY2(!QFontDatabase::families(QFontDatabase::SimplifiedChinese).isEmpty(),
                 "no CJK font installed");
        const std::string deps =
            test::readFile(test::resourcesDir().parent_path() / "installer" / "deps-debian.sh");
        const std::string cpack =
            test::readFile(test::resourcesDir().parent_path() / "installer" / "CMakeLists.txt");
        QVERIFY(deps.find("fonts-noto-cjk") != std::string::npos);
        QVERIFY(cpack.find("CPACK_DEBIAN_PACKAGE_DEPENDS \"fonts-noto-cjk") != std::string::npos);
    }
};

// A 1366 x 768 offscreen screen: the offscreen platform reads its screens from a JSON config file.
int main(int argc, char** argv) {
    const QString config = QDir::temp().filePath(QStringLiteral("tst_layout_screens.json"));
    QFile f(config);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(QStringLiteral(R"({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": %1, "height": %2,
            "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]})")
                    .arg(kScreenW)
                    .arg(kScreenH)
                    .toUtf8());
    f.close();
    qputenv("QT_QPA_PLATFORM", QStringLiteral("offscreen:configfile=%1").arg(config).toUtf8());
    QApplication app(argc, argv);
    TestLayout t;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&t, argc, argv);
}

#include "tst_layout.moc"
