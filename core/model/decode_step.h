// The fast decoding step on CUDA. A step of one new token per sequence, when every layer's attention
// fits the fused kernel (kernels/decode_attention.h: bf16, no sliding window or soft-capping, the
// shapes it takes), runs with its position on the device: the new keys are written at stepPosition
// and the kernel reads the whole fixed-capacity cache up to stepLengths. Nothing in such a step
// depends on the host's length, so forwardCached captures it once per cache (one batch, one
// capacity) as a CUDA graph and replays it: one launch per step instead of ~30 per layer. Eager
// elsewhere (the CPU, fp32, prompts, hooks, MoE layers, RoPE whose frequencies change with length).
#pragma once
#include <ATen/core/Tensor.h>

#include "model/forward.h"
#include "model/kv_cache.h"

namespace transmla::model {

// Process-wide switches of the fast paths on CUDA, read from the environment at start ("0" turns one off,
// "1" on; benchmarks and tests compare with the ATen path): TRANSMLA_DECODE_KERNELS, TRANSMLA_DECODE_GRAPHS,
// TRANSMLA_STEP_OPS, TRANSMLA_PROMPT_OPS, TRANSMLA_ABSORB_KERNELS, TRANSMLA_CUDNN_ATTENTION,
// TRANSMLA_ABSORB_FUSION, TRANSMLA_QROPE_MAP, TRANSMLA_PROMPT_GEMM, in this order.
// stepOps: the step's element-wise work as fused kernels (kernels/step_ops.h). promptOps: the same kernels
// for a prompt into a cache (T > 1: RMSNorm, RoPE, SiLU * up, residual add + RMSNorm over every row; the
// kernels round as ATen's ops do; measured on the H200: prefill 16K x 16 GQA 9.86 -> 8.70 s, MLA 10.64
// -> 9.58 s, equally close to the full forward). absorbKernels: MLA's absorbed projections as two kernels in
// the step (step_ops.h), else ATen's einsums. cudnnAttention: prompts on Hopper through cuDNN's fused
// attention (attend, modules.h), else flash. absorbFusion (with absorbKernels): MLA's cache row written by
// the absorbed query's launch and the absorbed output computed by the decode reduction (two kernels fewer per
// layer), else their own kernels. ropeMap: a split query's q_rope (model.h MlaAttention::qRope) mapped from
// q_nope by the fitted map (in the fast step by the absorbed query's launch, elsewhere one product per head),
// so that the projection reads the q_nope | kv_a rows only; else from its rope rows. promptGemm (with
// promptOps): a prompt's products of >= kTunedMinRows rows through cuBLASLt with the algorithm picked by
// timing (kernels/tuned_linear.h), else at::linear.
struct DecodeFastPath {
    bool kernels = true;
    bool graphs = true;
    bool stepOps = true;
    bool promptOps = true;
    bool absorbKernels = true;
    bool cudnnAttention = true;
    bool absorbFusion = true;
    bool ropeMap = true;
    bool promptGemm = true;
};
DecodeFastPath& decodeFastPath();

// A layer's attention as the fused decode kernel sees it (kernels/decode_attention.h): queries per kv group,
// key and value widths, values = the keys' first columns (MLA's latent rows), kv groups per sequence.
struct DecodeAttentionShape {
    int64_t queriesPerGroup, keyDim, valueDim;
    bool sharedValues;
    int64_t kvGroups;
};
DecodeAttentionShape decodeAttentionShape(const Model& m, const Layer& L);

// Whether a step of T new tokens over this cache runs on the device path (decided once per cache).
bool deviceDecodeStep(const Model& m, KvCache& cache, int64_t T, const ForwardHooks* hooks);
// Before such a step: stepPosition (unless a graph fills it) and stepLengths.
void beginDeviceStep(KvCache& cache, int64_t T);

// forwardCached's step through the cache's CUDA graph (captured on first use: that step runs eagerly
// and is recorded). Returns an undefined tensor where a graph does not apply.
at::Tensor decodeStepWithGraph(const Model& m, const at::Tensor& ids, KvCache& cache);

} // namespace transmla::model
