#include "kernels/decode_attention.h"

#include <stdexcept>

#include <ATen/ATen.h>

#include "kernels/absorbed_weights.h"
#include "kernels/decode_attention_launch.h"
#ifdef TRANSMLA_DECODE_KERNELS
#include <ATen/cuda/CUDAContext.h>
#endif

namespace transmla::kernels {

bool decodeKernelsBuilt() {
#ifdef TRANSMLA_DECODE_KERNELS
    return true;
#else
    return false;
#endif
}

int cudaDeviceMajor() {
#ifdef TRANSMLA_DECODE_KERNELS
    return at::cuda::getCurrentDeviceProperties()->major;
#else
    return 0;
#endif
}

#ifdef TRANSMLA_DECODE_KERNELS
namespace {

int64_t paddedHeads(int64_t queriesPerGroup) {
    return (queriesPerGroup + 15) / 16 * 16;
}

} // namespace
#endif

bool decodeAttentionSupports(int64_t queriesPerGroup, int64_t keyDim, int64_t valueDim, bool sharedValues,
                             std::string* why) {
#ifndef TRANSMLA_DECODE_KERNELS
    (void)queriesPerGroup;
    (void)keyDim;
    (void)valueDim;
    (void)sharedValues;
    if (why) *why = "built without the CUDA kernels";
    return false;
#else
    if (decodeSharedBytes(int(paddedHeads(queriesPerGroup)), int(keyDim), int(valueDim), sharedValues) == 0) {
        if (why)
            *why = "shape outside the kernel: " + std::to_string(queriesPerGroup) +
                   " queries per kv group (<= " + std::to_string(kDecodeMaxQueries) + "), key width " +
                   std::to_string(keyDim) + " (<= " + std::to_string(kDecodeMaxKeyDim) + "), value width " +
                   std::to_string(valueDim) + " (<= " + std::to_string(kDecodeMaxValueDim) +
                   "; widths multiples of 16, shared memory <= 227 KB)";
        return false;
    }
    return true;
#endif
}

#ifdef TRANSMLA_DECODE_KERNELS
namespace {

// Splits per sequence and kv group, and tiles per split, of one launch (decodeSplits: one wave of blocks).
std::pair<int64_t, int64_t> splitsOf(int64_t queriesPerGroup, int64_t keyDim, int64_t valueDim, bool shared,
                                     int64_t capacity, int64_t batchGroups) {
    const int64_t splits = decodeSplits(
        capacity, batchGroups, at::cuda::getCurrentDeviceProperties()->multiProcessorCount,
        decodeBlocksPerMultiprocessor(int(paddedHeads(queriesPerGroup)), int(keyDim), int(valueDim), shared),
        decodeMinTiles());
    return decodeSplitTiles(capacity, splits);
}

} // namespace
#endif

std::string decodeAttentionKernel(int64_t queriesPerGroup, int64_t keyDim, int64_t valueDim,
                                  bool sharedValues, int64_t capacity, int64_t batchGroups) {
#ifdef TRANSMLA_DECODE_KERNELS
    if (!decodeAttentionSupports(queriesPerGroup, keyDim, valueDim, sharedValues)) return "none";
    const int64_t tilesPerSplit =
        splitsOf(queriesPerGroup, keyDim, valueDim, sharedValues, capacity, batchGroups).second;
    return decodeKernelName(int(paddedHeads(queriesPerGroup)), int(keyDim), int(valueDim), sharedValues,
                            int(tilesPerSplit));
#else
    (void)queriesPerGroup;
    (void)keyDim;
    (void)valueDim;
    (void)sharedValues;
    (void)capacity;
    (void)batchGroups;
    return "none";
#endif
}

at::Tensor decodeAttention(const at::Tensor& q, const at::Tensor& keys, const at::Tensor& values,
                           const at::Tensor& lengths, int64_t valueDim, double scale, const at::Tensor& wOut,
                           bool* absorbed) {
    if (absorbed) *absorbed = false;
    const bool shared = !values.defined();
    const int64_t B = q.size(0), H = q.size(1), Dk = q.size(2), G = keys.size(1), cap = keys.size(2);
    std::string why;
    if (H % G || !decodeAttentionSupports(H / G, Dk, valueDim, shared, &why)) throw std::runtime_error(why);
    const auto check = [](const at::Tensor& t, const char* name) {
        if (!t.is_cuda() || t.scalar_type() != at::kBFloat16 || t.stride(-1) != 1 ||
            reinterpret_cast<uintptr_t>(t.data_ptr()) % 16)
            throw std::runtime_error(std::string("decode attention: ") + name +
                                     " must be bf16 on CUDA with unit, 16-byte aligned rows");
        for (int64_t d = 0; d + 1 < t.dim(); ++d)
            if (t.stride(d) % 8)
                throw std::runtime_error(std::string("decode attention: ") + name + " strides");
    };
    const at::Tensor qc = q.contiguous();
    check(qc, "q");
    check(keys, "keys");
    if (!shared) check(values, "values");
    if (keys.size(3) != Dk || (shared ? valueDim > Dk : values.size(3) != valueDim) ||
        lengths.scalar_type() != at::kInt || lengths.numel() != B || !lengths.is_cuda())
        throw std::runtime_error("decode attention: shapes of q, keys, values, lengths disagree");
#ifdef TRANSMLA_DECODE_KERNELS
    const int64_t hp = paddedHeads(H / G);
    const auto [splits, tilesPerSplit] = splitsOf(H / G, Dk, valueDim, shared, cap, B * G);
    auto f32 = q.options().dtype(at::kFloat);
    at::Tensor oPart = at::empty({B, G, splits, hp, valueDim}, f32);
    at::Tensor mPart = at::empty({B, G, splits, hp}, f32), lPart = at::empty({B, G, splits, hp}, f32);
    // The absorbed output in the reduction: MLA, a few sequences, W_UV as fusedAbsorbOutput takes it.
    const bool absorb = shared && absorbed && headWeights(wOut) && H % wOut.size(0) == 0 &&
                        wOut.size(2) == valueDim && B <= kAbsorbMaxBatch && B * H <= kDecodeAbsorbedRows &&
                        valueDim % 32 == 0;
    at::Tensor out = at::empty({B, H, absorb ? wOut.size(1) : valueDim}, q.options());
    const at::Tensor& v = shared ? keys : values;
    DecodeLaunch p{};
    p.q = qc.data_ptr();
    p.k = keys.data_ptr();
    p.v = shared ? p.k : values.data_ptr();
    p.kBatchStride = keys.stride(0);
    p.kGroupStride = keys.stride(1);
    p.kRowStride = keys.stride(2);
    p.vBatchStride = v.stride(0);
    p.vGroupStride = v.stride(1);
    p.vRowStride = v.stride(2);
    p.lengths = lengths.data_ptr<int32_t>();
    p.batch = int(B);
    p.groups = int(G);
    p.rep = int(H / G);
    p.paddedHeads = int(hp);
    p.dk = int(Dk);
    p.dv = int(valueDim);
    p.capacity = int(cap);
    p.splits = int(splits);
    p.tilesPerSplit = int(tilesPerSplit);
    p.scale = float(scale);
    p.oPart = oPart.data_ptr<float>();
    p.mPart = mPart.data_ptr<float>();
    p.lPart = lPart.data_ptr<float>();
    p.out = out.data_ptr();
    at::Tensor outPart;
    if (absorb) {
        p.wOut = wOut.data_ptr();
        p.wHeadStride = wOut.stride(0);
        p.wRep = int(H / wOut.size(0));
        p.wRowStride = wOut.stride(1);
        p.dOut = int(wOut.size(1));
        outPart = at::empty({B, H, decodeReduceSlices(p), wOut.size(1)}, f32);
        p.outPart = outPart.data_ptr<float>();
    }
    if (const char* err = launchDecodeAttention(p, at::cuda::getCurrentCUDAStream().stream()))
        throw std::runtime_error(std::string("decode attention: ") + err);
    if (absorbed) *absorbed = absorb;
    return out;
#else
    (void)cap;
    (void)scale;
    (void)wOut;
    throw std::runtime_error("decode attention: built without the CUDA kernels");
#endif
}

} // namespace transmla::kernels
