#include "paretoview.h"

#include <QFile>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTextStream>
#include <algorithm>

#include "qcp.h"

namespace transmla::views {

namespace {
// "16, 32,64" -> {16, 32, 64}; "full" -> -1. ok = false when an item is not a positive integer.
std::vector<int64_t> parseList(const QString& text, bool* ok) {
    std::vector<int64_t> out;
    *ok = true;
    for (const QString& item : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString t = item.trimmed();
        if (t == QLatin1String("full")) {
            out.push_back(-1);
            continue;
        }
        bool itemOk = false;
        const qlonglong v = t.toLongLong(&itemOk);
        if (!itemOk || v < 1)
            *ok = false;
        else
            out.push_back(v);
    }
    return out;
}
} // namespace

ParetoView::ParetoView(QWidget* parent)
    : PlotView(parent), ranks_(new QLineEdit), ropeDims_(new QLineEdit), freqFolds_(new QLineEdit),
      heldOut_(new QSpinBox), search_(new QPushButton(tr("Search"))),
      auto_(new QPushButton(tr("Choose r_R and FreqFold"))), apply_(new QPushButton(tr("Apply choice"))),
      info_(new QLabel) {
    setWindowTitle(tr("Pareto front"));
    ranks_->setObjectName(QStringLiteral("paretoRanks"));
    ropeDims_->setObjectName(QStringLiteral("paretoRopeDims"));
    freqFolds_->setObjectName(QStringLiteral("paretoFreqFolds"));
    ranks_->setPlaceholderText(tr("e.g. 16,32,full"));
    ropeDims_->setPlaceholderText(tr("default"));
    freqFolds_->setPlaceholderText(tr("e.g. 1,2,4"));
    heldOut_->setObjectName(QStringLiteral("paretoHeldOut"));
    heldOut_->setRange(1, 256);
    heldOut_->setValue(16);
    heldOut_->setToolTip(tr("Held-out sequences of the calibration source (after the calibration's own; "
                            "never the GSM8K test set)"));
    search_->setObjectName(QStringLiteral("paretoSearchButton"));
    auto_->setObjectName(QStringLiteral("paretoAutoButton"));
    auto_->setToolTip(
        tr("Compare every r_R and FreqFold at the panel's rank (equal KV bytes) on held-out text"));
    apply_->setObjectName(QStringLiteral("paretoApplyButton"));
    apply_->setEnabled(false);
    controls()->addWidget(new QLabel(tr("Ranks:")));
    controls()->addWidget(ranks_);
    controls()->addWidget(new QLabel(tr("r_R:")));
    controls()->addWidget(ropeDims_);
    controls()->addWidget(new QLabel(tr("FreqFold:")));
    controls()->addWidget(freqFolds_);
    controls()->addWidget(new QLabel(tr("Held-out:")));
    controls()->addWidget(heldOut_);
    controls()->addWidget(search_);
    // The held-out choice on a second row: one row of everything is wider than a 1366-pixel screen
    // leaves the tabs (beside the conversion panel), and the window then clips at the right.
    auto* choice = new QHBoxLayout;
    choice->addWidget(auto_);
    choice->addWidget(apply_);
    choice->addStretch(1);
    mainLayout()->insertLayout(mainLayout()->indexOf(controls()) + 1, choice);
    info_->setObjectName(QStringLiteral("paretoInfo"));
    info_->setWordWrap(true);
    info_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    mainLayout()->addWidget(info_);
    connect(search_, &QPushButton::clicked, this, &ParetoView::searchRequested);
    connect(auto_, &QPushButton::clicked, this, &ParetoView::autoChoiceRequested);
    connect(apply_, &QPushButton::clicked, this, [this] {
        if (!result_ || !autoChoice_) return;
        const convert::Candidate& c = result_->candidates[result_->best()];
        emit applyRequested(c.qkRopeHeadDim, c.freqFold, c.kvLoraRank);
    });
    QCustomPlot* p = plot();
    p->xAxis->setLabel(tr("KV cache per token (bytes, 16-bit)"));
    p->yAxis->setLabel(tr("held-out loss (mean NLL)"));
    p->legend->setVisible(true);
    applyPalette(p);
    setAvailable(false);
    rebuild();
}

std::vector<int64_t> ParetoView::ranks() const {
    bool ok = false;
    return parseList(ranks_->text(), &ok);
}
std::vector<int64_t> ParetoView::ropeDims() const {
    bool ok = false;
    return parseList(ropeDims_->text(), &ok);
}
std::vector<int64_t> ParetoView::freqFolds() const {
    bool ok = false;
    return parseList(freqFolds_->text(), &ok);
}
int ParetoView::heldOutSamples() const {
    return heldOut_->value();
}

QString ParetoView::problem() const {
    const std::pair<QLineEdit*, QString> fields[] = {
        {ranks_, tr("Ranks")}, {ropeDims_, tr("r_R")}, {freqFolds_, tr("FreqFold")}};
    for (const auto& [edit, name] : fields) {
        bool ok = false;
        parseList(edit->text(), &ok);
        if (!ok) return tr("%1: comma-separated positive whole numbers (ranks also \"full\")").arg(name);
    }
    return {};
}

void ParetoView::setAvailable(bool on) {
    search_->setEnabled(on);
    auto_->setEnabled(on);
    apply_->setEnabled(on && result_ && autoChoice_);
}

void ParetoView::setResult(const convert::SearchResult& result, bool autoChoice) {
    result_ = result;
    autoChoice_ = autoChoice;
    apply_->setEnabled(autoChoice);
    rebuild();
}

QString ParetoView::summaryText() const {
    return info_->text();
}

void ParetoView::rebuild() {
    QCustomPlot* p = plot();
    p->clearPlottables();
    if (!result_) {
        info_->setText(
            tr("Search a grid of ranks, r_R and FreqFold for the held-out loss against the KV cache "
               "size, or let the held-out loss choose r_R and FreqFold at the panel's rank."));
        p->legend->setVisible(false); // no empty legend box before the first search
        p->replot();
        return;
    }
    const convert::SearchResult& r = *result_;
    QVector<double> x, y, fx, fy;
    double lo = r.originalLoss, hi = r.originalLoss, xlo = 1e300, xhi = 0;
    for (const auto& c : r.candidates) {
        if (!c.skipped.empty()) continue;
        x.push_back(double(c.kvBytesPerToken));
        y.push_back(c.heldOutLoss);
        lo = std::min(lo, c.heldOutLoss);
        hi = std::max(hi, c.heldOutLoss);
        xlo = std::min(xlo, double(c.kvBytesPerToken));
        xhi = std::max(xhi, double(c.kvBytesPerToken));
    }
    for (size_t i : r.front) {
        fx.push_back(double(r.candidates[i].kvBytesPerToken));
        fy.push_back(r.candidates[i].heldOutLoss);
    }
    auto* all = new QCPGraph(p->xAxis, p->yAxis);
    all->setName(tr("candidates"));
    all->setLineStyle(QCPGraph::lsNone);
    all->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, seriesColor(0), 7));
    all->setData(x, y); // unsorted: one point per candidate, also at equal bytes
    auto* front = new QCPGraph(p->xAxis, p->yAxis);
    front->setName(tr("Pareto front"));
    front->setPen(QPen(seriesColor(1), 2));
    front->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, seriesColor(1), 8));
    front->setData(fx, fy, true);
    auto* original = new QCPGraph(p->xAxis, p->yAxis);
    original->setName(tr("original model"));
    original->setPen(QPen(seriesColor(2), 1, Qt::DashLine));
    if (xhi < xlo) xlo = 0, xhi = 1;
    original->setData({xlo, xhi}, {r.originalLoss, r.originalLoss}, true);
    QStringList lines;
    QString bestText;
    if (!x.isEmpty()) {
        const convert::Candidate& b = r.candidates[r.best()];
        bestText = tr("r %1, r_R %2, FreqFold %3: %4")
                       .arg(b.rank)
                       .arg(b.qkRopeHeadDim)
                       .arg(b.freqFold)
                       .arg(number(b.heldOutLoss));
        if (autoChoice_) {
            auto* chosen = new QCPGraph(p->xAxis, p->yAxis);
            chosen->setName(tr("chosen"));
            chosen->setLineStyle(QCPGraph::lsNone);
            chosen->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssStar, seriesColor(3), 14));
            chosen->setData({double(b.kvBytesPerToken)}, {b.heldOutLoss});
        }
    }
    lines << (autoChoice_ ? tr("Chosen by held-out loss: %1").arg(bestText)
                          : tr("Lowest held-out loss: %1").arg(bestText));
    QStringList cands;
    for (const auto& c : r.candidates)
        cands << (c.skipped.empty() ? tr("r %1 / r_R %2 / FreqFold %3: %4 (%5 B)")
                                          .arg(c.rank)
                                          .arg(c.qkRopeHeadDim)
                                          .arg(c.freqFold)
                                          .arg(number(c.heldOutLoss))
                                          .arg(c.kvBytesPerToken)
                                    : tr("r_R %1 / FreqFold %2: skipped (%3)")
                                          .arg(c.qkRopeHeadDim)
                                          .arg(c.freqFold)
                                          .arg(QString::fromStdString(c.skipped)));
    lines << tr("Candidates: %1").arg(cands.join(QStringLiteral("; ")));
    lines << tr("Original model %1 on %2 held-out tokens; %3 s.")
                 .arg(number(r.originalLoss))
                 .arg(r.heldOutTokens)
                 .arg(number(r.seconds, 3));
    info_->setText(lines.join(QLatin1Char('\n')));
    p->xAxis->setRange(paddedRange(xlo, xhi));
    p->yAxis->setRange(paddedRange(lo, hi));
    p->legend->setVisible(p->plottableCount() > 0); // no empty legend box before the first run
    replotLater();
}

bool ParetoView::writeCsv(const QString& file) const {
    if (!result_) return false;
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) return false;
    QTextStream out(&f);
    out << QString::fromStdString(result_->csv());
    return f.error() == QFile::NoError;
}

} // namespace transmla::views
