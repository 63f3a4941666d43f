// Per-layer error of a conversion, measured where it happens: for probe tokens, the original
// model's hidden states are walked layer by layer, and at each layer l the same normalised input x
// feeds the original and the converted attention block (o_proj included):
//   e_l = ||A_converted(x) - A_original(x)||_F / ||A_original(x)||_F
// Each layer sees the original's inputs, so e_l is that layer's own error, not the sum of earlier ones.
#pragma once
#include <vector>

#include <ATen/core/Tensor.h>

namespace transmla::model {
class Model;
}

namespace transmla::eval {

// ids [N, T] int64 on the host. Returns one relative error per layer.
std::vector<double> attentionOutputErrors(const model::Model& original, const model::Model& converted,
                                          const at::Tensor& ids);

} // namespace transmla::eval
