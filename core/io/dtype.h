// Element types of checkpoint tensors, as safetensors names them.
#pragma once
#include <cstdint>
#include <string>

#include <c10/core/ScalarType.h>

namespace transmla::io {

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL };

// Returns false for names we do not read (F8_*, U16, ...).
bool parseDType(const std::string& name, DType& out);
std::string dtypeName(DType t);
int64_t dtypeSize(DType t);
c10::ScalarType toScalarType(DType t);
DType fromScalarType(c10::ScalarType t); // throws for types safetensors cannot hold

} // namespace transmla::io
