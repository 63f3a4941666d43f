// Singular value spectra of K/V weights and calibration activations, as plain values (torch-free:
// the GUI plots them). Energy = sum of squared singular values; a rank-r truncation keeps the
// fraction sum_{i<r} s_i^2 / sum_i s_i^2 of it (Eckart-Young), which is what kv_lora_rank trades.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace transmla::analysis {

enum class SpectrumSource {
    WeightK,   // rows of k_proj for one kv head: {d, D}
    WeightV,   // rows of v_proj: {d, D}
    KPreRope,  // calibration keys before RoPE: {N tokens, d}
    KPostRope, // keys after RoPE
    V,         // values
};
std::string sourceName(SpectrumSource s);            // weight_k | weight_v | k_pre_rope | k_post_rope | v
SpectrumSource parseSource(const std::string& name); // throws ArgumentError
const std::vector<SpectrumSource>& allSources();

constexpr int64_t kAllHeads = -1; // head index of the spectrum of all kv heads of a layer together

struct Spectrum {
    SpectrumSource source = SpectrumSource::WeightK;
    int64_t layer = 0;
    int64_t head = 0; // kv head, or kAllHeads (the joint {g*d} space the MLA latent compresses)
    std::vector<double> singularValues; // descending, >= 0

    double totalEnergy() const;
    // Element k-1: fraction of the energy kept by the top k values (k = 1..n); the last is 1.
    std::vector<double> cumulativeEnergy() const;
    double retainedEnergy(int64_t rank) const; // rank clamped to [0, n]; 1 for an all-zero spectrum
    // The smallest k whose cumulative energy reaches `fraction` (in (0, 1]).
    int64_t rankForEnergy(double fraction) const;
};

struct SpectraResult {
    std::string model;               // the model folder it was computed from
    int64_t samples = 0, seqLen = 0; // calibration: sequences x tokens (0 when weights only)
    std::string calibrationData;     // e.g. the GSM8K train file
    std::vector<Spectrum> spectra;

    // nullptr when absent.
    const Spectrum* find(SpectrumSource s, int64_t layer, int64_t head) const;
};

} // namespace transmla::analysis
