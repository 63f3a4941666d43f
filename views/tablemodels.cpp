#include "tablemodels.h"

#include <QLocale>

namespace transmla::views {

void TensorModel::setTensors(const std::vector<model::TensorRow>& tensors) {
    beginResetModel();
    rows_ = tensors;
    endResetModel();
}

int TensorModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(rows_.size());
}
int TensorModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TensorModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= int(rows_.size())) return {};
    const model::TensorRow& t = rows_[size_t(index.row())];
    int64_t n = 1;
    for (int64_t s : t.shape)
        n *= s;
    if (role == Qt::TextAlignmentRole && index.column() == Elements)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == SortRole) {
        if (index.column() == Elements) return qlonglong(n);
        if (index.column() == Shape) { // dim by dim, as numbers: zero-padded text compares like them
            QStringList dims;
            for (int64_t s : t.shape)
                dims << QStringLiteral("%1").arg(qlonglong(s), 20, 10, QLatin1Char('0'));
            return dims.join(QLatin1Char(','));
        }
        role = Qt::DisplayRole;
    }
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
    case Name:
        return QString::fromStdString(t.name);
    case DType:
        return QString::fromStdString(t.dtype);
    case Shape: {
        QStringList dims;
        for (int64_t s : t.shape)
            dims << QString::number(s);
        return QString(QStringLiteral("[") + dims.join(QStringLiteral(", ")) + QStringLiteral("]"));
    }
    case Elements:
        return QLocale().toString(qlonglong(n));
    }
    return {};
}

QVariant TensorModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Name:
        return tr("Tensor");
    case DType:
        return tr("Dtype");
    case Shape:
        return tr("Shape");
    case Elements:
        return tr("Elements");
    }
    return {};
}

void LayerReportModel::setLayers(const std::vector<workbench::LayerFigures>& layers) {
    beginResetModel();
    rows_ = layers;
    endResetModel();
}

int LayerReportModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(rows_.size());
}
int LayerReportModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LayerReportModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= int(rows_.size())) return {};
    const auto& l = rows_[size_t(index.row())];
    if (role == Qt::TextAlignmentRole) return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::EditRole) { // raw numbers, for tests and sorting
        switch (index.column()) {
        case Layer:
            return qlonglong(l.layer);
        case Rank:
            return qlonglong(l.rank);
        case Retained:
            return l.retainedEnergy;
        case RopeEnergy:
            return l.ropeEnergyFraction;
        case Alpha:
            return l.alpha;
        }
    }
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
    case Layer:
        return qlonglong(l.layer);
    case Rank:
        return qlonglong(l.rank);
    case Retained:
        return QString(QLocale().toString(100 * l.retainedEnergy, 'f', 3) + QLatin1Char('%'));
    case RopeEnergy:
        return QString(QLocale().toString(100 * l.ropeEnergyFraction, 'f', 1) + QLatin1Char('%'));
    case Alpha:
        return QLocale().toString(l.alpha, 'f', 3);
    }
    return {};
}

QVariant LayerReportModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Layer:
        return tr("Layer");
    case Rank:
        return tr("kv_lora_rank");
    case Retained:
        return tr("Energy kept");
    case RopeEnergy:
        return tr("RoPE energy");
    case Alpha:
        return tr("alpha");
    }
    return {};
}

} // namespace transmla::views
