#include "devicechoice.h"

#include <QComboBox>
#include <QStandardItemModel>

#include "workbench/device.h"

namespace transmla::views {

void DeviceChoice::fill(QComboBox* box) {
    box->addItem(tr("CPU"), QStringLiteral("cpu:f32"));
    const workbench::DeviceStatus status = workbench::deviceStatus();
    if (status.cudaAbsent.empty()) {
        const QString name = QString::fromStdString(status.cudaName);
        box->addItem(tr("CUDA %1 (f32)").arg(name), QStringLiteral("cuda:f32"));
        box->addItem(tr("CUDA %1 (bf16: half the memory, faster)").arg(name), QStringLiteral("cuda:bf16"));
    } else {
        const QString why = status.cudaBuiltIn ? tr("CUDA: no device found") : tr("CUDA: not in this build");
        box->addItem(why, QStringLiteral("none"));
        const int row = box->count() - 1;
        if (auto* model = qobject_cast<QStandardItemModel*>(box->model()))
            model->item(row)->setEnabled(false);
        box->setItemData(row,
                         status.cudaBuiltIn ? tr("This build has CUDA, but no CUDA device was found (no GPU, "
                                                 "or its driver is not loaded).")
                                            : tr("This build uses a LibTorch without CUDA. Build against a "
                                                 "CUDA LibTorch: see README, \"Building with CUDA\"."),
                         Qt::ToolTipRole);
        box->setToolTip(box->itemData(row, Qt::ToolTipRole).toString());
    }
    QString wanted = qEnvironmentVariable("TRANSMLA_DEVICE",
                                          status.cudaAbsent.empty() ? QStringLiteral("cuda") : QString());
    if (!wanted.contains(QLatin1Char(':'))) wanted += QStringLiteral(":f32");
    if (const int i = box->findData(wanted); i >= 0) box->setCurrentIndex(i);
}

QString DeviceChoice::deviceOf(const QString& choice) {
    return choice.section(QLatin1Char(':'), 0, 0);
}
QString DeviceChoice::dtypeOf(const QString& choice) {
    const QString t = choice.section(QLatin1Char(':'), 1, 1);
    return t.isEmpty() ? QStringLiteral("f32") : t;
}

} // namespace transmla::views
