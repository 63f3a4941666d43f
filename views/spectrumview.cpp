#include "spectrumview.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <cmath>

#include "io/csv.h"
#include "plotticks.h"
#include "qcp.h"

namespace transmla::views {

namespace {
// Combo index -> source; index 0 is the latent.
const analysis::SpectrumSource kSources[] = {
    analysis::SpectrumSource::WeightK, analysis::SpectrumSource::WeightV, analysis::SpectrumSource::KPreRope,
    analysis::SpectrumSource::KPostRope, analysis::SpectrumSource::V};
} // namespace

SpectrumView::SpectrumView(QWidget* parent)
    : PlotView(parent), source_(new QComboBox), layer_(new QComboBox), head_(new QComboBox),
      info_(new QLabel) {
    setWindowTitle(tr("Spectrum"));
    source_->addItems({tr("Latent (joint PCA of K_nope and V)"), tr("K weights"), tr("V weights"),
                       tr("Keys before RoPE"), tr("Keys after RoPE"), tr("Values")});
    controls()->addWidget(new QLabel(tr("Spectrum:")));
    controls()->addWidget(source_);
    controls()->addWidget(new QLabel(tr("Layer:")));
    controls()->addWidget(layer_);
    controls()->addWidget(new QLabel(tr("KV head:")));
    controls()->addWidget(head_);
    controls()->addStretch(1);
    // The long source names must not set the window's minimum width: the combo shrinks to ~14
    // characters when space is short (the full name in its list and tooltip); the energy line sits
    // under the selectors.
    source_->setMinimumWidth(source_->fontMetrics().averageCharWidth() * 14);
    connect(source_, &QComboBox::currentTextChanged, source_, &QComboBox::setToolTip);
    source_->setToolTip(source_->currentText());
    info_->setWordWrap(true);
    mainLayout()->insertWidget(1, info_);
    source_->setObjectName(QStringLiteral("spectrumSource"));
    layer_->setObjectName(QStringLiteral("spectrumLayer"));
    head_->setObjectName(QStringLiteral("spectrumHead"));

    QCustomPlot* p = plot();
    p->addGraph(p->xAxis, p->yAxis);
    p->addGraph(p->xAxis, p->yAxis2);
    p->graph(0)->setName(tr("singular value"));
    p->graph(1)->setName(tr("cumulative energy"));
    p->graph(0)->setPen(QPen(seriesColor(0), 2));
    p->graph(0)->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 4));
    p->graph(1)->setPen(QPen(seriesColor(1), 2));
    p->yAxis->setScaleType(QCPAxis::stLogarithmic);
    p->yAxis->setTicker(QSharedPointer<LogTicker>::create());
    p->yAxis->setNumberFormat(QStringLiteral("eb"));
    p->yAxis->setNumberPrecision(0);
    p->yAxis->setLabel(tr("singular value (log)"));
    p->yAxis2->setVisible(true);
    p->yAxis2->setRange(0, 1.02);
    p->yAxis2->setLabel(tr("cumulative energy"));
    p->xAxis->setLabel(tr("index (rank)"));
    p->legend->setVisible(true);
    p->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignRight | Qt::AlignVCenter);
    rankLine_ = new QCPItemStraightLine(p);
    rankLine_->setPen(QPen(seriesColor(4), 2, Qt::DashLine));

    connect(source_, &QComboBox::currentIndexChanged, this, [this] {
        refillHeads();
        rebuild();
    });
    connect(layer_, &QComboBox::currentIndexChanged, this, &SpectrumView::rebuild);
    connect(head_, &QComboBox::currentIndexChanged, this, &SpectrumView::rebuild);
    applyPalette(p);
    rebuild();
}

void SpectrumView::setData(const std::vector<std::vector<double>>& latentEigenvalues,
                           const std::optional<analysis::SpectraResult>& spectra) {
    latent_ = latentEigenvalues;
    spectra_ = spectra;
    int layers = int(latent_.size());
    if (spectra_)
        for (const auto& s : spectra_->spectra)
            layers = std::max(layers, int(s.layer) + 1);
    const QSignalBlocker block(layer_);
    const int keep = layer_->currentIndex();
    layer_->clear();
    for (int l = 0; l < layers; ++l)
        layer_->addItem(QString::number(l));
    layer_->setCurrentIndex(keep >= 0 && keep < layers ? keep : 0);
    refillHeads();
    rebuild();
}

void SpectrumView::clear() {
    setData({}, std::nullopt);
}

bool SpectrumView::hasData() const {
    return !values_.isEmpty();
}

void SpectrumView::refillHeads() {
    const QSignalBlocker block(head_);
    head_->clear();
    head_->addItem(tr("all"));
    if (source_->currentIndex() > 0 && spectra_) {
        int heads = 0;
        for (const auto& s : spectra_->spectra)
            heads = std::max(heads, int(s.head) + 1);
        for (int h = 0; h < heads; ++h)
            head_->addItem(QString::number(h));
    }
    head_->setEnabled(head_->count() > 1);
}

void SpectrumView::select(int sourceIndex, int layer, int head) {
    source_->setCurrentIndex(sourceIndex);
    layer_->setCurrentIndex(layer);
    head_->setCurrentIndex(head);
    rebuild();
}

void SpectrumView::rebuild() {
    values_.clear();
    const int layer = layer_->currentIndex();
    if (layer >= 0) {
        if (source_->currentIndex() == 0) {
            if (layer < int(latent_.size()))
                for (double e : latent_[size_t(layer)])
                    values_.push_back(std::sqrt(std::max(0.0, e)));
        } else if (spectra_) {
            const int head =
                head_->currentIndex() <= 0 ? int(analysis::kAllHeads) : head_->currentIndex() - 1;
            if (const analysis::Spectrum* s =
                    spectra_->find(kSources[source_->currentIndex() - 1], layer, head))
                values_ = QVector<double>(s->singularValues.begin(), s->singularValues.end());
        }
    }
    analysis::Spectrum s;
    s.singularValues.assign(values_.begin(), values_.end());
    const auto cum = s.cumulativeEnergy();
    cumulative_ = QVector<double>(cum.begin(), cum.end());
    QVector<double> x(values_.size()), positive(values_.size());
    double lo = 1e300, hi = 0;
    for (int i = 0; i < values_.size(); ++i) {
        x[i] = i + 1;
        positive[i] = std::max(values_[i], 1e-12); // log axis: zeros drawn at the floor
        if (values_[i] > 0) lo = std::min(lo, values_[i]);
        hi = std::max(hi, values_[i]);
    }
    QCustomPlot* p = plot();
    p->graph(0)->setData(x, positive, true);
    p->graph(1)->setData(x, cumulative_, true);
    p->xAxis->setRange(0, std::max<double>(2, values_.size() + 1));
    if (hi > 0)
        p->yAxis->setRange(lo / 2, hi * 2);
    else
        p->yAxis->setRange(1e-3, 1);
    rankLine_->point1->setCoords(rank_, 0);
    rankLine_->point2->setCoords(rank_, 1);
    rankLine_->setVisible(rank_ > 0 && hasData());
    info_->setText(hasData() ? tr("rank %1 keeps %2% of the energy")
                                   .arg(rank_)
                                   .arg(QLocale().toString(100 * retainedAtRank(), 'f', 2))
                             : tr("Run a conversion to see spectra"));
    replotLater();
}

double SpectrumView::retainedAtRank() const {
    if (cumulative_.isEmpty() || rank_ <= 0) return 0;
    return cumulative_[std::min(rank_, int(cumulative_.size())) - 1];
}

void SpectrumView::setRank(int rank) {
    rank_ = rank;
    rebuild();
}

QString SpectrumView::hoverText(const QPointF& pos) const {
    if (values_.isEmpty() || plot()->axisRectAt(pos) != plot()->axisRect()) return PlotView::hoverText(pos);
    const int i = int(std::lround(plot()->xAxis->pixelToCoord(pos.x()))) - 1;
    if (i < 0 || i >= values_.size()) return PlotView::hoverText(pos);
    return tr("index %1: singular value %2, cumulative energy %3%")
        .arg(i + 1)
        .arg(number(values_[i]))
        .arg(QLocale().toString(100 * cumulative_[i], 'f', 2));
}

bool SpectrumView::writeCsv(const QString& file) const {
    io::CsvWriter csv({"index", "singular_value", "cumulative_energy"});
    for (int i = 0; i < values_.size(); ++i)
        csv.row({std::to_string(i + 1), io::csvNumber(values_[i]), io::csvNumber(cumulative_[i])});
    return saveCsv(csv, file);
}

} // namespace transmla::views
