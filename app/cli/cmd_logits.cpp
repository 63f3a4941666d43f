#include <fstream>
#include <iostream>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "args.h"
#include "commands.h"
#include "io/safetensors.h"
#include "model/forward.h"
#include "util/error.h"

namespace transmla::cli {

int cmdLogits(int argc, char** argv) {
    const std::set<std::string> known = {"ids", "out", "device", "dtype", "help"};
    Args args(argc, argv, 1, {"help"});
    if (args.has("help") || args.positionals().size() != 1 || !args.has("ids") || !args.has("out")) {
        std::cout << "Usage: transmla logits MODEL_DIR --ids IDS.json --out F.safetensors [--device "
                     "cpu|cuda] [--dtype f32|bf16]\n"
                     "IDS.json: a list of equal-length token id lists. F gets `input_ids` [B, T] and "
                     "`logits` [B, T, vocab] (f32).\n";
        return args.has("help") ? 0 : 1;
    }
    args.allowOnly(known);
    const std::string idsFile = *args.get("ids");
    std::ifstream in(idsFile);
    if (!in) throw FormatError(idsFile, "", "cannot open");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw FormatError(idsFile, "", std::string("invalid JSON: ") + e.what());
    }
    if (!j.is_array() || j.empty() || !j[0].is_array() || j[0].empty())
        throw FormatError(idsFile, "", "expected a non-empty list of non-empty id lists");
    const size_t B = j.size(), T = j[0].size();
    std::vector<int64_t> flat;
    for (size_t b = 0; b < B; ++b) {
        if (!j[b].is_array() || j[b].size() != T)
            throw FormatError(idsFile, "[" + std::to_string(b) + "]",
                              "all id lists must have length " + std::to_string(T));
        for (const auto& v : j[b]) {
            if (!v.is_number_integer())
                throw FormatError(idsFile, "[" + std::to_string(b) + "]", "ids must be integers");
            flat.push_back(v.get<int64_t>());
        }
    }
    model::LoadOptions opts{args.get("device", "cpu"), args.get("dtype", "f32")};
    const model::Model m = model::Model::load(args.positionals()[0], opts);
    at::Tensor ids = at::tensor(flat, at::kLong).view({int64_t(B), int64_t(T)});
    if ((ids < 0).any().item<bool>() || (ids >= m.config.vocabSize).any().item<bool>())
        throw FormatError(idsFile, "",
                          "token id out of range [0, " + std::to_string(m.config.vocabSize) + ")");
    at::InferenceMode guard;
    at::Tensor logits = model::forwardLogits(m, ids).to(at::kCPU);
    io::writeSafetensors(*args.get("out"), {{"input_ids", ids}, {"logits", logits}});
    std::cerr << "wrote " << *args.get("out") << " logits [" << B << ", " << T << ", " << logits.size(2)
              << "]\n";
    return 0;
}

} // namespace transmla::cli
