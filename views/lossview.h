// Loss view: GSM8K loss of the original and the converted model (per-problem scatter: before on x,
// after on y, the diagonal = no change) and a rank sweep (mean loss vs KV cache bytes per token).
#pragma once
#include <optional>
#include <vector>

#include "eval/loss.h"
#include "plotview.h"

class QLabel;
class QPushButton;
class QCPAxisRect;

namespace transmla::views {

struct SweepPointValue {
    int64_t rank = 0, kvBytesPerToken = 0;
    double meanNll = 0;
};

class LossView : public PlotView {
    Q_OBJECT
public:
    explicit LossView(QWidget* parent = nullptr);

    void setLosses(const std::optional<eval::LossResult>& before,
                   const std::optional<eval::LossResult>& after, int64_t kvBytesBefore = 0,
                   int64_t kvBytesAfter = 0,
                   std::optional<double> fullRankNll = std::nullopt); // splits the increase (RoPE | rank)
    void setSweep(const std::vector<SweepPointValue>& points);
    // WikiText-2 perplexity of the original and the converted model (shown under the loss).
    void setPerplexity(const std::optional<eval::LossResult>& before,
                       const std::optional<eval::LossResult>& after);
    void setBusy(bool busy);
    bool hasData() const override { return before_.has_value() || !sweep_.empty(); }
    const std::optional<eval::LossResult>& before() const { return before_; }
    const std::optional<eval::LossResult>& after() const { return after_; }
    const std::vector<SweepPointValue>& sweep() const { return sweep_; }
    QString summaryText() const;
    QString uncertaintyText() const; // the bootstrap intervals, answer-only loss and WikiText-2 perplexity

signals:
    void sweepRequested();

protected:
    void rebuild() override;
    bool writeCsv(const QString& file) const override;

private:
    QLabel* info_;
    QPushButton* sweepButton_;
    QCPAxisRect* sweepRect_;
    std::optional<eval::LossResult> before_, after_, wikiBefore_, wikiAfter_;
    std::optional<double> fullRank_;
    int64_t kvBefore_ = 0, kvAfter_ = 0;
    std::vector<SweepPointValue> sweep_;
};

} // namespace transmla::views
