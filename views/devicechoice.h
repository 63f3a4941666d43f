// The device list of the conversion panel: CPU, CUDA in f32 and in bf16 when a CUDA device is there,
// otherwise one disabled entry that says why CUDA is absent (not built in / no device). Each entry's
// data is "device:dtype". TRANSMLA_DEVICE (cpu | cuda | cuda:bf16) picks the first choice, else CUDA
// f32 where it exists (the GPU machine's test runs select CUDA this way).
#pragma once
#include <QCoreApplication>
#include <QString>

class QComboBox;

namespace transmla::views {

class DeviceChoice {
    Q_DECLARE_TR_FUNCTIONS(DeviceChoice)
public:
    static void fill(QComboBox* box);
    static QString deviceOf(const QString& choice); // "cuda:bf16" -> "cuda"
    static QString dtypeOf(const QString& choice);  // "cuda:bf16" -> "bf16"
};

} // namespace transmla::views
