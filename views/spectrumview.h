// Spectrum view: singular values of one layer/head on a log scale, the cumulative energy on the right
// axis, and a vertical line at the chosen kv_lora_rank that follows the slider. Sources: the latent's
// joint PCA spectrum (what kv_lora_rank truncates) and the weight/activation spectra of analysis/.
#pragma once
#include <QVector>
#include <optional>
#include <vector>

#include "analysis/spectrum.h"
#include "plotview.h"

class QComboBox;
class QLabel;
class QCPItemStraightLine;

namespace transmla::views {

class SpectrumView : public PlotView {
    Q_OBJECT
public:
    explicit SpectrumView(QWidget* parent = nullptr);

    // Latent spectra: the joint PCA eigenvalues of each layer (singular value = sqrt).
    void setData(const std::vector<std::vector<double>>& latentEigenvalues,
                 const std::optional<analysis::SpectraResult>& spectra);
    void clear();
    bool hasData() const override;

    // What is plotted now (for tests and CSV): singular values and cumulative energy.
    QVector<double> singularValues() const { return values_; }
    QVector<double> cumulativeEnergy() const { return cumulative_; }
    int rank() const { return rank_; }
    double retainedAtRank() const;                     // cumulative energy at the rank line
    void select(int sourceIndex, int layer, int head); // combo indices; head 0 = all heads

public slots:
    void setRank(int rank);

protected:
    void rebuild() override;
    bool writeCsv(const QString& file) const override;
    QString hoverText(const QPointF& pos) const override;

private:
    void refillHeads();

    QComboBox *source_, *layer_, *head_;
    QLabel* info_;
    QCPItemStraightLine* rankLine_ = nullptr;
    std::vector<std::vector<double>> latent_;
    std::optional<analysis::SpectraResult> spectra_;
    QVector<double> values_, cumulative_;
    int rank_ = 0;
};

} // namespace transmla::views
