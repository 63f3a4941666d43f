// An in-process GQA -> MLA conversion calibrated on random token ids, for benchmarks and checks that depend
// on the converted shapes only (decoding speed, kernel launches, cache sizes), not on the conversion's
// quality.
#pragma once
#include <cstdint>

#include <ATen/ATen.h>

#include "convert/pipeline.h"
#include "model/model.h"

namespace transmla::test {

// kv_lora_rank `rank`, qk_rope_head_dim `ropeDim`, calibration on `samples` random rows of `seqLen` ids.
inline void convertOnRandomIds(model::Model& m, int64_t rank, int64_t ropeDim, int64_t samples,
                               int64_t seqLen) {
    convert::ConvertSettings s;
    s.kvLoraRank = rank;
    s.qkRopeHeadDim = ropeDim;
    s.calibration.samples = samples;
    s.calibration.seqLen = seqLen;
    convert::convertModel(m, s, at::randint(0, m.config.vocabSize, {samples, seqLen}, at::kLong));
}

} // namespace transmla::test
