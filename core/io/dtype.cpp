#include "io/dtype.h"

#include "util/error.h"

namespace transmla::io {

namespace {
struct Row {
    DType type;
    const char* name;
    int64_t size;
    c10::ScalarType scalar;
};
// One table for every conversion, so a new dtype is one line.
const Row kTable[] = {
    {DType::F64, "F64", 8, c10::ScalarType::Double}, {DType::F32, "F32", 4, c10::ScalarType::Float},
    {DType::F16, "F16", 2, c10::ScalarType::Half},   {DType::BF16, "BF16", 2, c10::ScalarType::BFloat16},
    {DType::I64, "I64", 8, c10::ScalarType::Long},   {DType::I32, "I32", 4, c10::ScalarType::Int},
    {DType::I16, "I16", 2, c10::ScalarType::Short},  {DType::I8, "I8", 1, c10::ScalarType::Char},
    {DType::U8, "U8", 1, c10::ScalarType::Byte},     {DType::BOOL, "BOOL", 1, c10::ScalarType::Bool},
};
const Row& row(DType t) {
    for (const auto& r : kTable)
        if (r.type == t) return r;
    throw Error("internal: unknown dtype");
}
} // namespace

bool parseDType(const std::string& name, DType& out) {
    for (const auto& r : kTable)
        if (name == r.name) {
            out = r.type;
            return true;
        }
    return false;
}
std::string dtypeName(DType t) {
    return row(t).name;
}
int64_t dtypeSize(DType t) {
    return row(t).size;
}
c10::ScalarType toScalarType(DType t) {
    return row(t).scalar;
}
DType fromScalarType(c10::ScalarType s) {
    for (const auto& r : kTable)
        if (r.scalar == s) return r.type;
    throw Error(std::string("tensor dtype not storable in safetensors: ") + c10::toString(s));
}

} // namespace transmla::io
