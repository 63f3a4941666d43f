// KV budget view: bytes per token of GQA vs MLA as bars, cache memory vs context length as curves
// with the GPU memory presets as horizontal lines, and the longest context on the selected GPU.
#pragma once
#include <vector>

#include "analysis/budget.h"
#include "plotview.h"

class QComboBox;
class QLabel;
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
    // Longest context of each budget on the selected GPU (batch 1).
    std::vector<int64_t> maxContexts() const;
    void selectGpu(int index);
    QString summaryText() const;

protected:
    void rebuild() override;
    bool writeCsv(const QString& file) const override;

private:
    QComboBox* gpu_;
    QLabel* info_;
    QCPAxisRect* curves_;
    std::vector<analysis::KvBudget> budgets_;
};

} // namespace transmla::views
