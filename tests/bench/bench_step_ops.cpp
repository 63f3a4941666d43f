// ATen operators per cached decoding step: what a step launches, counted with ATen's RecordFunction
// callbacks (top-level operators only: those the model code calls, not what they call inside). On CUDA each
// is at least one kernel of the step, so this is the launch count that bounds batch-1 decoding (issue 17);
// the CPU path runs the same model code except the fused CUDA kernels (kernels/), so the count here is an
// upper bound of the CUDA step's and its differences between forms or commits carry over. Then the computing
// operators by name.
// Usage: bench_step_ops MODEL_DIR [RANK]   (RANK: convert in process first, r_R = min(64, d))
#include <cstdio>
#include <map>
#include <set>
#include <string>

#include <ATen/ATen.h>
#include <ATen/record_function.h>
#include <c10/core/InferenceMode.h>

#include "../random_conversion.h"
#include "model/kv_cache.h"
#include "model/model.h"

using namespace transmla;

namespace {
thread_local int depth = 0;
thread_local int64_t topLevel = 0, launching = 0, all = 0;
thread_local std::map<std::string, int64_t> byName; // computing top-level operators

// Operators that only make a view or allocate: no kernel of their own.
bool viewOrAllocation(const char* name) {
    static const std::set<std::string> names = {
        "aten::view",      "aten::narrow",        "aten::slice",          "aten::select",
        "aten::unsqueeze", "aten::squeeze",       "aten::transpose",      "aten::t",
        "aten::reshape",   "aten::expand",        "aten::as_strided",     "aten::permute",
        "aten::alias",     "aten::detach",        "aten::empty",          "aten::empty_like",
        "aten::split",     "aten::empty_strided", "aten::_reshape_alias", "aten::view_as",
        "aten::unbind",    "aten::chunk",         "aten::contiguous",     "aten::resize_",
        "aten::lift_fresh"};
    return names.count(name) > 0;
}
} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_step_ops MODEL_DIR [RANK]\n");
        return 1;
    }
    c10::InferenceMode guard;
    model::Model m = model::Model::load(argv[1], {"cpu", "f32"});
    if (argc > 2)
        test::convertOnRandomIds(m, std::stoll(argv[2]), std::min<int64_t>(64, m.config.headDim), 8, 64);
    const int64_t B = 1, ctx = 32;
    model::KvCache cache = model::allocateCache(m, B, ctx + 4);
    model::prefillCached(m, at::randint(0, m.config.vocabSize, {B, ctx}, at::kLong), cache);
    const at::Tensor next = at::randint(0, m.config.vocabSize, {B, 1}, at::kLong);
    model::forwardCached(m, next, cache); // warm-up
    const at::CallbackHandle handle = at::addThreadLocalCallback(
        at::RecordFunctionCallback(
            [](const at::RecordFunction& fn) -> std::unique_ptr<at::ObserverContext> {
                ++all;
                if (depth++ == 0) {
                    ++topLevel;
                    if (!viewOrAllocation(fn.name())) {
                        ++launching;
                        ++byName[fn.name()];
                    }
                }
                return nullptr;
            },
            [](const at::RecordFunction&, at::ObserverContext*) { --depth; })
            .scopes({at::RecordScope::FUNCTION}));
    model::forwardCached(m, next, cache);
    at::removeCallback(handle);
    const int64_t layers = m.config.numLayers;
    std::printf("%s %s: %lld top-level ATen operators per decoding step (%.1f per layer), %lld of them "
                "computing (%.1f per layer; the rest views and allocations), %lld with nested ones\n",
                m.config.hasMlaCache() ? "MLA" : "GQA", argv[1], (long long)topLevel,
                double(topLevel) / double(layers), (long long)launching, double(launching) / double(layers),
                (long long)all);
    for (const auto& [name, count] : byName)
        std::printf("  %-36s %5lld (%.2f per layer)\n", name.c_str(), (long long)count,
                    double(count) / double(layers));
    return 0;
}
