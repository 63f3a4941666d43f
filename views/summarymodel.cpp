#include "summarymodel.h"

#include <QLocale>

namespace transmla::views {

QString formatBytes(double bytes) {
    return QLocale().formattedDataSize(static_cast<qint64>(bytes), 2, QLocale::DataSizeTraditionalFormat);
}

void SummaryModel::setSummary(const model::ModelSummary& s) {
    beginResetModel();
    summary_ = s;
    const QLocale loc;
    auto num = [&](int64_t v) { return loc.toString(static_cast<qlonglong>(v)); };
    rows_ = {
        {QStringLiteral("family"), tr("Family"),
         QString::fromStdString(s.family) + QStringLiteral(" (") + QString::fromStdString(s.architecture) +
             QLatin1Char(')')},
        {QStringLiteral("layers"), tr("Layers"), num(s.layers)},
        {QStringLiteral("hidden_size"), tr("Hidden size"), num(s.hiddenSize)},
        {QStringLiteral("query_heads"), tr("Query heads"), num(s.queryHeads)},
        {QStringLiteral("kv_heads"), tr("KV heads"), num(s.kvHeads)},
        {QStringLiteral("head_dim"), tr("Head dim"), num(s.headDim)},
        {QStringLiteral("vocab_size"), tr("Vocabulary"), num(s.vocabSize)},
        {QStringLiteral("parameter_count"), tr("Parameters"), num(s.parameterCount)},
        {QStringLiteral("kv_cache_bytes_per_token"), tr("KV cache per token (16-bit)"),
         tr("%1 bytes").arg(num(s.kvCacheBytesPerToken))},
        {QStringLiteral("dtype"), tr("Weights"),
         QString::fromStdString(s.dtype) + QStringLiteral(", ") + formatBytes(double(s.checkpointBytes))},
    };
    if (s.kvLoraRank)
        rows_.push_back({QStringLiteral("kv_lora_rank"), tr("kv_lora_rank / qk_rope_head_dim"),
                         num(s.kvLoraRank) + QStringLiteral(" / ") + num(s.qkRopeHeadDim)});
    if (!s.notes.empty())
        rows_.push_back({QStringLiteral("notes"), tr("Notes"), QString::fromStdString(s.notes)});
    endResetModel();
}

void SummaryModel::clear() {
    beginResetModel();
    summary_ = {};
    rows_.clear();
    endResetModel();
}

int SummaryModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(rows_.size());
}
int SummaryModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : 2;
}

QVariant SummaryModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rows_.size() || role != Qt::DisplayRole) return {};
    const Row& r = rows_[index.row()];
    return index.column() == 0 ? r.label : r.value;
}

QVariant SummaryModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    return section == 0 ? tr("Property") : tr("Value");
}

QString SummaryModel::valueOf(const QString& key) const {
    for (const Row& r : rows_)
        if (r.key == key) return r.value;
    return {};
}

} // namespace transmla::views
