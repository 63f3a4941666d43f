#include "attentionview.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QSpinBox>
#include <algorithm>
#include <cmath>

#include "io/csv.h"
#include "plotticks.h"
#include "qcp.h"

namespace transmla::views {

namespace {
QCPColorGradient viridis() { // perceptually uniform, readable on light and dark palettes
    QCPColorGradient g;
    g.setColorStopAt(0.0, QColor(68, 1, 84));
    g.setColorStopAt(0.25, QColor(59, 82, 139));
    g.setColorStopAt(0.5, QColor(33, 145, 140));
    g.setColorStopAt(0.75, QColor(94, 201, 98));
    g.setColorStopAt(1.0, QColor(253, 231, 37));
    return g;
}
QCPColorGradient diverging() {
    QCPColorGradient g;
    g.setColorStopAt(0, QColor(33, 102, 172));
    g.setColorStopAt(0.5, QColor(247, 247, 247));
    g.setColorStopAt(1, QColor(178, 24, 43));
    return g;
}
QString tokenAt(const analysis::AttentionMap& m, int i) {
    return QString::fromStdString(m.tokenTexts[size_t(i)]);
}
} // namespace

AttentionView::AttentionView(QWidget* parent)
    : PlotView(parent), prompt_(new QLineEdit), layer_(new QSpinBox), head_(new QSpinBox),
      mode_(new QComboBox), compute_(new QPushButton(tr("Compute"))), info_(new QLabel) {
    setWindowTitle(tr("Attention map"));
    prompt_->setObjectName(QStringLiteral("attentionPrompt"));
    prompt_->setPlaceholderText(tr("Prompt (default: the first GSM8K test problem)"));
    prompt_->setMinimumWidth(120);
    layer_->setObjectName(QStringLiteral("attentionLayer"));
    head_->setObjectName(QStringLiteral("attentionHead"));
    mode_->setObjectName(QStringLiteral("attentionMode"));
    mode_->addItems({tr("One head"), tr("All heads")});
    mode_->setToolTip(tr("One head: before, after and difference. All heads: every query head of the layer"));
    controls()->addWidget(new QLabel(tr("Prompt:")));
    controls()->addWidget(prompt_, 1);
    controls()->addWidget(new QLabel(tr("Layer:")));
    controls()->addWidget(layer_);
    controls()->addWidget(new QLabel(tr("Head:")));
    head_->setToolTip(tr("Query head"));
    controls()->addWidget(head_);
    controls()->addWidget(mode_);
    controls()->addWidget(compute_);
    info_->setWordWrap(true);
    mainLayout()->insertWidget(1, info_);
    compute_->setEnabled(false);
    connect(compute_, &QPushButton::clicked, this,
            [this] { emit attentionRequested(prompt_->text(), layer_->value(), head_->value()); });
    connect(head_, &QSpinBox::valueChanged, this, &AttentionView::showHead);
    connect(mode_, &QComboBox::currentIndexChanged, this, &AttentionView::rebuild);
    connect(plot(), &QCustomPlot::afterLayout, this, &AttentionView::keepCellsSquare);
    rebuild();
}

void AttentionView::setLimits(int layers, int heads) {
    layer_->setRange(0, std::max(0, layers - 1));
    head_->setRange(0, std::max(0, heads - 1));
}

void AttentionView::setPrompt(const QString& prompt) {
    prompt_->setText(prompt);
}
void AttentionView::setBusy(bool busy) {
    compute_->setEnabled(!busy);
}
void AttentionView::setAllHeads(bool on) {
    mode_->setCurrentIndex(on ? 1 : 0);
}
bool AttentionView::allHeads() const {
    return mode_->currentIndex() == 1 && !headsBefore_.empty();
}
int AttentionView::layer() const {
    return layer_->value();
}
int AttentionView::head() const {
    return head_->value();
}
QString AttentionView::prompt() const {
    return prompt_->text();
}
QString AttentionView::infoText() const {
    return info_->text();
}

void AttentionView::setMaps(const analysis::AttentionMap& before, const analysis::AttentionMap& after) {
    headsBefore_.clear();
    headsAfter_.clear();
    before_ = before;
    after_ = after;
    const QSignalBlocker b1(layer_), b2(head_);
    layer_->setValue(int(before.layer));
    head_->setValue(int(before.head));
    if (prompt_->text().isEmpty()) {
        prompt_->setText(QString::fromStdString(before.prompt));
        prompt_->setCursorPosition(0); // show the prompt's start
    }
    rebuild();
}

void AttentionView::setLayerMaps(const std::vector<analysis::AttentionMap>& before,
                                 const std::vector<analysis::AttentionMap>& after, int head) {
    if (before.empty() || before.size() != after.size()) return clear();
    head = std::clamp(head, 0, int(before.size()) - 1);
    setMaps(before[size_t(head)], after[size_t(head)]);
    headsBefore_ = before;
    headsAfter_ = after;
    rebuild();
}

void AttentionView::showHead(int head) {
    // Every head of the layer is at hand after one Compute: switching heads redraws, nothing more.
    if (head < 0 || head >= int(headsBefore_.size()) || int(headsBefore_[0].layer) != layer_->value()) return;
    before_ = headsBefore_[size_t(head)];
    after_ = headsAfter_[size_t(head)];
    rebuild();
}

void AttentionView::clear() {
    before_.reset();
    after_.reset();
    headsBefore_.clear();
    headsAfter_.clear();
    rebuild();
}

void AttentionView::keepCellsSquare() {
    // Square cells that fill their axes: each map's axis rect is made square (the smaller of its
    // free width and height, the same for all maps), so the whole token range [-0.5, n - 0.5] fills
    // it on both axes; the space left over stays below or to the right of the maps. (Widening one
    // axis's range instead left the map in the top part of a tall, mostly empty rect.) Runs inside
    // the replot, after the layout: the layout is redone here and drawn by this same replot.
    if (squaring_ || rects_.empty()) return;
    const QScopedValueRollback<bool> guard(squaring_, true);
    QCPLayoutGrid* grid = plot()->plotLayout();
    auto relayout = [grid] {
        grid->update(QCPLayoutElement::upPreparation);
        grid->update(QCPLayoutElement::upMargins);
        grid->update(QCPLayoutElement::upLayout);
    };
    bool changed = false;
    // One head: the first map's token labels must not make its cells smaller. Its column gets the
    // extra width of its margin (stretch factors in pixels: inner width + margin); the colour scales
    // keep their minimum width.
    if (!allHeads() && rects_.size() == 3 && grid->columnCount() == 4) {
        double outer = 0, margins = 0;
        for (QCPAxisRect* r : rects_)
            outer += r->outerRect().width(), margins += r->outerRect().width() - r->width();
        const double inner = std::max(10.0, (outer - margins) / 3);
        QList<double> factors;
        for (QCPAxisRect* r : rects_)
            factors << inner + (r->outerRect().width() - r->width());
        factors << 1;
        const QList<double> now = grid->columnStretchFactors();
        bool differ = false;
        for (int i = 0; i < 3; ++i)
            differ = differ || std::abs(now.value(i) - factors[i]) > 2;
        if (differ) {
            grid->setColumnStretchFactors(factors);
            changed = true;
        }
    }
    // The free size of each rect: without limits.
    const QSize unlimited(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX);
    std::vector<QCPLayoutElement*> titles;
    for (int i = 0; i < grid->elementCount(); ++i)
        if (auto* t = qobject_cast<QCPTextElement*>(grid->elementAt(i))) titles.push_back(t);
    for (QCPAxisRect* r : rects_)
        r->setMaximumSize(unlimited);
    for (QCPLayoutElement* t : titles)
        t->setMaximumSize(unlimited);
    if (scales_) scales_->setMaximumSize(unlimited);
    relayout();
    int side = QWIDGETSIZE_MAX;
    for (QCPAxisRect* r : rects_)
        side = std::min({side, r->width(), r->height()});
    side = std::max(side, 1);
    for (QCPAxisRect* r : rects_)
        r->setMaximumSize(side, side); // the inner rect (QCPAxisRect's size constraint)
    // The titles' columns would otherwise keep the free width (their height is their text's).
    const int outerWidth = side + rects_[0]->outerRect().width() - rects_[0]->width();
    for (QCPLayoutElement* t : titles)
        t->setMaximumSize(outerWidth, QWIDGETSIZE_MAX);
    if (scales_) // the colour scales end where the maps end (their row would otherwise stay tall)
        scales_->setMaximumSize(QWIDGETSIZE_MAX,
                                side + rects_[0]->outerRect().height() - rects_[0]->height());
    relayout();
    relayout(); // the token ticks are chosen in the preparation step, from the rects' sizes of the last
                // layout

    squaredSizes_.resize(rects_.size());
    const double n = before_ ? double(before_->tokens()) : 1;
    for (size_t i = 0; i < rects_.size(); ++i) {
        QCPAxisRect* r = rects_[i];
        QCPAxis *x = r->axis(QCPAxis::atBottom), *y = r->axis(QCPAxis::atLeft);
        if (r->width() <= 0 || r->height() <= 0) continue;
        if (squaredSizes_[i] != r->size()) { // resized: the whole map again (a zoom keeps the size)
            squaredSizes_[i] = r->size();
            x->setRange(-0.5, std::max(0.5, n - 0.5));
            y->setRange(-0.5, std::max(0.5, n - 0.5));
        }
        // A rect held above its maximum by a minimum size: square cells by the axis with more room.
        const double xScale = r->width() / x->range().size(), yScale = r->height() / y->range().size();
        if (std::abs(xScale - yScale) < 1e-6 * std::max(xScale, yScale)) continue;
        QCPAxis* grow = xScale > yScale ? x : y;
        const double lower = grow->range().lower;
        grow->setScaleRatio(grow == x ? y : x, 1.0);
        grow->setRange(lower, lower + grow->range().size());
    }
    if (changed) replotLater();
}

void AttentionView::rebuild() {
    QCustomPlot* p = plot();
    p->clearPlottables();
    p->plotLayout()->clear();
    scales_ = nullptr;
    rects_.clear();
    squaredSizes_.clear();
    const int n = before_ ? int(before_->tokens()) : 0;
    const bool comparable = before_ && after_ && after_->tokens() == n;
    QStringList tokens;
    for (int t = 0; t < n; ++t)
        tokens << tokenLabel(tokenAt(*before_, t));

    const bool overview = allHeads();
    const int panels = overview ? int(headsBefore_.size()) : 3;
    const int columns = overview ? int(std::ceil(std::sqrt(double(panels) * 2))) : 3;
    auto* scale = new QCPColorScale(p);
    auto* diffScale = new QCPColorScale(p);
    scale->setGradient(viridis());
    diffScale->setGradient(diverging());
    scale->setLabel(tr("probability"));
    const QString titles[3] = {tr("GQA (before)"), tr("MLA (after)"), tr("after - before")};
    double pmax = 1e-9;
    maxAbsDiff_ = 0;
    auto* margins = new QCPMarginGroup(p); // the maps' and the colour bars' tops and bottoms in line
    for (int i = 0; i < panels; ++i) {
        auto* rect = new QCPAxisRect(p);
        rect->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
        const int row = 2 * (i / columns), col = i % columns;
        p->plotLayout()->addElement(row, col,
                                    new QCPTextElement(p, overview ? tr("head %1").arg(i) : titles[i]));
        p->plotLayout()->addElement(row + 1, col, rect);
        rects_.push_back(rect);
        QCPAxis *x = rect->axis(QCPAxis::atBottom), *y = rect->axis(QCPAxis::atLeft);
        y->setRangeReversed(true); // query 0 at the top
        x->setTickLabelRotation(60);
        for (QCPAxis* a : {x, y}) {
            a->setTicker(QSharedPointer<TokenTicker>::create(tokens, a));
            a->setRange(-0.5, std::max(0.5, n - 0.5));
            a->setTickLabels(!overview);
            a->grid()->setVisible(false);
        }
        y->setTickLabels(!overview && i == 0);
        x->setLabel(overview ? QString() : tr("key"));
        y->setLabel(!overview && i == 0 ? tr("query") : QString());
        auto* map = new QCPColorMap(x, y);
        map->setInterpolate(false); // one cell per (query, key): no blur between them
        map->data()->setSize(std::max(1, n), std::max(1, n));
        map->data()->setRange(QCPRange(0, std::max(0, n - 1)), QCPRange(0, std::max(0, n - 1)));
        map->data()->fill(0);
        const analysis::AttentionMap* a =
            overview ? &headsBefore_[size_t(i)] : (i == 1 ? &*after_ : &*before_);
        const bool difference = !overview && i == 2;
        if ((i == 1 || difference) && !comparable) a = nullptr;
        for (int q = 0; a && q < n; ++q)
            for (int k = 0; k < n; ++k) {
                const double v = difference ? after_->at(q, k) - before_->at(q, k) : a->at(q, k);
                map->data()->setCell(k, q, v);
                if (difference)
                    maxAbsDiff_ = std::max(maxAbsDiff_, std::abs(v));
                else
                    pmax = std::max(pmax, v);
            }
        map->setColorScale(difference ? diffScale : scale);
    }
    auto* scales = new QCPLayoutGrid;
    scales_ = scales;
    p->plotLayout()->addElement(1, columns, scales);
    scales->addElement(0, 0, scale);
    if (!overview)
        scales->addElement(0, 1, diffScale);
    else
        delete diffScale;
    scale->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    if (!overview) diffScale->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    scale->setDataRange(QCPRange(0, pmax));
    const double d = std::max(maxAbsDiff_, 1e-9);
    if (!overview) {
        diffScale->setDataRange(QCPRange(-d, d));
        diffScale->setLabel(comparable && maxAbsDiff_ < kRounding ? tr("difference (float rounding)")
                                                                  : tr("difference"));
    }
    for (int r = 0; r < p->plotLayout()->rowCount(); r += 2)
        p->plotLayout()->setRowStretchFactor(r, 0.01);
    info_->setText(describe());
    applyPalette(p);
    replotLater();
}

QString AttentionView::describe() const {
    if (!before_ || !after_ || after_->tokens() != before_->tokens())
        return tr("Run a conversion, then choose a layer and head and press Compute");
    const auto cmp = analysis::compareAttention(*before_, *after_);
    const int64_t n = before_->tokens(), whole = std::max(before_->promptTokens, n);
    QString text = tr("Layer %1, head %2, %3 tokens").arg(before_->layer).arg(before_->head).arg(n);
    if (whole > n) text += tr(" (the first %1 of the prompt's %2 tokens)").arg(n).arg(whole);
    // Honest about exact conversions: fp32 rounding leaves differences around 1e-7, not zero.
    if (cmp.maxAbsDifference < kRounding)
        text += tr(": max |difference| %1, float rounding (the maps agree); mean KL %2")
                    .arg(number(cmp.maxAbsDifference, 2),
                         cmp.meanKl < 1e-9 ? tr("0 (rounding)") : number(cmp.meanKl, 3));
    else
        text += tr(": max |difference| %1, mean KL %2 nats")
                    .arg(number(cmp.maxAbsDifference, 3), number(cmp.meanKl, 3));
    return text;
}

QString AttentionView::hoverText(const QPointF& pos) const {
    QCPAxisRect* rect = plot()->axisRectAt(pos);
    const auto it = std::find(rects_.begin(), rects_.end(), rect);
    if (!before_ || it == rects_.end()) return PlotView::hoverText(pos);
    const int panel = int(it - rects_.begin()), n = int(before_->tokens());
    const int k = int(std::lround(rect->axis(QCPAxis::atBottom)->pixelToCoord(pos.x())));
    const int q = int(std::lround(rect->axis(QCPAxis::atLeft)->pixelToCoord(pos.y())));
    if (q < 0 || k < 0 || q >= n || k >= n) return QString();
    const bool overview = allHeads();
    const analysis::AttentionMap& b = overview ? headsBefore_[size_t(panel)] : *before_;
    const analysis::AttentionMap* a = overview ? &headsAfter_[size_t(panel)] : (after_ ? &*after_ : nullptr);
    QString text = tr("head %1, query %2 '%3', key %4 '%5': before %6")
                       .arg(b.head)
                       .arg(q)
                       .arg(tokenAt(b, q).simplified(), QString::number(k), tokenAt(b, k).simplified(),
                            number(b.at(q, k)));
    if (a && a->tokens() == n)
        text += tr(", after %1, difference %2").arg(number(a->at(q, k)), number(a->at(q, k) - b.at(q, k), 2));
    return text;
}

bool AttentionView::writeCsv(const QString& file) const {
    if (!before_ || !after_) return false;
    io::CsvWriter csv({"query", "key", "query_token", "key_token", "before", "after", "difference"});
    const int64_t n = before_->tokens();
    for (int64_t q = 0; q < n; ++q)
        for (int64_t k = 0; k <= q; ++k)
            csv.row({std::to_string(q), std::to_string(k), before_->tokenTexts[size_t(q)],
                     before_->tokenTexts[size_t(k)], io::csvNumber(before_->at(q, k)),
                     io::csvNumber(after_->at(q, k)), io::csvNumber(after_->at(q, k) - before_->at(q, k))});
    return saveCsv(csv, file);
}

} // namespace transmla::views
