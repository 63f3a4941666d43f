// Decoders (tokenizers' `decoder` section): turn token strings back into text. Each decoder maps a
// list of token strings to a new list (tokenizers' decode_chain); the final list is concatenated.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "tokenizer/json_util.h"

namespace transmla::tok {

class Decoder {
public:
    virtual ~Decoder() = default;
    virtual void decodeChain(std::vector<std::string>& tokens) const = 0;
};

std::unique_ptr<Decoder> makeDecoder(const LoadContext& ctx, const Json& j, const std::string& field);

} // namespace transmla::tok
