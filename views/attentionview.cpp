#include "attentionview.h"

#include <QFile>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTextStream>
#include <cmath>

#include "io/csv.h"
#include "qcp.h"

namespace transmla::views {

AttentionView::AttentionView(QWidget* parent)
    : PlotView(parent), prompt_(new QLineEdit), layer_(new QSpinBox), head_(new QSpinBox),
      compute_(new QPushButton(tr("Compute"))), info_(new QLabel) {
    setWindowTitle(tr("Attention map"));
    prompt_->setObjectName(QStringLiteral("attentionPrompt"));
    prompt_->setPlaceholderText(tr("Prompt (default: the first GSM8K test problem)"));
    controls()->addWidget(new QLabel(tr("Prompt:")));
    controls()->addWidget(prompt_, 1);
    controls()->addWidget(new QLabel(tr("Layer:")));
    controls()->addWidget(layer_);
    controls()->addWidget(new QLabel(tr("Query head:")));
    controls()->addWidget(head_);
    controls()->addWidget(compute_);
    mainLayout()->addWidget(info_);
    compute_->setEnabled(false);
    connect(compute_, &QPushButton::clicked, this,
            [this] { emit attentionRequested(prompt_->text(), layer_->value(), head_->value()); });

    QCustomPlot* p = plot();
    p->plotLayout()->clear();
    const QString titles[3] = {tr("GQA (before)"), tr("MLA (after)"), tr("after - before")};
    for (int i = 0; i < 3; ++i) {
        rects_[i] = new QCPAxisRect(p);
        p->plotLayout()->addElement(1, i, rects_[i]);
        auto* title = new QCPTextElement(p, titles[i]);
        p->plotLayout()->addElement(0, i, title);
        maps_[i] = new QCPColorMap(rects_[i]->axis(QCPAxis::atBottom), rects_[i]->axis(QCPAxis::atLeft));
        rects_[i]->axis(QCPAxis::atLeft)->setRangeReversed(true); // query 0 at the top
        rects_[i]->axis(QCPAxis::atBottom)->setTickLabelRotation(60);
        rects_[i]->axis(QCPAxis::atBottom)->setLabel(tr("key"));
        rects_[i]->axis(QCPAxis::atLeft)->setLabel(i == 0 ? tr("query") : QString());
    }
    p->plotLayout()->setRowStretchFactors({0.01, 1.0});
    scale_ = new QCPColorScale(p);
    diffScale_ = new QCPColorScale(p);
    auto* scales = new QCPLayoutGrid;
    p->plotLayout()->addElement(1, 3, scales);
    scales->addElement(0, 0, scale_);
    scales->addElement(0, 1, diffScale_);
    scale_->setLabel(tr("probability"));
    diffScale_->setLabel(tr("difference"));
    QCPColorGradient viridis; // perceptually uniform, readable on light and dark palettes
    viridis.setColorStopAt(0.0, QColor(68, 1, 84));
    viridis.setColorStopAt(0.25, QColor(59, 82, 139));
    viridis.setColorStopAt(0.5, QColor(33, 145, 140));
    viridis.setColorStopAt(0.75, QColor(94, 201, 98));
    viridis.setColorStopAt(1.0, QColor(253, 231, 37));
    scale_->setGradient(viridis);
    QCPColorGradient diverging;
    diverging.setColorStopAt(0, QColor(33, 102, 172));
    diverging.setColorStopAt(0.5, QColor(247, 247, 247));
    diverging.setColorStopAt(1, QColor(178, 24, 43));
    diffScale_->setGradient(diverging);
    maps_[0]->setColorScale(scale_);
    maps_[1]->setColorScale(scale_);
    maps_[2]->setColorScale(diffScale_);
    applyPalette(p);
    rebuild();
}

void AttentionView::setLimits(int layers, int heads) {
    layer_->setRange(0, std::max(0, layers - 1));
    head_->setRange(0, std::max(0, heads - 1));
}

void AttentionView::setPrompt(const QString& prompt) { prompt_->setText(prompt); }
void AttentionView::setBusy(bool busy) { compute_->setEnabled(!busy); }
int AttentionView::layer() const { return layer_->value(); }
int AttentionView::head() const { return head_->value(); }
QString AttentionView::prompt() const { return prompt_->text(); }

void AttentionView::setMaps(const analysis::AttentionMap& before, const analysis::AttentionMap& after) {
    before_ = before;
    after_ = after;
    const QSignalBlocker b1(layer_), b2(head_);
    layer_->setValue(int(before.layer));
    head_->setValue(int(before.head));
    if (prompt_->text().isEmpty()) prompt_->setText(QString::fromStdString(before.prompt));
    rebuild();
}

void AttentionView::clear() {
    before_.reset();
    after_.reset();
    rebuild();
}

void AttentionView::rebuild() {
    QCustomPlot* p = plot();
    const int n = before_ ? int(before_->tokens()) : 0;
    const bool comparable = before_ && after_ && after_->tokens() == n;
    maxAbsDiff_ = 0;
    double pmax = 1e-9;
    // Every k-th label so that they never overlap: the font and the axis length decide how many fit.
    auto labels = [&](double axisPixels) {
        QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
        const double perLabel = fontMetrics().height() * 1.2;
        const int step = std::max(1, int(std::ceil(n * perLabel / std::max(40.0, axisPixels))));
        for (int t = 0; t < n; t += step) {
            QString label = QString::fromStdString(before_->tokenTexts[size_t(t)]).simplified();
            if (label.size() > 8) label = label.left(7) + QChar(0x2026);
            ticker->addTick(t, label.isEmpty() ? QStringLiteral("\u2423") : label);
        }
        return ticker;
    };
    const auto rowTicker = labels(rects_[0]->height());
    const auto columnTicker = labels(rects_[0]->width());
    for (int i = 0; i < 3; ++i) {
        maps_[i]->data()->setSize(std::max(1, n), std::max(1, n));
        maps_[i]->data()->setRange(QCPRange(0, std::max(0, n - 1)), QCPRange(0, std::max(0, n - 1)));
        maps_[i]->data()->fill(0);
        rects_[i]->axis(QCPAxis::atBottom)->setTicker(columnTicker);
        rects_[i]->axis(QCPAxis::atLeft)->setTicker(rowTicker);
        for (QCPAxis* a : {rects_[i]->axis(QCPAxis::atBottom), rects_[i]->axis(QCPAxis::atLeft)})
            a->setRange(-0.5, std::max(0.5, n - 0.5));
        rects_[i]->axis(QCPAxis::atLeft)->setTickLabels(i == 0);
    }
    for (int q = 0; q < n; ++q)
        for (int k = 0; k < n; ++k) {
            const double a = before_->at(q, k);
            maps_[0]->data()->setCell(k, q, a);
            pmax = std::max(pmax, a);
            if (comparable) {
                const double b = after_->at(q, k);
                maps_[1]->data()->setCell(k, q, b);
                maps_[2]->data()->setCell(k, q, b - a);
                pmax = std::max(pmax, b);
                maxAbsDiff_ = std::max(maxAbsDiff_, std::abs(b - a));
            }
        }
    scale_->setDataRange(QCPRange(0, pmax));
    const double d = std::max(maxAbsDiff_, 1e-9);
    diffScale_->setDataRange(QCPRange(-d, d));
    if (comparable) {
        const auto cmp = analysis::compareAttention(*before_, *after_);
        info_->setText(tr("Layer %1, head %2, %3 tokens: max |difference| %4, mean KL %5 nats")
                           .arg(before_->layer)
                           .arg(before_->head)
                           .arg(n)
                           .arg(cmp.maxAbsDifference, 0, 'g', 3)
                           .arg(cmp.meanKl, 0, 'g', 3));
    } else {
        info_->setText(tr("Run a conversion, then choose a layer and head and press Compute"));
    }
    applyPalette(p);
    replotLater();
}

bool AttentionView::writeCsv(const QString& file) const {
    if (!before_ || !after_) return false;
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) return false;
    QTextStream out(&f);
    out << "query,key,query_token,key_token,before,after,difference\n";
    const int64_t n = before_->tokens();
    for (int64_t q = 0; q < n; ++q)
        for (int64_t k = 0; k <= q; ++k)
            out << q << ',' << k << ',' << QString::fromStdString(io::csvField(before_->tokenTexts[size_t(q)])) << ','
                << QString::fromStdString(io::csvField(before_->tokenTexts[size_t(k)])) << ','
                << QString::number(before_->at(q, k), 'g', 17) << ',' << QString::number(after_->at(q, k), 'g', 17) << ','
                << QString::number(after_->at(q, k) - before_->at(q, k), 'g', 17) << '\n';
    return f.error() == QFile::NoError;
}

} // namespace transmla::views
