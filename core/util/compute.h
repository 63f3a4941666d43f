// Where and in which precision torch computes, as typed values (torch-free: the workbench facade and
// the views name them too). The spellings ("cpu", "cuda:1", "f32", "bf16") are those of the CLI,
// JSON reports and sessions; parse* accept them (and the long dtype names) and throw SettingError
// naming the setting ("device", "dtype") for anything else.
#pragma once
#include <string>

namespace transmla {

namespace setting {
inline constexpr const char* kDevice = "device";
inline constexpr const char* kDtype = "dtype";
} // namespace setting

struct Device {
    enum class Kind { Cpu, Cuda };
    Kind kind = Kind::Cpu;
    int index = -1; // CUDA device number; -1: the current one ("cuda")
    bool isCuda() const { return kind == Kind::Cuda; }
    bool operator==(const Device& o) const { return kind == o.kind && index == o.index; }
    bool operator!=(const Device& o) const { return !(*this == o); }
};
Device parseDevice(const std::string& name); // cpu | cuda | cuda:N
std::string deviceName(const Device& d);

enum class ComputeDtype { F32, BF16, F16, F64 }; // F64: for exactness checks
ComputeDtype
parseComputeDtype(const std::string& name);   // f32|fp32|float32, bf16|bfloat16, f16|fp16|float16, f64|...
std::string computeDtypeName(ComputeDtype t); // the short form: f32, bf16, f16, f64

} // namespace transmla
