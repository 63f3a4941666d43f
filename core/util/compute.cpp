#include "util/compute.h"

#include <cctype>

#include "util/error.h"

namespace transmla {

Device parseDevice(const std::string& name) {
    if (name == "cpu") return {};
    if (name == "cuda") return {Device::Kind::Cuda, -1};
    if (name.rfind("cuda:", 0) == 0 && name.size() > 5 && name.size() < 9) {
        int index = 0;
        for (char c : name.substr(5)) {
            if (!std::isdigit(static_cast<unsigned char>(c))) index = -1;
            if (index >= 0) index = index * 10 + (c - '0');
        }
        if (index >= 0) return {Device::Kind::Cuda, index};
    }
    throw SettingError(setting::kDevice, "'" + name + "': use cpu, cuda or cuda:N");
}

std::string deviceName(const Device& d) {
    if (!d.isCuda()) return "cpu";
    return d.index < 0 ? "cuda" : "cuda:" + std::to_string(d.index);
}

ComputeDtype parseComputeDtype(const std::string& name) {
    if (name == "f32" || name == "fp32" || name == "float32") return ComputeDtype::F32;
    if (name == "bf16" || name == "bfloat16") return ComputeDtype::BF16;
    if (name == "f16" || name == "fp16" || name == "float16") return ComputeDtype::F16;
    if (name == "f64" || name == "fp64" || name == "float64") return ComputeDtype::F64;
    throw SettingError(setting::kDtype, "'" + name + "': use f32, bf16, f16 or f64");
}

std::string computeDtypeName(ComputeDtype t) {
    switch (t) {
    case ComputeDtype::F32:
        return "f32";
    case ComputeDtype::BF16:
        return "bf16";
    case ComputeDtype::F16:
        return "f16";
    case ComputeDtype::F64:
        return "f64";
    }
    return "f32";
}

} // namespace transmla
