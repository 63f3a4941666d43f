// The Speed view's history as an item model: one row per measured context x batch (newest last),
// GQA and MLA side by side and their MLA/GQA ratios, the measured cache beside the analytic budget.
#pragma once
#include <QAbstractTableModel>
#include <vector>

#include "workbench/speed_step.h"

namespace transmla::views {

class SpeedModel : public QAbstractTableModel {
    Q_OBJECT
public:
    using QAbstractTableModel::QAbstractTableModel;
    enum Column {
        Setting, // "256 x 1" (context x batch), steps and device in the tooltip
        GqaMs,
        MlaMs,
        GqaTokensPerSecond,
        MlaTokensPerSecond,
        GqaCache,
        MlaCache,
        CacheRatio,  // measured
        BudgetRatio, // analytic
        SpeedRatio,  // MLA / GQA tokens per second
        ColumnCount
    };
    static constexpr int kMaxPoints = 16; // the oldest point goes when a 17th comes

    void add(const workbench::SpeedPoint& point);
    void clear();
    const std::vector<workbench::SpeedPoint>& points() const { return points_; }
    static QString settingText(const workbench::SpeedPoint& p); // "256 x 1"

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<workbench::SpeedPoint> points_;
};

} // namespace transmla::views
