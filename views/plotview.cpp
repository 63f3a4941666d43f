#include "plotview.h"

#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPainter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QVBoxLayout>
#include <cmath>
#include <limits>

#include "io/csv.h"
#include "plotticks.h"
#include "qcp.h"

namespace transmla::views {

PlotView::PlotView(QWidget* parent)
    : QWidget(parent), plot_(new QCustomPlot), layout_(new QVBoxLayout(this)), controls_(new QHBoxLayout),
      readout_(new QLabel) {
    layout_->setContentsMargins(4, 4, 4, 4);
    layout_->addLayout(controls_);
    layout_->addWidget(plot_, 1);
    layout_->addWidget(readout_);
    plot_->setMinimumSize(240, 180);
    readout_->setObjectName(QStringLiteral("plotReadout"));
    readout_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A long readout must not widen the window: it is cut on the right instead.
    readout_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    readout_->setText(tr("Wheel: zoom, drag: pan, double-click: reset view"));
    plot_->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto* resetAction = new QAction(tr("Reset view"), plot_);
    connect(resetAction, &QAction::triggered, this, &PlotView::resetView);
    plot_->addAction(resetAction);
    auto* exportAction = new QAction(tr("Export plot (PNG, SVG, CSV)..."), plot_);
    connect(exportAction, &QAction::triggered, this, &PlotView::chooseExportFile);
    plot_->addAction(exportAction);
    QLocale locale; // tick labels in the user's decimal separator, without group separators
    locale.setNumberOptions(QLocale::OmitGroupSeparator);
    plot_->setLocale(locale);
    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot_->setMouseTracking(true);
    connect(plot_, &QCustomPlot::mouseMove, this, &PlotView::onMouseMove);
    connect(plot_, &QCustomPlot::mouseDoubleClick, this, &PlotView::resetView);
    applyPalette(plot_);
}

QColor PlotView::seriesColor(int i) {
    // Okabe-Ito: distinguishable with the common colour-vision deficiencies, on light and dark.
    static const QColor colors[] = {QColor(0, 114, 178),   QColor(230, 159, 0), QColor(0, 158, 115),
                                    QColor(204, 121, 167), QColor(213, 94, 0),  QColor(86, 180, 233)};
    return colors[i % 6];
}

QString PlotView::number(double v, int significant) {
    return QLocale().toString(v, 'g', significant);
}

QCPRange PlotView::paddedRange(double lo, double hi, double margin) {
    if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi) return QCPRange(0, 1);
    const double magnitude = std::max(std::abs(lo), std::abs(hi));
    if (hi - lo <= 1e-6 * magnitude || hi - lo < std::numeric_limits<double>::min()) {
        const double centre = 0.5 * (lo + hi), half = magnitude > 0 ? 0.01 * magnitude : 0.5;
        return QCPRange(centre - half, centre + half);
    }
    const double pad = margin * (hi - lo);
    return QCPRange(lo - pad, hi + pad);
}

void PlotView::applyPalette(QCustomPlot* plot) const {
    const QPalette pal = palette();
    const QColor fg = pal.color(QPalette::WindowText);
    QColor grid = fg;
    grid.setAlpha(40);
    // QCustomPlot copies the widget font once, at construction; classroom mode's large font must reach
    // the ticks, labels, legend and titles too.
    const QFont f = font();
    QFont bold = f;
    bold.setBold(true);
    auto styleAxis = [&](QCPAxis* axis) {
        axis->setBasePen(QPen(fg));
        axis->setTickPen(QPen(fg));
        axis->setSubTickPen(QPen(fg));
        axis->setTickLabelColor(fg);
        axis->setLabelColor(fg);
        axis->setTickLabelFont(f);
        axis->setLabelFont(f);
        axis->grid()->setPen(QPen(grid, 1, Qt::DotLine));
    };
    plot->setBackground(pal.brush(QPalette::Base));
    plot->setFont(f);
    for (QCPAxisRect* rect : plot->axisRects()) {
        rect->setBackground(pal.brush(QPalette::Base));
        for (QCPAxis* axis : rect->axes()) {
            styleAxis(axis);
            // Every log axis gets the ticker whose labels never repeat and draw powers as 10^n.
            auto log = axis->ticker().dynamicCast<QCPAxisTickerLog>();
            if (log && !log.dynamicCast<LogTicker>()) {
                auto better = QSharedPointer<LogTicker>::create();
                better->setLogBase(log->logBase());
                better->setSubTickCount(log->subTickCount());
                better->setTickCount(log->tickCount());
                axis->setTicker(better);
            }
        }
    }
    if (plot->legend) {
        plot->legend->setBrush(pal.brush(QPalette::Base));
        plot->legend->setTextColor(fg);
        plot->legend->setBorderPen(QPen(grid));
        plot->legend->setFont(f);
    }
    for (QCPLayoutElement* e : plot->plotLayout()->elements(true)) {
        if (auto* title = qobject_cast<QCPTextElement*>(e)) {
            title->setTextColor(fg);
            title->setFont(bold);
        } else if (auto* scale = qobject_cast<QCPColorScale*>(e)) {
            styleAxis(scale->axis());
        }
    }
    configureInteractions();
}

void PlotView::configureInteractions() const {
    // Every axis of a rect zooms and pans with it (the spectrum's energy axis, the loss view's sweep).
    for (QCPAxisRect* rect : plot_->axisRects()) {
        QList<QCPAxis*> h, v;
        for (QCPAxis* a : rect->axes())
            if (a->visible()) (a->orientation() == Qt::Horizontal ? h : v).append(a);
        rect->setRangeDrag(Qt::Horizontal | Qt::Vertical);
        rect->setRangeZoom(Qt::Horizontal | Qt::Vertical);
        rect->setRangeDragAxes(h, v);
        rect->setRangeZoomAxes(h, v);
    }
}

void PlotView::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        rebuild();
        applyPalette(plot_);
        replotLater();
    }
}

void PlotView::replotLater() {
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void PlotView::resetView() {
    rebuild();
    plot_->replot();
}

QString PlotView::readout() const {
    return readout_->text();
}

void PlotView::onMouseMove(QMouseEvent* event) {
    const QString text = hoverText(event->position());
    readout_->setText(text);
    readout_->setToolTip(text);
}

QString PlotView::hoverText(const QPointF& pos) const {
    QCPAxisRect* rect = plot_->axisRectAt(pos);
    if (!rect || !rect->rect().contains(pos.toPoint())) return QString();
    QString best;
    double bestDistance = 20; // pixels: farther points are not "under the cursor"
    for (int i = 0; i < plot_->plottableCount(); ++i) {
        QCPAbstractPlottable* p = plot_->plottable(i);
        if (!p->visible() || p->keyAxis()->axisRect() != rect) continue;
        if (auto* map = qobject_cast<QCPColorMap*>(p)) {
            const double key = p->keyAxis()->pixelToCoord(pos.x()),
                         value = p->valueAxis()->pixelToCoord(pos.y());
            int k = 0, v = 0;
            map->data()->coordToCell(key, value, &k, &v);
            if (k < 0 || v < 0 || k >= map->data()->keySize() || v >= map->data()->valueSize()) continue;
            return tr("x %1, y %2: %3").arg(k).arg(v).arg(number(map->data()->cell(k, v)));
        }
        if (auto* bars = qobject_cast<QCPBars*>(p)) { // the bar under the cursor, by key
            const double key = p->keyAxis()->pixelToCoord(pos.x());
            for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it)
                if (std::abs(it->key - key) <= bars->width() / 2) {
                    const QString name =
                        bars->name().isEmpty() ? QString() : bars->name() + QStringLiteral(": ");
                    return tr("%1x = %2, y = %3").arg(name, number(it->key, 6), number(it->value, 6));
                }
            continue;
        }
        auto* graph = qobject_cast<QCPGraph*>(p);
        if (!graph) continue;
        for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it) {
            const QPointF px(p->keyAxis()->coordToPixel(it->key), p->valueAxis()->coordToPixel(it->value));
            const double d = std::hypot(px.x() - pos.x(), px.y() - pos.y());
            if (d < bestDistance) {
                bestDistance = d;
                const QString name =
                    graph->name().isEmpty() ? QString() : graph->name() + QStringLiteral(": ");
                best = tr("%1x = %2, y = %3").arg(name, number(it->key, 6), number(it->value, 6));
            }
        }
    }
    if (!best.isEmpty()) return best;
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    return tr("x = %1, y = %2").arg(number(x->pixelToCoord(pos.x())), number(y->pixelToCoord(pos.y())));
}

bool PlotView::exportTo(const QString& file) {
    lastError_.clear();
    const QString suffix = QFileInfo(file).suffix().toLower();
    bool ok = false;
    if (suffix == QLatin1String("png")) {
        plot_->replot(QCustomPlot::rpImmediateRefresh);
        ok = plot_->savePng(file, plot_->width(), plot_->height(), 2.0);
    } else if (suffix == QLatin1String("svg")) {
        QSvgGenerator svg;
        svg.setFileName(file);
        svg.setSize(plot_->size());
        svg.setViewBox(QRect(QPoint(0, 0), plot_->size()));
        svg.setTitle(windowTitle());
        QCPPainter painter;
        ok = painter.begin(&svg);
        if (ok) {
            plot_->toPainter(&painter, plot_->width(), plot_->height());
            ok = painter.end();
        }
    } else if (suffix == QLatin1String("csv")) {
        ok = writeCsv(file);
    } else {
        lastError_ = tr("Unknown export format '%1' (use .png, .svg or .csv)").arg(suffix);
        return false;
    }
    if (!ok && lastError_.isEmpty()) lastError_ = tr("Could not write %1").arg(file);
    if (ok && provenance_) {
        const QString record = provenance_();
        if (!record.isEmpty()) {
            QSaveFile side(file + QStringLiteral(".audit.json")); // atomic: all or nothing
            ok = side.open(QIODevice::WriteOnly) && side.write(record.toUtf8()) >= 0 && side.commit();
            if (!ok) lastError_ = tr("Could not write %1").arg(side.fileName());
        }
    }
    return ok;
}

bool PlotView::saveCsv(const io::CsvWriter& csv, const QString& file) const {
    try {
        csv.save(file.toStdString());
        return true;
    } catch (const std::exception& e) {
        lastError_ = QString::fromUtf8(e.what());
        return false;
    }
}

void PlotView::chooseExportFile() {
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Export plot"), QString(), tr("PNG image (*.png);;SVG drawing (*.svg);;CSV data (*.csv)"));
    if (file.isEmpty()) return;
    if (!exportTo(file)) QMessageBox::warning(this, tr("Export failed"), lastError_);
}

} // namespace transmla::views
