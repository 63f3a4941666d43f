#include "model/decode_step.h"

#include <cstdlib>
#include <string>

#include <ATen/ATen.h>

#include "kernels/decode_attention.h"
#include "model/modules.h"
#if defined(TRANSMLA_TORCH_CUDA) && defined(TRANSMLA_DECODE_KERNELS)
#include <ATen/cuda/CUDAContext.h>
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAGuard.h>
#define TRANSMLA_DECODE_GRAPHS 1
#endif

namespace transmla::model {

#ifdef TRANSMLA_DECODE_GRAPHS
struct DecodeGraph {
    at::cuda::CUDAGraph graph;
    at::Tensor ids, logits; // the step's fixed input and output buffers
    const Model* model = nullptr;
};
#else
struct DecodeGraph {};
#endif

namespace {

// A switch from the environment: "0" off, "1" on; unset or any other value keeps `byDefault`.
bool envSwitch(const char* name, bool byDefault) {
    const char* v = std::getenv(name);
    return !v ? byDefault : std::string(v) == "0" ? false : std::string(v) == "1" ? true : byDefault;
}

// Every layer's attention fits the kernel: bf16 on CUDA, no window, no soft-capping, shapes it takes.
bool kernelsFit(const Model& m, const KvCache& cache) {
    const io::ModelConfig& c = m.config;
    if (!kernels::decodeKernelsBuilt() || cache.first.empty() || !cache.first[0].is_cuda() ||
        cache.first[0].scalar_type() != at::kBFloat16 || c.attnLogitSoftcap)
        return false;
    for (size_t i = 0; i < m.layers.size(); ++i) {
        if (c.slidingWindow && c.slidingLayers[i]) return false;
        const DecodeAttentionShape s = decodeAttentionShape(m, m.layers[i]);
        if (!kernels::decodeAttentionSupports(s.queriesPerGroup, s.keyDim, s.valueDim, s.sharedValues))
            return false;
    }
    return true;
}

} // namespace

DecodeAttentionShape decodeAttentionShape(const Model& m, const Layer& L) {
    const io::ModelConfig& c = m.config;
    if (L.mla) return {c.numHeads, L.mla->rank + L.mla->ropeDim, L.mla->rank, true, 1};
    return {c.numHeads / c.numKvHeads, c.headDim, c.headDim, false, c.numKvHeads};
}

DecodeFastPath& decodeFastPath() {
    static DecodeFastPath settings{
        envSwitch("TRANSMLA_DECODE_KERNELS", true), envSwitch("TRANSMLA_DECODE_GRAPHS", true),
        envSwitch("TRANSMLA_STEP_OPS", true),       envSwitch("TRANSMLA_PROMPT_OPS", true),
        envSwitch("TRANSMLA_ABSORB_KERNELS", true), envSwitch("TRANSMLA_CUDNN_ATTENTION", true),
        envSwitch("TRANSMLA_ABSORB_FUSION", true),  envSwitch("TRANSMLA_QROPE_MAP", true),
        envSwitch("TRANSMLA_PROMPT_GEMM", true)};
    return settings;
}

bool deviceDecodeStep(const Model& m, KvCache& cache, int64_t T, const ForwardHooks* hooks) {
    if (T != 1 || hooks || !decodeFastPath().kernels) return false;
    if (cache.fastDecode < 0) cache.fastDecode = kernelsFit(m, cache) ? 1 : 0;
    return cache.fastDecode == 1;
}

void beginDeviceStep(KvCache& cache, int64_t T) {
    const at::Tensor& any = cache.first[0];
    if (!cache.stepPosition.defined()) cache.stepPosition = at::zeros({1}, any.options().dtype(at::kLong));
    if (!cache.positionSetByGraph) cache.stepPosition.fill_(cache.length);
    cache.stepLengths = (cache.stepPosition + T).to(at::kInt).expand({any.size(0)}).contiguous();
}

at::Tensor decodeStepWithGraph(const Model& m, const at::Tensor& ids, KvCache& cache) {
#ifdef TRANSMLA_DECODE_GRAPHS
    if (!decodeFastPath().graphs || ids.dim() != 2 || !deviceDecodeStep(m, cache, ids.size(1), nullptr))
        return {};
    // MoE routing and RoPE frequencies that change with the length need the host between steps.
    for (const Layer& L : m.layers)
        if (!L.experts.empty()) return {};
    double s0 = 1.0, s1 = 1.0;
    if (!at::equal(ropeInverseFrequencies(m.config, cache.length + 1, &s0),
                   ropeInverseFrequencies(m.config, cache.capacity, &s1)) ||
        s0 != s1)
        return {};
    checkTokenIds(m, ids, "the input");
    if (cache.length + 1 > cache.capacity) return {}; // forwardHidden says so
    DecodeGraph* g = cache.graph.get();
    if (g && g->model == &m && g->ids.sizes() == ids.sizes()) {
        g->ids.copy_(ids);
        cache.stepPosition.fill_(cache.length);
        g->graph.replay();
        cache.length += 1;
        return g->logits.clone(); // the buffer is overwritten by the next replay
    }
    // First step: run it on a side stream (graphs are captured off the default stream, after one
    // eager run has set up cuBLAS there), then capture the same step without running it.
    auto fresh = std::make_shared<DecodeGraph>();
    fresh->model = &m;
    fresh->ids = ids.to(cache.first[0].device()).clone();
    const at::cuda::CUDAStream current = at::cuda::getCurrentCUDAStream();
    const at::cuda::CUDAStream side = at::cuda::getStreamFromPool();
    at::Tensor logits;
    {
        at::cuda::CUDAEvent queued;
        queued.record(current);
        queued.block(side);
        const c10::cuda::CUDAStreamGuard guard(side);
        cache.positionSetByGraph = false;
        logits = logitsFromHidden(m, forwardHidden(m, fresh->ids, nullptr, &cache));
        const int64_t after = cache.length;
        cache.length -= 1; // the captured step is this one again
        cache.positionSetByGraph = true;
        try {
            fresh->graph.capture_begin({0, 0}, cudaStreamCaptureModeThreadLocal);
            fresh->logits = logitsFromHidden(m, forwardHidden(m, fresh->ids, nullptr, &cache));
            fresh->graph.capture_end();
        } catch (...) {
            cache.positionSetByGraph = false;
            cache.length = after;
            throw;
        }
        cache.length = after;
        at::cuda::CUDAEvent stepped;
        stepped.record(side);
        stepped.block(current);
    }
    cache.graph = std::move(fresh);
    return logits;
#else
    (void)m;
    (void)ids;
    (void)cache;
    return {};
#endif
}

} // namespace transmla::model
