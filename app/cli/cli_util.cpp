#include "cli_util.h"

#include <csignal>
#include <utility>

#include "util/error.h"

namespace transmla::cli {

namespace {
CancelToken* gToken = nullptr;
extern "C" void onSigint(int) {
    if (gToken) gToken->cancel();
}
} // namespace

std::filesystem::path resources(const std::string& purpose) {
    try {
        return findResources(executableDir(), TRANSMLA_SOURCE_RESOURCES);
    } catch (const Error& e) {
        throw Error(purpose + ": " + e.what());
    }
}

std::string flagMessage(const std::string& setting, const std::string& detail) {
    // Core's setting keys (convert/settings.h, util/compute.h) and the flags that set them.
    static const std::pair<const char*, const char*> kFlags[] = {
        {"kv_lora_rank", "--kv-lora-rank"},
        {"qk_rope_head_dim", "--qk-rope-dim"},
        {"freqfold", "--freqfold"},
        {"energy", "--energy"},
        {"latent_norm", "--latent-norm"},
        {"fold_qk_norm", "--fold-qk-norm"},
        {"pca_activations", "--pca-activations"},
        {"calibration_samples", "--samples"},
        {"calibration_seqlen", "--seqlen"},
        {"calibration_source", "--calib"},
        {"export_target", "--target"},
        {"export_dtype", "--export-dtype"},
        {"heal", "--heal"},
        {"heal_steps", "--heal-steps"},
        {"heal_lr", "--heal-lr"},
        {"heal_data", "--heal-data"},
        {"heal_samples", "--heal-samples"},
        {"device", "--device"},
        {"dtype", "--dtype"},
        {"context", "--context"},
        {"batch", "--batch"},
        {"decode_steps", "--steps"},
    };
    for (const auto& [key, flag] : kFlags)
        if (setting == key) return std::string(flag) + " " + detail;
    return setting == "model" ? detail
                              : setting + " " + detail; // "model": the model itself cannot be converted
}

void cancelOnSigint(CancelToken& token) {
    gToken = &token;
    std::signal(SIGINT, onSigint);
}

} // namespace transmla::cli
