#include "plotview.h"

#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QMessageBox>
#include <QPainter>
#include <QSvgGenerator>
#include <QVBoxLayout>

#include "qcp.h"

namespace transmla::views {

PlotView::PlotView(QWidget* parent)
    : QWidget(parent), plot_(new QCustomPlot), layout_(new QVBoxLayout(this)), controls_(new QHBoxLayout) {
    layout_->setContentsMargins(4, 4, 4, 4);
    layout_->addLayout(controls_);
    layout_->addWidget(plot_, 1);
    plot_->setMinimumSize(320, 220);
    plot_->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto* exportAction = new QAction(tr("Export plot (PNG, SVG, CSV)..."), plot_);
    connect(exportAction, &QAction::triggered, this, &PlotView::chooseExportFile);
    plot_->addAction(exportAction);
    applyPalette(plot_);
}

QColor PlotView::seriesColor(int i) {
    // Okabe-Ito: distinguishable with the common colour-vision deficiencies, on light and dark.
    static const QColor colors[] = {QColor(0, 114, 178), QColor(230, 159, 0), QColor(0, 158, 115),
                                    QColor(204, 121, 167), QColor(213, 94, 0), QColor(86, 180, 233)};
    return colors[i % 6];
}

void PlotView::applyPalette(QCustomPlot* plot) const {
    const QPalette pal = palette();
    const QColor fg = pal.color(QPalette::WindowText);
    QColor grid = fg;
    grid.setAlpha(40);
    plot->setBackground(pal.brush(QPalette::Base));
    for (QCPAxisRect* rect : plot->axisRects()) {
        rect->setBackground(pal.brush(QPalette::Base));
        for (QCPAxis* axis : rect->axes()) {
            axis->setBasePen(QPen(fg));
            axis->setTickPen(QPen(fg));
            axis->setSubTickPen(QPen(fg));
            axis->setTickLabelColor(fg);
            axis->setLabelColor(fg);
            axis->grid()->setPen(QPen(grid, 1, Qt::DotLine));
        }
    }
    if (plot->legend) {
        plot->legend->setBrush(pal.brush(QPalette::Base));
        plot->legend->setTextColor(fg);
        plot->legend->setBorderPen(QPen(grid));
    }
    for (int i = 0; i < plot->plotLayout()->elementCount(); ++i)
        if (auto* title = qobject_cast<QCPTextElement*>(plot->plotLayout()->elementAt(i))) title->setTextColor(fg);
}

void PlotView::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        rebuild();
        applyPalette(plot_);
        replotLater();
    }
}

void PlotView::replotLater() { plot_->replot(QCustomPlot::rpQueuedReplot); }

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
    return ok;
}

void PlotView::chooseExportFile() {
    const QString file = QFileDialog::getSaveFileName(this, tr("Export plot"), QString(),
                                                      tr("PNG image (*.png);;SVG drawing (*.svg);;CSV data (*.csv)"));
    if (file.isEmpty()) return;
    if (!exportTo(file)) QMessageBox::warning(this, tr("Export failed"), lastError_);
}

} // namespace transmla::views
