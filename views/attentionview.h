// Attention map view: softmax probabilities of one layer for a prompt. "One head" shows before |
// after | after - before of the chosen head; "All heads" shows every query head of the layer side by
// side (before, with the difference in the hover readout). Cells are square and unblurred, token
// labels thin out only as far as the axis length needs (zoom in to see every token), and a prompt cut
// to the map's limit says so. Before and after share one colour scale; the difference has its own
// diverging scale centred on 0. The maps come from a worker (attentionRequested): one Compute gives
// every head of the layer, so switching heads needs no new computation.
#pragma once
#include <optional>
#include <vector>

#include "analysis/attention_map.h"
#include "plotview.h"

class QComboBox;
class QLineEdit;
class QSpinBox;
class QPushButton;
class QLabel;
class QCPAxisRect;
class QCPLayoutGrid;

namespace transmla::views {

class AttentionView : public PlotView {
    Q_OBJECT
public:
    explicit AttentionView(QWidget* parent = nullptr);

    void setMaps(const analysis::AttentionMap& before, const analysis::AttentionMap& after); // one head
    // Every head of one layer (index = head); shows `head`.
    void setLayerMaps(const std::vector<analysis::AttentionMap>& before,
                      const std::vector<analysis::AttentionMap>& after, int head);
    void clear();
    void setLimits(int layers, int heads); // selector ranges of the open model
    void setPrompt(const QString& prompt);
    void setBusy(bool busy);
    void setAllHeads(bool on); // the overview of every head of the layer
    bool allHeads() const;
    bool hasData() const override { return before_.has_value(); }
    const std::optional<analysis::AttentionMap>& before() const { return before_; }
    const std::optional<analysis::AttentionMap>& after() const { return after_; }
    int headsAvailable() const { return int(headsBefore_.size()); }
    double maxAbsDifference() const { return maxAbsDiff_; }
    QString infoText() const;
    int layer() const;
    int head() const;
    QString prompt() const;
    QCPAxisRect* mapRect(int i) const { return i < int(rects_.size()) ? rects_[size_t(i)] : nullptr; }

    // Differences below this are float rounding of fp32 softmax, not a change of the model.
    static constexpr double kRounding = 1e-5;

signals:
    void attentionRequested(const QString& prompt, int layer, int head);

protected:
    void rebuild() override;
    bool writeCsv(const QString& file) const override;
    QString hoverText(const QPointF& pos) const override;

private:
    void showHead(int head);
    void keepCellsSquare();
    QString describe() const;

    QLineEdit* prompt_;
    QSpinBox *layer_, *head_;
    QComboBox* mode_;
    QPushButton* compute_;
    QLabel* info_;
    std::vector<QCPAxisRect*> rects_; // one head: before, after, difference; all heads: head h
    std::vector<QSize> squaredSizes_; // each rect's size when its cells were last made square
    QCPLayoutGrid* scales_ = nullptr; // the colour scales, as tall as the maps
    bool squaring_ = false;           // keepCellsSquare is laying the plot out again
    std::optional<analysis::AttentionMap> before_, after_;
    std::vector<analysis::AttentionMap> headsBefore_, headsAfter_;
    double maxAbsDiff_ = 0;
};

} // namespace transmla::views
