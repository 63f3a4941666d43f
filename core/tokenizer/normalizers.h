// Normalizers (tokenizers' `normalizer` section). Offsets are not tracked: only ids are produced.
#pragma once
#include <memory>
#include <string>

#include "tokenizer/json_util.h"

namespace transmla::tok {

class Normalizer {
public:
    virtual ~Normalizer() = default;
    virtual void apply(std::string& s) const = 0;
};

// null JSON -> nullptr. Throws FormatError naming any unsupported type.
std::unique_ptr<Normalizer> makeNormalizer(const LoadContext& ctx, const Json& j, const std::string& field);

} // namespace transmla::tok
