// A prompt's large products (y = x . W^T, bf16, thousands of rows) through cuBLASLt with the algorithm
// picked by timing it. cuBLASLt's heuristic offers up to kTunedCandidates algorithms for a shape; the
// first calls of a shape (a prompt's first layers: each layer calls each shape once) run them in turn,
// each timed with CUDA events (every candidate launched once on a few rows before, so that no timing holds
// a module load), and the calls after those run the fastest. Every call computes its own product (no call
// is repeated for timing); the candidates differ in tiling, so results may differ from at::linear's in the
// last bf16 bit (equal in the GPU test). Measured on the H200 for the 16K x 16 prompt (262,144 rows,
// sustained at the board's 700 W cap): the fastest of the 8 offered runs 2-4% ahead of cublasGemmEx's
// choice (which at::linear takes) for every product of a Llama-3-8B layer
// (tests/bench/prefill_gemm_algos.cu); the whole prompt 0.7-1.1% faster (means of BENCHMARKS.md's pairs:
// MLA 8.18 -> 8.12 s, GQA 7.93 -> 7.84 s).
//
// cuBLASLt is reached through the library the process already holds (LibTorch's CUDA build loads it):
// no link against the toolkit's copy, whose version may differ from LibTorch's.
#pragma once
#include <cstdint>

#include <ATen/core/Tensor.h>

namespace transmla::kernels {

constexpr int kTunedCandidates = 8;
constexpr int64_t kTunedMinRows = 8192;

// x [.., K] bf16 on CUDA, contiguous; w [N, K] bf16 on the same device with unit stride along K and row
// stride K (a row block of a packed weight too); K and N multiples of 8. Returns y [.., N], or an undefined
// tensor where it does not apply (then the caller runs at::linear): fewer than kTunedMinRows rows, other
// dtypes or layouts, a stream being captured, no cuBLASLt in the process, kernels not built.
at::Tensor tunedLinear(const at::Tensor& x, const at::Tensor& w);

// What the tuning did in this process (tests and benchmarks): shapes seen, calls that timed a candidate,
// calls that ran a chosen one; the last chosen shape's candidate index (in the heuristic's order) and its
// time against candidate 0 (the heuristic's first choice), from the events; and those two times summed over
// every shape chosen so far (one call of each).
struct TunedLinearStats {
    int64_t shapes = 0, timedCalls = 0, chosenCalls = 0, chosenShapes = 0;
    int lastChosen = -1;
    double lastChosenMs = 0, lastFirstMs = 0, chosenMsSum = 0, firstMsSum = 0;
};
TunedLinearStats tunedLinearStats();
// Forgets every shape's timings (the next calls time the candidates again).
void resetTunedLinear();

} // namespace transmla::kernels
