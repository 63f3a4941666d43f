// Pareto view: every candidate conversion of a held-out search (convert/search_result.h) as a point,
// KV cache bytes per token on x and the held-out loss on y, the loss-vs-bytes Pareto front as a line
// and the original model's held-out loss as a dashed line. Above it the grid to search (ranks, r_R,
// FreqFold; empty = the defaults) and the automatic choice of r_R / FreqFold at the panel's rank,
// which can be applied to the conversion panel. The window runs the searches (it holds the jobs).
#pragma once
#include <optional>
#include <vector>

#include "convert/search_result.h"
#include "plotview.h"

class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace transmla::views {

class ParetoView : public PlotView {
    Q_OBJECT
public:
    explicit ParetoView(QWidget* parent = nullptr);

    // The lists typed in (empty: none given); problem() says which field does not parse.
    std::vector<int64_t> ranks() const;
    std::vector<int64_t> ropeDims() const;
    std::vector<int64_t> freqFolds() const;
    QString problem() const;
    int heldOutSamples() const;

    // A finished search; autoChoice: it was the choice of r_R / FreqFold (the best is marked and can be
    // applied).
    void setResult(const convert::SearchResult& result, bool autoChoice);
    const std::optional<convert::SearchResult>& result() const { return result_; }
    bool isAutoChoice() const { return autoChoice_; }
    void setAvailable(bool on); // a model is open and no job runs
    QString summaryText() const;
    bool hasData() const override { return result_.has_value(); }

signals:
    void searchRequested();
    void autoChoiceRequested();
    void applyRequested(qint64 qkRopeHeadDim, qint64 freqFold, qint64 kvLoraRank); // kvLoraRank -1: keep

protected:
    void rebuild() override;
    bool writeCsv(const QString& file) const override;

private:
    QLineEdit *ranks_, *ropeDims_, *freqFolds_;
    QSpinBox* heldOut_;
    QPushButton *search_, *auto_, *apply_;
    QLabel* info_;
    std::optional<convert::SearchResult> result_;
    bool autoChoice_ = false;
};

} // namespace transmla::views
