#include "lossview.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <cmath>

#include "io/csv.h"
#include "qcp.h"
#include "results/audit.h"

namespace transmla::views {

namespace {
double docNll(const eval::DocLoss& d) {
    return d.tokens ? d.nllSum / double(d.tokens) : 0;
}
} // namespace

LossView::LossView(QWidget* parent)
    : PlotView(parent), info_(new QLabel), sweepButton_(new QPushButton(tr("Rank sweep"))) {
    setWindowTitle(tr("GSM8K loss"));
    sweepButton_->setToolTip(
        tr("Convert at several kv_lora_rank values and evaluate each (loss vs KV cache size)"));
    sweepButton_->setEnabled(false);
    controls()->addWidget(info_, 1);
    controls()->addWidget(sweepButton_);
    info_->setWordWrap(true);
    connect(sweepButton_, &QPushButton::clicked, this, &LossView::sweepRequested);

    QCustomPlot* p = plot();
    sweepRect_ = new QCPAxisRect(p);
    p->plotLayout()->addElement(0, 1, sweepRect_);
    p->xAxis->setLabel(tr("mean NLL per problem, GQA (nats/token)"));
    p->yAxis->setLabel(tr("mean NLL per problem, MLA"));
    sweepRect_->axis(QCPAxis::atBottom)->setLabel(tr("KV cache per token (bytes, bf16)"));
    sweepRect_->axis(QCPAxis::atLeft)->setLabel(tr("GSM8K mean NLL (nats/token)"));
    applyPalette(p);
    rebuild();
}

void LossView::setLosses(const std::optional<eval::LossResult>& before,
                         const std::optional<eval::LossResult>& after, int64_t kvBytesBefore,
                         int64_t kvBytesAfter, std::optional<double> fullRankNll) {
    before_ = before;
    after_ = after;
    fullRank_ = fullRankNll;
    kvBefore_ = kvBytesBefore;
    kvAfter_ = kvBytesAfter;
    rebuild();
}

void LossView::setSweep(const std::vector<SweepPointValue>& points) {
    sweep_ = points;
    rebuild();
}

void LossView::setPerplexity(const std::optional<eval::LossResult>& before,
                             const std::optional<eval::LossResult>& after) {
    wikiBefore_ = before;
    wikiAfter_ = after;
    rebuild();
}

QString LossView::uncertaintyText() const {
    QStringList lines;
    auto fmt = [](double v) { return QLocale().toString(v, 'f', 4); };
    auto ci = [&](const eval::Interval& i) {
        return QStringLiteral("[%1, %2]").arg(fmt(i.low), fmt(i.high));
    };
    if (before_ && after_ && before_->perDoc.size() == after_->perDoc.size() && !before_->perDoc.empty()) {
        const auto all = results::compareLosses("gsm8k", *before_, *after_, false);
        const auto answer = results::compareLosses("gsm8k", *before_, *after_, true);
        lines << tr("95% intervals (bootstrap over problems): GQA %1, MLA %2; MLA - GQA %3 %4 (paired)")
                     .arg(ci(all.beforeCi), ci(all.afterCi), fmt(all.difference()), ci(all.differenceCi));
        lines << tr("Answer tokens only (after \"Answer:\"): %1 %2 -> %3 %4; MLA - GQA %5 %6")
                     .arg(fmt(answer.before), ci(answer.beforeCi), fmt(answer.after), ci(answer.afterCi),
                          fmt(answer.difference()), ci(answer.differenceCi));
    }
    if (wikiBefore_ && wikiAfter_)
        lines << tr("WikiText-2 test perplexity over %1 tokens: %2 -> %3")
                     .arg(wikiBefore_->tokens)
                     .arg(QLocale().toString(wikiBefore_->perplexity(), 'f', 3))
                     .arg(QLocale().toString(wikiAfter_->perplexity(), 'f', 3));
    return lines.join(QLatin1Char('\n'));
}

void LossView::setBusy(bool busy) {
    sweepButton_->setEnabled(!busy);
}

QString LossView::summaryText() const {
    return info_->text();
}

void LossView::rebuild() {
    QCustomPlot* p = plot();
    p->clearPlottables();
    p->clearItems();
    const QColor fg = palette().color(QPalette::WindowText);
    // Left: per-problem scatter with the diagonal.
    double lo = 1e300, hi = 0;
    if (before_ && after_ && before_->perDoc.size() == after_->perDoc.size()) {
        QVector<double> x, y;
        for (size_t i = 0; i < before_->perDoc.size(); ++i) {
            x.push_back(docNll(before_->perDoc[i]));
            y.push_back(docNll(after_->perDoc[i]));
            lo = std::min({lo, x.back(), y.back()});
            hi = std::max({hi, x.back(), y.back()});
        }
        auto* g = p->addGraph(p->xAxis, p->yAxis);
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, seriesColor(0), 6));
        g->setData(x, y);
        auto* diag = new QCPItemStraightLine(p);
        diag->point1->setCoords(0, 0);
        diag->point2->setCoords(1, 1);
        QColor c = fg;
        c.setAlpha(120);
        diag->setPen(QPen(c, 1, Qt::DashLine));
    }
    if (hi < lo) lo = 0, hi = 1;
    p->xAxis->setRange(paddedRange(lo, hi));
    p->yAxis->setRange(paddedRange(lo, hi));

    // Right: the sweep, plus the original's loss as a horizontal line.
    QCPAxis* sx = sweepRect_->axis(QCPAxis::atBottom);
    QCPAxis* sy = sweepRect_->axis(QCPAxis::atLeft);
    QVector<double> bx, by;
    for (const auto& s : sweep_)
        bx.push_back(double(s.kvBytesPerToken)), by.push_back(s.meanNll);
    double ylo = 1e300, yhi = 0, xhi = double(std::max(kvBefore_, int64_t(1)));
    for (size_t i = 0; i < sweep_.size(); ++i) {
        ylo = std::min(ylo, by[int(i)]), yhi = std::max(yhi, by[int(i)]), xhi = std::max(xhi, bx[int(i)]);
        auto* label = new QCPItemText(p);
        label->setClipAxisRect(sweepRect_);
        label->position->setAxes(sx, sy);
        label->position->setCoords(bx[int(i)], by[int(i)]);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        label->setColor(fg);
        label->setText(QStringLiteral(" r=%1").arg(sweep_[i].rank));
    }
    if (!sweep_.empty()) {
        auto* g = new QCPGraph(sx, sy);
        g->setPen(QPen(seriesColor(1), 2));
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 7));
        g->setData(bx, by);
    }
    if (before_) {
        ylo = std::min(ylo, before_->meanNll()), yhi = std::max(yhi, before_->meanNll());
        auto* line = new QCPItemStraightLine(p);
        line->setClipAxisRect(sweepRect_);
        line->point1->setAxes(sx, sy);
        line->point2->setAxes(sx, sy);
        line->point1->setCoords(0, before_->meanNll());
        line->point2->setCoords(1, before_->meanNll());
        line->setPen(QPen(seriesColor(2), 1, Qt::DashLine));
        auto* label = new QCPItemText(p);
        label->setClipAxisRect(sweepRect_);
        label->position->setAxes(sx, sy);
        label->position->setCoords(0, before_->meanNll());
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        label->setColor(seriesColor(2));
        label->setText(tr(" GQA (original)"));
    }
    if (after_ && kvAfter_ > 0) {
        auto* g = new QCPGraph(sx, sy);
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssStar, seriesColor(4), 12));
        g->addData(double(kvAfter_), after_->meanNll());
        auto* label = new QCPItemText(p);
        label->setClipAxisRect(sweepRect_);
        label->position->setAxes(sx, sy);
        label->position->setCoords(double(kvAfter_), after_->meanNll());
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        label->setColor(seriesColor(4));
        label->setText(tr("  this conversion"));
        ylo = std::min(ylo, after_->meanNll()), yhi = std::max(yhi, after_->meanNll());
    }
    if (yhi < ylo) ylo = 0, yhi = 1;
    sx->setRange(0, xhi * 1.15);
    sy->setRange(paddedRange(ylo, yhi, 0.1)); // exact MLA: before == after, a flat range

    if (before_ && after_) {
        QString text = tr("GSM8K mean NLL over %1 problems: %2 (GQA) -> %3 (MLA), perplexity %4 -> %5")
                           .arg(before_->documents)
                           .arg(QLocale().toString(before_->meanNll(), 'f', 4))
                           .arg(QLocale().toString(after_->meanNll(), 'f', 4))
                           .arg(QLocale().toString(before_->perplexity(), 'f', 2))
                           .arg(QLocale().toString(after_->perplexity(), 'f', 2));
        if (fullRank_) {
            auto nats = [](double v) -> QString {
                return (v >= 0 ? QStringLiteral("+") : QString()) + QLocale().toString(v, 'f', 4);
            };
            text += QLatin1Char('\n') +
                    tr("Where the loss comes from: RoPE removal %1, rank truncation %2 (full-rank model %3)")
                        .arg(nats(*fullRank_ - before_->meanNll()), nats(after_->meanNll() - *fullRank_))
                        .arg(QLocale().toString(*fullRank_, 'f', 4));
        }
        info_->setText(text + QLatin1Char('\n') + uncertaintyText());
    } else
        info_->setText(tr("Run a conversion with GSM8K evaluation to compare losses"));
    applyPalette(p);
    replotLater();
}

bool LossView::writeCsv(const QString& file) const {
    io::CsvWriter csv({"kind", "key", "before_nll", "after_nll", "kv_bytes_per_token"});
    if (before_ && after_)
        for (size_t i = 0; i < before_->perDoc.size() && i < after_->perDoc.size(); ++i)
            csv.row({"problem", std::to_string(i), io::csvNumber(docNll(before_->perDoc[i])),
                     io::csvNumber(docNll(after_->perDoc[i])), ""});
    for (const auto& s : sweep_)
        csv.row({"sweep", "r=" + std::to_string(s.rank), "", io::csvNumber(s.meanNll),
                 std::to_string(s.kvBytesPerToken)});
    return saveCsv(csv, file);
}

} // namespace transmla::views
