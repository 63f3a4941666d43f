// Which devices this build can compute on, how much memory they have, and how much a model and its
// conversion will need: what the workbench shows beside its device list and checks before loading.
// Torch-free on purpose (views include it).
#pragma once
#include <cstdint>
#include <string>

#include "convert/settings.h"
#include "io/model_config.h"

namespace transmla::workbench {

struct DeviceStatus {
    bool cudaBuiltIn = false; // the LibTorch this was built against has CUDA
    int cudaDevices = 0;      // devices the driver shows (0 without CUDA)
    std::string cudaName;     // the first device's name, e.g. "NVIDIA H200"
    // Empty when CUDA can be used; else why not, in a sentence ("not in this build ..." / "no device ...").
    std::string cudaAbsent;
};
DeviceStatus deviceStatus();

// Memory of a device in bytes; known = false where it cannot be read (then the rest is 0).
// For the CPU: physical memory and what is available (/proc/meminfo).
struct DeviceMemory {
    bool known = false;
    int64_t totalBytes = 0, freeBytes = 0;
    int64_t heldBytes = 0; // by this process's tensors (CUDA caching allocator); 0 for the CPU
};
DeviceMemory deviceMemory(const std::string& device);

// What a conversion job of the workbench will hold on the device (estimates, bytes): the model in
// the compute dtype (the original and the converted copy share all but the attention), the
// converted attention, and the conversion's working set (calibration hidden states, per-layer
// statistics and cached bases, one layer's activations during evaluation).
struct MemoryNeed {
    int64_t modelBytes = 0, conversionBytes = 0;
    int64_t total() const { return modelBytes + conversionBytes; }
};
MemoryNeed memoryNeed(const io::ModelConfig& config, int64_t parameterCount, const std::string& dtype,
                      const convert::ConvertSettings& settings);

} // namespace transmla::workbench
