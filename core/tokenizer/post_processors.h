// Post-processors (tokenizers' `post_processor` section) for single sequences: they only add the
// special tokens (BOS/EOS...) when encode() is asked to.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "tokenizer/json_util.h"

namespace transmla::tok {

class PostProcessor {
public:
    virtual ~PostProcessor() = default;
    virtual void apply(std::vector<int32_t>& ids) const = 0; // called only with addSpecialTokens
};

std::unique_ptr<PostProcessor> makePostProcessor(const LoadContext& ctx, const Json& j,
                                                 const std::string& field);

} // namespace transmla::tok
