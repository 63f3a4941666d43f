// The architecture summary as a two-column item model (property, value) for the model panel.
#pragma once
#include <QAbstractTableModel>
#include <QString>
#include <QVector>

#include "model/summary.h"

namespace transmla::views {

class SummaryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    using QAbstractTableModel::QAbstractTableModel;
    void setSummary(const model::ModelSummary& summary);
    void clear();
    const model::ModelSummary& summary() const { return summary_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The value shown for a property, by its stable key ("layers", "kv_heads", ...), for tests.
    QString valueOf(const QString& key) const;

private:
    struct Row {
        QString key, label, value;
    };
    model::ModelSummary summary_;
    QVector<Row> rows_;
};

QString formatBytes(double bytes);

} // namespace transmla::views
