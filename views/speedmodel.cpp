#include "speedmodel.h"

#include <QLocale>

#include "summarymodel.h"

namespace transmla::views {

void SpeedModel::add(const workbench::SpeedPoint& point) {
    if (int(points_.size()) >= kMaxPoints) {
        beginRemoveRows({}, 0, 0);
        points_.erase(points_.begin());
        endRemoveRows();
    }
    beginInsertRows({}, int(points_.size()), int(points_.size()));
    points_.push_back(point);
    endInsertRows();
}

void SpeedModel::clear() {
    beginResetModel();
    points_.clear();
    endResetModel();
}

QString SpeedModel::settingText(const workbench::SpeedPoint& p) {
    const QLocale loc;
    return tr("%1 x %2").arg(loc.toString(qlonglong(p.request.context)),
                             loc.toString(qlonglong(p.request.batch)));
}

int SpeedModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(points_.size());
}
int SpeedModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SpeedModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= int(points_.size())) return {};
    const workbench::SpeedPoint& p = points_[size_t(index.row())];
    if (role == Qt::TextAlignmentRole && index.column() != Setting)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole)
        return tr("context %1 x batch %2, %3 timed steps on %4 (%5); MLA r = %6, r_R = %7")
            .arg(p.request.context)
            .arg(p.request.batch)
            .arg(p.request.steps)
            .arg(QString::fromStdString(p.device), QString::fromStdString(p.dtype))
            .arg(p.kvLoraRank)
            .arg(p.qkRopeHeadDim);
    if (role != Qt::DisplayRole) return {};
    const QLocale loc;
    auto num = [&](double v, int decimals) { return loc.toString(v, 'f', decimals); };
    switch (index.column()) {
    case Setting:
        return settingText(p);
    case GqaMs:
        return num(p.gqa.msPerStep, 2);
    case MlaMs:
        return num(p.mla.msPerStep, 2);
    case GqaTokensPerSecond:
        return num(p.gqa.tokensPerSecond, 1);
    case MlaTokensPerSecond:
        return num(p.mla.tokensPerSecond, 1);
    case GqaCache:
        return formatBytes(double(p.gqa.cacheBytes));
    case MlaCache:
        return formatBytes(double(p.mla.cacheBytes));
    case CacheRatio:
        return num(p.cacheRatio(), 4);
    case BudgetRatio:
        return num(p.budgetRatio(), 4);
    case SpeedRatio:
        return num(p.speedRatio(), 3);
    default:
        return {};
    }
}

QVariant SpeedModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case GqaCache:
        case MlaCache:
            return tr("Allocated cache: context + 1 + steps positions per sequence");
        case CacheRatio:
            return tr("Measured: allocated MLA cache / allocated GQA cache");
        case BudgetRatio:
            return tr("Analytic: MLA / GQA bytes per token from the KV budget formulas");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole) return {};
    switch (section) {
    case Setting:
        return tr("context x batch");
    case GqaMs:
        return tr("GQA ms/step");
    case MlaMs:
        return tr("MLA ms/step");
    case GqaTokensPerSecond:
        return tr("GQA tok/s");
    case MlaTokensPerSecond:
        return tr("MLA tok/s");
    case GqaCache:
        return tr("GQA cache");
    case MlaCache:
        return tr("MLA cache");
    case CacheRatio:
        return tr("cache MLA/GQA");
    case BudgetRatio:
        return tr("budget MLA/GQA");
    case SpeedRatio:
        return tr("tok/s MLA/GQA");
    default:
        return {};
    }
}

} // namespace transmla::views
