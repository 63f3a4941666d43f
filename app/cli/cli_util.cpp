#include "cli_util.h"

#include <csignal>
#include <utility>

namespace transmla::cli {

namespace {
CancelToken* gToken = nullptr;
extern "C" void onSigint(int) {
    if (gToken) gToken->cancel();
}
} // namespace

std::string flagMessage(const std::string& setting, const std::string& detail) {
    static const std::pair<const char*, const char*> kFlags[] = {
        {"kv_lora_rank", "--kv-lora-rank"}, {"qk_rope_head_dim", "--qk-rope-dim"},  {"freqfold", "--freqfold"},
        {"energy", "--energy"},             {"latent_norm", "--latent-norm"},       {"calibration_samples", "--samples"},
        {"calibration_seqlen", "--seqlen"}};
    for (const auto& [key, flag] : kFlags)
        if (setting == key) return std::string(flag) + " " + detail;
    return detail; // "model": the model itself cannot be converted
}

void cancelOnSigint(CancelToken& token) {
    gToken = &token;
    std::signal(SIGINT, onSigint);
}

} // namespace transmla::cli
