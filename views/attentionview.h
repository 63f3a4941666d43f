// Attention map view: one layer/head's softmax probabilities for a prompt, before | after | after -
// before, with token labels. Before and after share one colour scale; the difference has its own
// diverging scale centred on 0. The maps come from a worker (attentionRequested).
#pragma once
#include <optional>

#include "analysis/attention_map.h"
#include "plotview.h"

class QLineEdit;
class QSpinBox;
class QPushButton;
class QLabel;
class QCPColorMap;
class QCPColorScale;
class QCPAxisRect;

namespace transmla::views {

class AttentionView : public PlotView {
    Q_OBJECT
public:
    explicit AttentionView(QWidget* parent = nullptr);

    void setMaps(const analysis::AttentionMap& before, const analysis::AttentionMap& after);
    void clear();
    void setLimits(int layers, int heads); // selector ranges of the open model
    void setPrompt(const QString& prompt);
    void setBusy(bool busy);
    bool hasData() const override { return before_.has_value(); }
    const std::optional<analysis::AttentionMap>& before() const { return before_; }
    const std::optional<analysis::AttentionMap>& after() const { return after_; }
    double maxAbsDifference() const { return maxAbsDiff_; }
    int layer() const;
    int head() const;
    QString prompt() const;

signals:
    void attentionRequested(const QString& prompt, int layer, int head);

protected:
    void rebuild() override;
    bool writeCsv(const QString& file) const override;

private:
    QLineEdit* prompt_;
    QSpinBox *layer_, *head_;
    QPushButton* compute_;
    QLabel* info_;
    QCPAxisRect* rects_[3];
    QCPColorMap* maps_[3];
    QCPColorScale *scale_, *diffScale_;
    std::optional<analysis::AttentionMap> before_, after_;
    double maxAbsDiff_ = 0;
};

} // namespace transmla::views
