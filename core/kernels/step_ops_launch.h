// The plain-C++ boundary of step_ops.cu (see step_ops.h).
#pragma once
#include <cstdint>

namespace transmla::kernels {

// y[r] = w * bf16(x[r] * rsqrt(mean(x[r]^2) + eps)), rows of d bf16 values (x's rows ldx apart, y's packed).
const char* launchRmsNorm(const void* x, const void* w, void* y, int64_t rows, int d, int64_t ldx, float eps,
                          void* stream);
// x [n, T, heads, d] bf16 (strides in elements, unit along d), cos/sin [T, d] fp32:
// y (contiguous) = x cos + rotate_half(x) sin in bf16 steps.
const char* launchRope(const void* x, const float* cos, const float* sin, void* y, int64_t n, int T,
                       int heads, int d, int64_t strideN, int64_t strideT, int64_t strideH, void* stream);
// y = bf16(bf16(silu(gate)) * up): rows of width bf16 values (gate's and up's rows ld apart, y's packed).
const char* launchSiluMul(const void* gate, const void* up, void* y, int64_t rows, int width, int64_t ld,
                          void* stream);
// hOut = bf16(h + a), y = RMSNorm(hOut) with weight w as launchRmsNorm; rows of d bf16 values.
const char* launchAddRmsNorm(const void* h, const void* a, const void* w, void* hOut, void* y, int64_t rows,
                             int d, float eps, void* stream);

// y [n, T, heads, da + db] contiguous = [a | RoPE(b)] per row (cos/sin [T, db] fp32 as launchRope; null: b
// copied): a and b [n, T, heads, da or db] with unit stride along their rows (b's head stride 0: one head
// shared). Every width and stride a multiple of 8 values (db of 16 with RoPE), every start 16-byte aligned
// (ropeConcatFits; otherwise nothing runs and the error says so).
struct RopeConcat {
    const void* a;
    int64_t aN, aT, aH;
    const void* b;
    int64_t bN, bT, bH;
    const float *cos, *sin;
    void* y;
    int n, T, heads, da, db;
};
bool ropeConcatFits(const RopeConcat& p);
const char* launchRopeConcat(const RopeConcat& p, void* stream);

// MLA's cache row of one step: cache[b, *position] = [RMSNorm(kv[b, :r]) | RoPE(kv[b, r:])], rounded as
// launchRmsNorm and launchRope (w null: the latent copied).
struct LatentAppend {
    const void* kv; // [B, r + rR] bf16: (b, i) at b * kvBatchStride + i
    int64_t kvBatchStride;
    const void* w; // [r] bf16 or null
    float eps;
    const float *cos, *sin; // [rR] fp32
    void* cache; // [B, capacity, r + rR] bf16: (b, t, i) at b * cacheBatchStride + t * (r + rR) + i
    int64_t cacheBatchStride;
    const int64_t* position; // [1] on the device
    int batch, r, rR;
};
const char* launchLatentAppend(const LatentAppend& p, void* stream);

// MLA's absorbed projections around the decode kernel (one step, T = 1), bf16 with fp32 sums; strides in
// elements, weight rows 16-byte aligned with unit stride along r.
// The absorbed query's columns per block (its grid: heads x blocks of columns).
constexpr int kAbsorbColumns = 128;
// Sequences the absorbed kernels take: one pass over the weights (launchAbsorbQuery's four per pass; 37 KB of
// the absorbed query's shared memory). Measured on the Llama-3-8B shape (H200): batch 1 at 4K 6.35 ms per
// step with them vs 6.55 with the einsums; batch 16 at 16K 9.22 vs 9.03 (there ATen's batched product is the
// better one).
constexpr int kAbsorbMaxBatch = 4;
struct AbsorbQuery {
    const void* qNope; // [B, H, dn]: (b, h, d) at b * qBatchStride + h * qHeadStride + d
    int64_t qBatchStride, qHeadStride;
    const void* qRope; // [B, H, rR] likewise (null with ropeMap)
    int64_t ropeBatchStride, ropeHeadStride;
    // Or q_rope = q_nope . ropeMap_h: [H, dn, rR] contiguous (null: qRope), columns r .. r + rR - 1 of the
    // product, all in one 128-column block (r % 128 + rR <= 128).
    const void* ropeMap;
    const void* w; // W_UK [H / wRep, dn, r]: (h, d, c) at (h / wRep) * wHeadStride + d * wRowStride + c
    int64_t wHeadStride, wRowStride;
    int wRep; // heads per W_UK head (kv_b's rows shared by each group of wRep heads, model.h); 0 or 1: one
              // each
    const float *cos, *sin;      // [rR] fp32: RoPE on q_rope as launchRope (null: q_rope as it is)
    void* qCat;                  // [B, H, r + rR] contiguous: [q_nope W_UK | q_rope]
    int batch, heads, dn, r, rR; // batch <= 4, dn <= 256
    LatentAppend append;         // also this cache row, in the same launch (append.cache null: none)
};
const char* launchAbsorbQuery(const AbsorbQuery& p, void* stream);
struct AbsorbOutput {
    const void* lat; // [B, H, r] contiguous (the decode kernel's output)
    const void* w;   // W_UV [H / wRep, dv, r]: (h, v, c) at (h / wRep) * wHeadStride + v * wRowStride + c
    int64_t wHeadStride, wRowStride;
    int wRep;  // as AbsorbQuery's
    void* out; // [B, H, dv] contiguous
    int batch, heads, r, dv;
};
// r <= 512 and batch * r * 2 bytes of shared memory (<= 48 KB).
const char* launchAbsorbOutput(const AbsorbOutput& p, void* stream);

// GQA's step: qOut = RoPE(q); cacheK[b, g, *position] = RoPE(k[b, g]); cacheV[b, g, *position] = v[b, g]
// (bf16, rows of d with unit stride, rounded as launchRope).
struct RopeAppend {
    const void *q, *k, *v; // [B, heads or groups, d]: (b, h, i) at b * batchStride + h * headStride + i
    int64_t qBatchStride, qHeadStride, kBatchStride, kHeadStride, vBatchStride, vHeadStride;
    const float *cos, *sin; // [d] fp32
    void* qOut;             // [B, heads, d] contiguous
    void *cacheK,
        *cacheV; // [B, groups, capacity, d]: (b, g, t, i) at b * batchStride + g * groupStride + t * d + i
    int64_t cacheBatchStride, cacheGroupStride;
    const int64_t* position; // [1] on the device
    int batch, heads, groups, d;
};
const char* launchRopeAppend(const RopeAppend& p, void* stream);

} // namespace transmla::kernels
