#include "model/arch.h"

#include "util/error.h"

namespace transmla::model {

namespace {
ArchTable make(io::Family f) {
    ArchTable t;
    t.family = f;
    return t;
}
ArchTable gemma2() {
    ArchTable t = make(io::Family::Gemma2);
    t.preFfnNorm = "pre_feedforward_layernorm.weight";
    t.postFfnNorm = "post_feedforward_layernorm.weight";
    t.gemmaNorm = t.embedScale = t.sandwichNorm = true;
    return t;
}
ArchTable phi3() {
    ArchTable t = make(io::Family::Phi3);
    t.fusedQkv = "self_attn.qkv_proj.weight";
    t.fusedGateUp = "mlp.gate_up_proj.weight";
    return t;
}
ArchTable mixtral() {
    ArchTable t = make(io::Family::Mixtral);
    t.moe = true;
    return t;
}

const ArchTable kTables[] = {make(io::Family::Llama),   make(io::Family::Qwen2), make(io::Family::Mistral),
                             mixtral(),                 gemma2(),                phi3(),
                             make(io::Family::DeepseekV3)};
} // namespace

const ArchTable& archFor(io::Family family) {
    for (const auto& t : kTables)
        if (t.family == family) return t;
    throw Error("internal: no architecture table for " + io::familyName(family));
}

std::string layerPrefix(int64_t layer) { return "model.layers." + std::to_string(layer) + "."; }

} // namespace transmla::model
