#include "eval/layer_error.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "model/forward.h"
#include "model/model.h"

namespace transmla::eval {

std::vector<double> attentionOutputErrors(const model::Model& original, const model::Model& converted,
                                          const at::Tensor& ids) {
    c10::InferenceMode guard;
    model::checkTokenIds(original, ids, "the probe text");
    std::vector<double> errors;
    at::Tensor h = model::embedTokens(original, ids.to(original.device()));
    for (int64_t layer = 0; layer < original.config.numLayers; ++layer) {
        const at::Tensor x = model::inputNorm(original, layer, h); // [N, T, D]
        const at::Tensor a0 = model::attentionBlock(original, layer, x).to(at::kDouble);
        const at::Tensor a1 =
            model::attentionBlock(converted, layer, x.to(converted.device())).to(a0.device(), at::kDouble);
        const double ref = a0.norm().item<double>();
        errors.push_back(ref > 0 ? (a1 - a0).norm().item<double>() / ref : 0.0);
        h = model::runLayer(original, layer, h);
    }
    return errors;
}

} // namespace transmla::eval
