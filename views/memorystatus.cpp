#include "memorystatus.h"

#include <QLocale>

#include "workbench/device.h"

namespace transmla::views {

namespace {
QString gib(int64_t bytes) {
    return QLocale().toString(double(bytes) / double(int64_t(1) << 30), 'f', 1);
}
QString deviceName(const QString& device) {
    return device == QLatin1String("cpu") ? MemoryStatus::tr("host memory") : MemoryStatus::tr("GPU memory");
}
} // namespace

MemoryStatus::MemoryStatus(QWidget* parent) : QLabel(parent) {
    setObjectName(QStringLiteral("memoryStatus"));
    // Its text where there is room; never more than 24 characters of minimum width (the explicit
    // minimum, not the text's). Not Ignored: QStatusBar then gave the stretching message label all
    // the width and laid this label out past the window's right edge (only "host" showed at 1366 px).
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    setMinimumWidth(fontMetrics().averageCharWidth() * 24);
}

void MemoryStatus::showFor(const QString& device, const QString& dtype,
                           const std::optional<io::ModelConfig>& config, int64_t parameters,
                           const convert::ConvertSettings& settings) {
    const auto mem = workbench::deviceMemory(device.toStdString());
    if (!mem.known) {
        clear();
        return;
    }
    QString text =
        tr("%1: %2 / %3 GiB free").arg(deviceName(device), gib(mem.freeBytes), gib(mem.totalBytes));
    if (config && parameters > 0) {
        const auto need = workbench::memoryNeed(*config, parameters, dtype.toStdString(), settings);
        text += tr(", needs %1 + %2 GiB").arg(gib(need.modelBytes), gib(need.conversionBytes));
        const bool fits = need.total() <= mem.freeBytes;
        setStyleSheet(fits ? QString() : QStringLiteral("QLabel { color: #b00020; font-weight: bold; }"));
    } else {
        setStyleSheet(QString());
    }
    setText(text);
    setToolTip(
        tr("Free memory of the chosen device, and what the open model (weights in the chosen precision) "
           "and its conversion (calibration, cached bases, evaluation) will need there"));
}

QString MemoryStatus::fitProblem(const QString& device, const QString& dtype, const io::ModelConfig& config,
                                 int64_t parameters, const convert::ConvertSettings& settings) {
    const auto mem = workbench::deviceMemory(device.toStdString());
    const auto need = workbench::memoryNeed(config, parameters, dtype.toStdString(), settings);
    if (!mem.known || need.total() <= mem.freeBytes) return {};
    const auto bf16 = workbench::memoryNeed(config, parameters, "bf16", settings);
    const auto host = workbench::deviceMemory("cpu");
    const int64_t layer = config.numLayers > 0 ? parameters / config.numLayers * 2 : 0;
    QString text =
        tr("This model will not fit: it needs about %1 GiB of %2 (weights %3 GiB + conversion %4 GiB), "
           "and %5 GiB are free. Nothing was loaded.")
            .arg(gib(need.total()), deviceName(device), gib(need.modelBytes), gib(need.conversionBytes),
                 gib(mem.freeBytes));
    text += QStringLiteral("\n\n") + tr("Alternatives:");
    if (dtype != QLatin1String("bf16") && device != QLatin1String("cpu"))
        text += QStringLiteral("\n- ") +
                tr("bf16 instead of f32 (device list): about %1 GiB").arg(gib(bf16.total()));
    if (device != QLatin1String("cpu") && host.known)
        text += QStringLiteral("\n- ") + tr("the CPU: %1 GiB of host memory free").arg(gib(host.freeBytes));
    text +=
        QStringLiteral("\n- ") +
        tr("the streamed conversion without evaluation, which holds about one layer (%1 GiB) on the device: "
           "transmla convert MODEL --kv-lora-rank R --device cuda --out DIR")
            .arg(gib(layer));
    return text;
}

} // namespace transmla::views
