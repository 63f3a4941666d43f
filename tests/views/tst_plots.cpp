// Reading the plots, driven with the mouse as a user does (offscreen): wheel zoom, drag pan and
// double-click reset on every plot; a hover readout naming the value under the cursor; log-axis
// labels that never repeat; distinct ticks for a flat loss range (exact MLA); attention maps with
// square, unblurred cells, every head of a layer in one overview, a stated prompt cut, honest
// wording for float-rounding differences; numbers in the user's locale. Data are hand-built here,
// so every expected value is known independently of the views.
#include <QComboBox>
#include <QLabel>
#include <QSet>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStyleOptionSpinBox>

#include "attentionview.h"
#include "lossview.h"
#include "qcp.h"
#include "spectrumview.h"
#include "testutil.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_plots {

using namespace transmla;

namespace {
void wheel(QWidget* w, QPoint pos, int delta) {
    QWheelEvent e(QPointF(pos), QPointF(w->mapToGlobal(pos)), QPoint(), QPoint(0, delta), Qt::NoButton,
                  Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(w, &e);
}
void drag(QWidget* w, QPoint from, QPoint to) {
    QTest::mousePress(w, Qt::LeftButton, Qt::NoModifier, from);
    QMouseEvent move(QEvent::MouseMove, QPointF(to), QPointF(w->mapToGlobal(to)), Qt::NoButton,
                     Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(w, &move);
    QTest::mouseRelease(w, Qt::LeftButton, Qt::NoModifier, to);
}
void hover(QWidget* w, QPoint pos) {
    QMouseEvent move(QEvent::MouseMove, QPointF(pos), QPointF(w->mapToGlobal(pos)), Qt::NoButton,
                     Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(w, &move);
}
QPoint pixel(QCPAxis* x, QCPAxis* y, double key, double value) {
    return QPoint(int(std::lround(x->coordToPixel(key))), int(std::lround(y->coordToPixel(value))));
}
void settle(views::PlotView& v) {
    v.resize(900, 520);
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
    for (int i = 0; i < 3; ++i) {
        v.plot()->replot();
        QCoreApplication::processEvents();
    }
}
bool unique(const QVector<QString>& labels) {
    return QSet<QString>(labels.begin(), labels.end()).size() == labels.size();
}

// A causal map whose row q spreads evenly over keys 0..q (p = 1/(q+1)), tokens "t0".."t{n-1}".
analysis::AttentionMap uniformMap(int n, int head, int64_t promptTokens = 0) {
    analysis::AttentionMap m;
    m.layer = 1;
    m.head = head;
    for (int t = 0; t < n; ++t) {
        m.tokenIds.push_back(t);
        m.tokenTexts.push_back("t" + std::to_string(t));
    }
    m.promptTokens = promptTokens ? promptTokens : n;
    m.probs.assign(size_t(n * n), 0.0);
    for (int q = 0; q < n; ++q)
        for (int k = 0; k <= q; ++k)
            m.probs[size_t(q * n + k)] = 1.0 / (q + 1);
    return m;
}
} // namespace

class TestPlots : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QLocale::setDefault(QLocale::c()); }

    void wheelZoomsDragPansDoubleClickResets() {
        views::SpectrumView v;
        v.setData({{100, 50, 20, 10, 5, 2, 1, 0.5}}, std::nullopt);
        settle(v);
        QCPAxis* x = v.plot()->xAxis;
        const QCPRange home = x->range();
        const QPoint centre = v.plot()->axisRect()->rect().center();
        wheel(v.plot(), centre, 120);
        QVERIFY2(x->range().size() < 0.95 * home.size(), "the wheel did not zoom in");
        const QCPRange zoomed = x->range();
        drag(v.plot(), centre, centre + QPoint(80, 0));
        QVERIFY2(x->range().lower < zoomed.lower - 1e-9, "dragging right did not pan to smaller indices");
        QVERIFY(std::abs(x->range().size() - zoomed.size()) < 1e-9 * zoomed.size());
        QTest::mouseDClick(v.plot(), Qt::LeftButton, Qt::NoModifier, centre);
        QCOMPARE(x->range().lower, home.lower);
        QCOMPARE(x->range().upper, home.upper);
        // The right (energy) axis zooms with the rect too.
        wheel(v.plot(), centre, 120);
        QVERIFY(v.plot()->yAxis2->range().size() < 1.0);
    }

    void hoverReadsTheValueUnderTheCursor() {
        views::SpectrumView v;
        v.setData({{16, 9, 4, 1}}, std::nullopt); // singular values 4, 3, 2, 1
        settle(v);
        hover(v.plot(), pixel(v.plot()->xAxis, v.plot()->yAxis, 2, 3));
        QVERIFY2(v.readout().contains(QStringLiteral("index 2")) &&
                     v.readout().contains(QStringLiteral("singular value 3")),
                 qPrintable(v.readout()));
        // cumulative energy at index 2: (16 + 9) / 30 = 83.33 %
        QVERIFY2(v.readout().contains(QStringLiteral("83.33%")), qPrintable(v.readout()));

        views::LossView loss;
        eval::LossResult before, after;
        for (double nll : {1.0, 2.0, 3.0}) {
            before.perDoc.push_back({nll * 10, 10, 0, 0});
            after.perDoc.push_back({nll * 10 + 5, 10, 0, 0}); // +0.5 nats/token
        }
        loss.setLosses(before, after);
        settle(loss);
        hover(loss.plot(), pixel(loss.plot()->xAxis, loss.plot()->yAxis, 2.0, 2.5));
        QVERIFY2(loss.readout().contains(QStringLiteral("x = 2, y = 2.5")), qPrintable(loss.readout()));
    }

    void logAxisLabelsNeverRepeat() {
        views::SpectrumView v;
        // Singular values 1.5 .. 1.0 (axis 0.5 .. 3): under 1.6 decades QCustomPlot's log ticker falls back
        // to linear ticks 0.5, 1, 1.5, 2, ..., which a power format with no decimals printed as "2·10⁰"
        // twice.
        v.setData({{1.5 * 1.5, 1.3 * 1.3, 1.1 * 1.1, 1.0}}, std::nullopt);
        settle(v);
        const auto labels = v.plot()->yAxis->tickVectorLabels();
        QVERIFY(labels.size() >= 2);
        QVERIFY2(unique(labels),
                 qPrintable(QStringList(labels.begin(), labels.end()).join(QStringLiteral(" | "))));
        // Over decades the labels stay powers of ten, still distinct.
        v.setData({{1e6, 1e4, 1e2, 1, 1e-2}}, std::nullopt);
        settle(v);
        QVERIFY(unique(v.plot()->yAxis->tickVectorLabels()));
    }

    void flatLossRangeGetsDistinctTicks() {
        // Exact MLA: the loss after equals the loss before to ~1e-7; every tick read "2.76691".
        views::LossView v;
        eval::LossResult before, after;
        before.documents = after.documents = 1;
        before.tokens = after.tokens = 1000;
        before.nllSum = 2766.91;
        after.nllSum = 2766.91 + 1e-4;
        before.perDoc = {{2766.91, 1000, 0, 0}};
        after.perDoc = {{2766.91 + 1e-4, 1000, 0, 0}};
        v.setLosses(before, after, 1024, 1024);
        settle(v);
        for (QCPAxisRect* r : v.plot()->axisRects())
            for (QCPAxis* a : r->axes()) {
                if (!a->visible()) continue;
                const auto labels = a->tickVectorLabels();
                QVERIFY2(labels.size() >= 2 && unique(labels),
                         qPrintable(QStringList(labels.begin(), labels.end()).join(QStringLiteral(" | "))));
            }
    }

    void attentionCellsAreSquareAndSharp() {
        views::AttentionView v;
        v.setMaps(uniformMap(20, 0), uniformMap(20, 0));
        settle(v);
        for (int i = 0; i < 3; ++i) {
            QCPAxisRect* r = v.mapRect(i);
            QVERIFY(r);
            const double px = r->width() / r->axis(QCPAxis::atBottom)->range().size();
            const double py = r->height() / r->axis(QCPAxis::atLeft)->range().size();
            QVERIFY2(std::abs(px - py) <= 0.01 * px,
                     qPrintable(QStringLiteral("%1 vs %2 px per token").arg(px).arg(py)));
            for (QCPAbstractPlottable* p : r->plottables())
                if (auto* map = qobject_cast<QCPColorMap*>(p)) QVERIFY(!map->interpolate());
        }
        // Zooming in on 20 tokens shows each token's own label.
        QCPAxisRect* r = v.mapRect(0);
        for (int i = 0; i < 6; ++i)
            wheel(v.plot(), r->rect().center(), 120);
        v.plot()->replot();
        const auto labels = r->axis(QCPAxis::atLeft)->tickVectorLabels();
        const auto ticks = r->axis(QCPAxis::atLeft)->tickVector();
        QVERIFY(!ticks.isEmpty());
        for (int i = 0; i + 1 < ticks.size(); ++i)
            QCOMPARE(ticks[i + 1] - ticks[i], 1.0);
        for (int i = 0; i < ticks.size(); ++i)
            QCOMPARE(labels[i], QStringLiteral("t%1").arg(int(ticks[i])));
        // Hover a visible cell: the first labelled query, the first visible key; p = 1/(q+1) for k <= q.
        QCPAxis* keys = r->axis(QCPAxis::atBottom);
        const int q = int(ticks[0]);
        const int k = std::clamp(int(std::ceil(keys->range().lower)), 0, 19);
        const QPoint c = pixel(keys, r->axis(QCPAxis::atLeft), k, q);
        QVERIFY(r->rect().contains(c));
        hover(v.plot(), c);
        const double p = k <= q ? 1.0 / (q + 1) : 0.0;
        QVERIFY2(v.readout().contains(QStringLiteral("query %1 't%1', key %2 't%2': before %3")
                                          .arg(q)
                                          .arg(k)
                                          .arg(QLocale().toString(p, 'g', 4))),
                 qPrintable(v.readout()));
    }

    // The maps fill their axis rects: the token range [-0.5, n - 0.5] spans each rect on both axes
    // (no empty axis area below or beside a map), with square cells; in a tall window (the workbench
    // at 1366 x 768) and a wide one. The colour scales are as tall as the maps.
    void attentionMapsFillTheirAxes() {
        for (const QSize size : {QSize(880, 640), QSize(1700, 460)}) {
            views::AttentionView v;
            v.setMaps(uniformMap(20, 0), uniformMap(20, 0));
            settle(v);
            v.resize(size);
            for (int i = 0; i < 3; ++i) {
                QCoreApplication::processEvents();
                v.plot()->replot();
            }
            for (int i = 0; i < 3; ++i) {
                QCPAxisRect* r = v.mapRect(i);
                QVERIFY(r);
                QCPAxis *x = r->axis(QCPAxis::atBottom), *y = r->axis(QCPAxis::atLeft);
                const QString where = QStringLiteral("%1x%2 map %3: rect %4,%5 %6x%7, map %8..%9 x %10..%11")
                                          .arg(size.width())
                                          .arg(size.height())
                                          .arg(i)
                                          .arg(r->left())
                                          .arg(r->top())
                                          .arg(r->width())
                                          .arg(r->height())
                                          .arg(x->coordToPixel(-0.5))
                                          .arg(x->coordToPixel(19.5))
                                          .arg(y->coordToPixel(-0.5))
                                          .arg(y->coordToPixel(19.5));
                QVERIFY2(std::abs(x->coordToPixel(-0.5) - r->left()) <= 1.5, qPrintable(where));
                QVERIFY2(std::abs(x->coordToPixel(19.5) - (r->left() + r->width())) <= 1.5,
                         qPrintable(where));
                QVERIFY2(std::abs(y->coordToPixel(-0.5) - r->top()) <= 1.5,
                         qPrintable(where)); // query 0 on top
                QVERIFY2(std::abs(y->coordToPixel(19.5) - (r->top() + r->height())) <= 1.5,
                         qPrintable(where));
                QVERIFY2(std::abs(r->width() - r->height()) <= 2, qPrintable(where));
                QVERIFY2(r->width() >= 100, qPrintable(where)); // not squeezed into a corner
            }
            for (QCPLayoutElement* e : v.plot()->plotLayout()->elements(true))
                if (auto* scale = qobject_cast<QCPColorScale*>(e)) {
                    const QRect bar = scale->axis()->axisRect()->rect();
                    QVERIFY2(bar.height() <= v.mapRect(0)->height() + 2,
                             qPrintable(QStringLiteral("scale %1 px, map %2 px")
                                            .arg(bar.height())
                                            .arg(v.mapRect(0)->height())));
                }
        }
    }

    void allHeadsOverviewWithoutRecomputing() {
        views::AttentionView v;
        v.setLimits(2, 4);
        std::vector<analysis::AttentionMap> before, after;
        for (int h = 0; h < 4; ++h) {
            before.push_back(uniformMap(6, h));
            after.push_back(uniformMap(6, h));
            after.back().probs[size_t(5 * 6 + h)] += 0.01 * (h + 1); // head h differs by 0.01 (h+1)
        }
        v.setLayerMaps(before, after, 0);
        settle(v);
        QSignalSpy requests(&v, &views::AttentionView::attentionRequested);
        // The head spin box's up arrow shows head 1 from what is at hand.
        auto* head = v.findChild<QSpinBox*>(QStringLiteral("attentionHead"));
        QStyleOptionSpinBox opt;
        opt.initFrom(head);
        opt.subControls = QStyle::SC_SpinBoxUp;
        const QRect up = head->style()->subControlRect(QStyle::CC_SpinBox, &opt, QStyle::SC_SpinBoxUp, head);
        QTest::mouseClick(head, Qt::LeftButton, Qt::NoModifier, up.center());
        QCOMPARE(head->value(), 1);
        QCOMPARE(v.before()->head, 1);
        QVERIFY2(v.infoText().contains(QStringLiteral("max |difference| 0.02")), qPrintable(v.infoText()));
        QCOMPARE(requests.count(), 0);
        // The overview: one panel per head, the hover names the head.
        auto* mode = v.findChild<QComboBox*>(QStringLiteral("attentionMode"));
        mode->setFocus();
        QTest::keyClick(mode, Qt::Key_Down);
        QVERIFY(v.allHeads());
        settle(v);
        for (int h = 0; h < 4; ++h)
            QVERIFY(v.mapRect(h));
        QCPAxisRect* r = v.mapRect(3);
        hover(v.plot(), pixel(r->axis(QCPAxis::atBottom), r->axis(QCPAxis::atLeft), 3, 5));
        QVERIFY2(v.readout().startsWith(QStringLiteral("head 3, query 5 't5', key 3 't3'")),
                 qPrintable(v.readout()));
        QVERIFY2(v.readout().contains(QStringLiteral("difference 0.04")), qPrintable(v.readout()));
    }

    void attentionSaysWhatItShows() {
        views::AttentionView v;
        // A prompt of 300 tokens cut to 256: the line above the maps says so.
        v.setMaps(uniformMap(8, 0, 300), uniformMap(8, 0, 300));
        QVERIFY2(v.infoText().contains(QStringLiteral("first 8 of the prompt's 300 tokens")),
                 qPrintable(v.infoText()));
        // Exact conversion: differences of float rounding are called that, with their size; KL is not
        // negative.
        analysis::AttentionMap a = uniformMap(8, 0), b = a;
        for (size_t i = 0; i < b.probs.size(); ++i)
            if (b.probs[i] > 0) b.probs[i] *= 1 + ((i % 3) - 1.0) * 3e-7;
        v.setMaps(a, b);
        QVERIFY2(v.infoText().contains(QStringLiteral("float rounding")), qPrintable(v.infoText()));
        QVERIFY2(!v.infoText().contains(QStringLiteral("KL -")), qPrintable(v.infoText()));
    }

    void numbersFollowTheLocale() {
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        {
            views::SpectrumView v;
            v.setData({{16, 9, 4, 1}}, std::nullopt);
            v.setRank(2);
            settle(v);
            bool sawRank = false;
            for (QLabel* l : v.findChildren<QLabel*>())
                if (l->text().contains(QStringLiteral("rank 2 keeps"))) {
                    sawRank = true;
                    QVERIFY2(l->text().contains(QStringLiteral("83,33%")),
                             qPrintable(l->text())); // (16+9)/30
                }
            QVERIFY(sawRank);
            bool comma = false;
            for (const QString& t : v.plot()->yAxis2->tickVectorLabels()) {
                QVERIFY2(!t.contains(QLatin1Char('.')), qPrintable(t));
                comma = comma || t.contains(QLatin1Char(','));
            }
            QVERIFY(comma);
        }
        QLocale::setDefault(QLocale::c());
    }
};

} // namespace tst_plots

TRANSMLA_TEST_MAIN_APP(tst_plots, tst_plots::TestPlots, QApplication)
#include "tst_plots.moc"
