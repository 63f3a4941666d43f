// KV budget view: bytes per token of GQA vs MLA as bars, cache memory vs context length as curves
// with the GPU memory presets as horizontal lines, and the longest context on the selected GPU for
// the chosen batch and cache dtype (never beyond the model's max_position_embeddings).
#pragma once
#include <vector>

#include "analysis/budget.h"
#include "plotview.h"

class QComboBox;
class QLabel;
class QSpinBox;
class QCPAxisRect;
class QCPBars;

namespace transmla::views {

class BudgetView : public PlotView {
    Q_OBJECT
public:
    explicit BudgetView(QWidget* parent = nullptr);

    void setBudgets(const std::vector<analysis::KvBudget>& budgets);
    const std::vector<analysis::KvBudget>& budgets() const { return budgets_; }
    bool hasData() const override { return !budgets_.empty(); }
    // Longest usable context of each budget on the selected GPU at the selected batch and cache
    // dtype: what fits beside the weights, at most the model's max_position_embeddings.
    std::vector<int64_t> maxContexts() const;
    void selectGpu(int index);
    void setBatch(int batch);
    void setCacheDtype(analysis::CacheDtype dtype);
    // The budgets as shown: the given ones stored at the selected cache dtype.
    std::vector<analysis::KvBudget> shownBudgets() const;
    QString summaryText() const;

protected:
    void rebuild() override;
    bool writeCsv(const QString& file) const override;

private:
    QComboBox* gpu_;
    QSpinBox* batch_;
    QComboBox* dtype_;
    QLabel* info_;
    QCPAxisRect* curves_;
    std::vector<analysis::KvBudget> budgets_;
};

} // namespace transmla::views
