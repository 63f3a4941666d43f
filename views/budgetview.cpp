#include "budgetview.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QSpinBox>
#include <cmath>

#include "qcp.h"
#include "results/csv.h"
#include "summarymodel.h"

namespace transmla::views {

namespace {
constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
QString contextText(int64_t tokens) {
    if (tokens >= 1024 * 1024)
        return QLocale().toString(double(tokens) / (1024 * 1024), 'f', 1) + QStringLiteral("M");
    if (tokens >= 1024) return QLocale().toString(double(tokens) / 1024, 'f', 0) + QStringLiteral("K");
    return QString::number(tokens);
}
} // namespace

BudgetView::BudgetView(QWidget* parent)
    : PlotView(parent), gpu_(new QComboBox), batch_(new QSpinBox), dtype_(new QComboBox), info_(new QLabel) {
    setWindowTitle(tr("KV cache budget"));
    for (const auto& g : analysis::gpuPresets())
        gpu_->addItem(QString::fromStdString(g.name));
    gpu_->setObjectName(QStringLiteral("budgetGpu"));
    gpu_->setCurrentIndex(std::max(0, gpu_->count() - 2));
    controls()->addWidget(new QLabel(tr("GPU:")));
    controls()->addWidget(gpu_);
    batch_->setObjectName(QStringLiteral("budgetBatch"));
    batch_->setRange(1, 1024);
    batch_->setKeyboardTracking(false);
    controls()->addWidget(new QLabel(tr("Batch:")));
    controls()->addWidget(batch_);
    dtype_->setObjectName(QStringLiteral("budgetDtype"));
    for (auto t : {analysis::CacheDtype::BF16, analysis::CacheDtype::F16, analysis::CacheDtype::FP8,
                   analysis::CacheDtype::F32})
        dtype_->addItem(QString::fromStdString(analysis::cacheDtypeName(t)), int(t));
    controls()->addWidget(new QLabel(tr("Cache:")));
    controls()->addWidget(dtype_);
    connect(batch_, &QSpinBox::valueChanged, this, &BudgetView::rebuild);
    connect(dtype_, &QComboBox::currentIndexChanged, this, &BudgetView::rebuild);
    controls()->addWidget(info_, 1);
    info_->setWordWrap(true);
    connect(gpu_, &QComboBox::currentIndexChanged, this, &BudgetView::rebuild);

    QCustomPlot* p = plot();
    curves_ = new QCPAxisRect(p);
    p->plotLayout()->addElement(0, 1, curves_);
    p->plotLayout()->setColumnStretchFactors({1.0, 1.6});
    p->xAxis->setLabel(tr("cache form"));
    curves_->axis(QCPAxis::atBottom)->setLabel(tr("context length (tokens, log)"));
    curves_->axis(QCPAxis::atLeft)->setLabel(tr("weights + KV cache (GiB, log)"));
    for (QCPAxis* a : {curves_->axis(QCPAxis::atBottom), curves_->axis(QCPAxis::atLeft)}) {
        a->setScaleType(QCPAxis::stLogarithmic);
        a->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    }
    curves_->axis(QCPAxis::atBottom)->setNumberFormat(QStringLiteral("eb"));
    curves_->axis(QCPAxis::atBottom)->setNumberPrecision(0);
    // The legend names the curves (GQA and exact MLA coincide); it sits in the curves' rect.
    p->axisRect()->insetLayout()->take(p->legend);
    p->axisRect()->insetLayout()->simplify();
    curves_->insetLayout()->addElement(p->legend, Qt::AlignRight | Qt::AlignBottom);
    p->legend->setVisible(true);
    applyPalette(p);
    rebuild();
}

void BudgetView::setBudgets(const std::vector<analysis::KvBudget>& budgets) {
    budgets_ = budgets;
    rebuild();
}

void BudgetView::selectGpu(int index) {
    gpu_->setCurrentIndex(index);
}
void BudgetView::setBatch(int batch) {
    batch_->setValue(batch);
}
void BudgetView::setCacheDtype(analysis::CacheDtype dtype) {
    dtype_->setCurrentIndex(dtype_->findData(int(dtype)));
}

std::vector<analysis::KvBudget> BudgetView::shownBudgets() const {
    const auto dtype = analysis::CacheDtype(dtype_->currentData().toInt());
    std::vector<analysis::KvBudget> out;
    for (const auto& b : budgets_)
        out.push_back(b.withDtype(dtype));
    return out;
}

std::vector<int64_t> BudgetView::maxContexts() const {
    std::vector<int64_t> out;
    const int g = gpu_->currentIndex();
    if (g < 0) return out;
    for (const auto& b : shownBudgets())
        out.push_back(b.usableContext(analysis::gpuPresets()[size_t(g)].bytes, batch_->value()));
    return out;
}

QString BudgetView::summaryText() const {
    return info_->text();
}

void BudgetView::rebuild() {
    QCustomPlot* p = plot();
    p->clearPlottables();
    p->clearItems();
    const QPalette pal = palette();
    const std::vector<analysis::KvBudget> budgets = shownBudgets();
    const int batch = batch_->value();
    p->yAxis->setLabel(tr("KV cache per token (KiB, %1)").arg(dtype_->currentText()));
    // Left: one bar per cache form.
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    double top = 1;
    for (size_t i = 0; i < budgets.size(); ++i) {
        const auto& b = budgets[i];
        auto* bar = new QCPBars(p->xAxis, p->yAxis);
        bar->setName(QString::fromStdString(b.label));
        bar->removeFromLegend();
        bar->setPen(QPen(seriesColor(int(i)).darker(130)));
        bar->setBrush(seriesColor(int(i)));
        const double kib = double(b.bytesPerToken()) / 1024.0;
        bar->addData(double(i + 1), kib);
        top = std::max(top, kib);
        ticker->addTick(double(i + 1),
                        QString::fromStdString(b.label).replace(QLatin1Char(' '), QLatin1Char('\n')));
        auto* text = new QCPItemText(p);
        text->setClipToAxisRect(false);
        text->position->setAxes(p->xAxis, p->yAxis);
        text->position->setCoords(double(i + 1), kib);
        text->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        text->setColor(pal.color(QPalette::WindowText));
        text->setText(formatBytes(double(b.bytesPerToken())));
    }
    p->xAxis->setTicker(ticker);
    p->xAxis->setRange(0.4, double(budgets.size()) + 0.6);
    p->yAxis->setRange(0, top * 1.2);

    // Right: total memory vs context, with the GPU presets as horizontal lines.
    QCPAxis* cx = curves_->axis(QCPAxis::atBottom);
    QCPAxis* cy = curves_->axis(QCPAxis::atLeft);
    QVector<double> ctx;
    for (double t = 256; t <= 4.0 * 1024 * 1024; t *= 2)
        ctx.push_back(t);
    double ymin = 1e300, ymax = 0;
    for (size_t i = 0; i < budgets.size(); ++i) {
        const auto& b = budgets[i];
        QVector<double> gib;
        for (double t : ctx)
            gib.push_back(double(b.weightsBytes + b.cacheBytes(int64_t(t), batch)) / kGiB);
        auto* g = new QCPGraph(cx, cy);
        g->setPen(QPen(seriesColor(int(i)), 2, i == 1 ? Qt::DashLine : Qt::SolidLine));
        g->setName(QString::fromStdString(b.label));
        g->setData(ctx, gib, true);
        ymin = std::min(ymin, gib.front());
        ymax = std::max(ymax, gib.back());
    }
    const int sel = gpu_->currentIndex();
    const auto& presets = analysis::gpuPresets();
    for (size_t k = 0; k < presets.size(); ++k) {
        const double y = double(presets[k].bytes) / kGiB;
        QColor c = pal.color(QPalette::WindowText);
        c.setAlpha(int(k) == sel ? 220 : 90);
        auto* line = new QCPItemStraightLine(p);
        line->setClipAxisRect(curves_);
        line->point1->setAxes(cx, cy);
        line->point2->setAxes(cx, cy);
        line->point1->setCoords(ctx.front(), y);
        line->point2->setCoords(ctx.back(), y);
        line->setPen(QPen(c, int(k) == sel ? 2 : 1, Qt::DashLine));
        auto* label = new QCPItemText(p);
        label->setClipAxisRect(curves_);
        label->position->setAxes(cx, cy);
        label->position->setCoords(ctx.front() * 1.1, y);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        label->setColor(c);
        label->setText(QString::fromStdString(presets[k].name));
        ymax = std::max(ymax, y);
    }
    if (ymin > ymax) ymin = 0.01;
    cx->setRange(ctx.front(), ctx.back());
    cy->setRange(std::max(1e-4, ymin / 2), ymax * 2);

    QStringList parts;
    const auto maxCtx = maxContexts();
    bool capped = false;
    for (size_t i = 0; i < budgets.size() && i < maxCtx.size(); ++i) {
        parts << tr("%1: %2 tokens").arg(QString::fromStdString(budgets[i].label), contextText(maxCtx[i]));
        capped = capped || maxCtx[i] < budgets[i].maxContext(
                                           analysis::gpuPresets()[size_t(std::max(0, sel))].bytes, batch);
    }
    QString text = tr("Max context on this GPU (batch %1, %2 cache): %3")
                       .arg(batch)
                       .arg(dtype_->currentText(), parts.join(QStringLiteral(", ")));
    if (capped && !budgets.empty())
        text +=
            QLatin1Char(' ') + tr("(at most max_position_embeddings = %1)").arg(budgets.front().contextLimit);
    info_->setText(budgets.empty() ? tr("Open a model to see its KV cache budget") : text);
    applyPalette(p);
    replotLater();
}

bool BudgetView::writeCsv(const QString& file) const {
    try {
        results::writeBudgetsCsv(file.toStdString(), shownBudgets(), {2048, 8192, 32768, 131072},
                                 batch_->value());
        return true;
    } catch (const std::exception& e) {
        lastError_ = QString::fromUtf8(e.what());
        return false;
    }
}

} // namespace transmla::views
