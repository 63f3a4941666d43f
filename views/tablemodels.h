// Item models of the model panel and the conversion panel: the checkpoint's tensors, and the
// conversion report per layer.
#pragma once
#include <QAbstractTableModel>
#include <vector>

#include "model/summary.h"
#include "workbench/workbench.h"

namespace transmla::views {

class TensorModel : public QAbstractTableModel {
    Q_OBJECT
public:
    using QAbstractTableModel::QAbstractTableModel;
    enum Column { Name, DType, Shape, Elements, ColumnCount };
    // What a sorting proxy compares (setSortRole): numbers for Elements, the dims for Shape.
    static constexpr int SortRole = Qt::UserRole;
    void setTensors(const std::vector<model::TensorRow>& tensors);
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<model::TensorRow> rows_;
};

class LayerReportModel : public QAbstractTableModel {
    Q_OBJECT
public:
    using QAbstractTableModel::QAbstractTableModel;
    enum Column { Layer, Rank, Retained, RopeEnergy, Alpha, ColumnCount };
    void setLayers(const std::vector<workbench::LayerFigures>& layers);
    const std::vector<workbench::LayerFigures>& layers() const { return rows_; }
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<workbench::LayerFigures> rows_;
};

} // namespace transmla::views
