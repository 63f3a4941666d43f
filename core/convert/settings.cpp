#include "convert/settings.h"

#include <algorithm>
#include <numeric>

#include "io/family.h"

namespace transmla::convert {

namespace {

std::string unsupportedReason(const io::ModelConfig& c) {
    if (c.isMla()) return "the model is already MLA (" + c.architecture + ")";
    if (c.rotaryDim() != c.headDim)
        return "partial_rotary_factor < 1 (rotary dims " + std::to_string(c.rotaryDim()) + " of " +
               std::to_string(c.headDim) + ") is not supported by the conversion";
    const std::string& rope = c.ropeScaling.type;
    if (rope == "dynamic" || rope == "yarn")
        return "RoPE scaling '" + rope +
               "' depends on the sequence length; the conversion supports default, linear and llama3";
    if (c.headDim < 2 || c.headDim % 2 || c.numKvHeads < 1) return "head_dim must be even and positive";
    return {};
}

// f is valid when it divides d/2 and the P = r_R/2 rope planes spread evenly over the d/(2f) blocks.
bool freqFoldFits(int64_t f, int64_t ropeDim, int64_t headDim) {
    const int64_t half = headDim / 2, planes = ropeDim / 2;
    return f >= 1 && half % f == 0 && planes % (half / f) == 0;
}

std::string str(int64_t v) {
    return std::to_string(v);
}

} // namespace

std::string latentNormName(LatentNorm n) {
    return n == LatentNorm::Calibrated ? "calibrated" : "none";
}

LatentNorm parseLatentNorm(const std::string& name) {
    if (name == "none") return LatentNorm::None;
    if (name == "calibrated") return LatentNorm::Calibrated;
    throw SettingError(setting::kLatentNorm, "'" + name + "': use none or calibrated");
}

std::string pcaActivationsName(PcaActivations a) {
    switch (a) {
    case PcaActivations::PartialRope:
        return "partial_rope";
    case PcaActivations::Sequential:
        return "sequential";
    case PcaActivations::Best:
        return "best";
    default:
        return "original";
    }
}

PcaActivations parsePcaActivations(const std::string& name) {
    for (PcaActivations a : {PcaActivations::Original, PcaActivations::PartialRope,
                             PcaActivations::Sequential, PcaActivations::Best})
        if (name == pcaActivationsName(a)) return a;
    throw SettingError(setting::kPcaActivations,
                       "'" + name + "': use original, partial_rope, sequential or best");
}

int64_t IntRange::clamp(int64_t v) const {
    v = std::clamp(v, min, max);
    const int64_t off = (v - min) % step;
    if (off == 0) return v;
    return v - off + step <= max && off * 2 >= step ? v - off + step : v - off;
}

SettingRanges settingRanges(const io::ModelConfig& c, int64_t qkRopeHeadDim) {
    SettingRanges r;
    r.unsupported = unsupportedReason(c);
    if (!r.unsupported.empty()) return r;
    const int64_t g = c.numKvHeads, d = c.headDim;
    // The rope key is shared by all heads and sits beside each head's d query dims: at most d of them
    // (the budget, the assembly and the DeepSeek-V3 export all assume it).
    r.qkRopeHeadDim = {2, d, 2};
    r.defaultQkRopeHeadDim = std::min<int64_t>(64, d);
    const int64_t rR = r.qkRopeHeadDim.contains(qkRopeHeadDim) ? qkRopeHeadDim : r.defaultQkRopeHeadDim;
    r.kvLoraRank = {1, 2 * g * d - rR, 1};
    for (int64_t f = 1; f <= d / 2; ++f)
        if (freqFoldFits(f, rR, d)) r.freqFolds.push_back(f);
    r.samples = {1, 65536, 1};
    r.seqLen = {2, std::max<int64_t>(2, c.maxPositions), 1};
    r.latentNorms = {LatentNorm::None, LatentNorm::Calibrated};
    return r;
}

void validate(const ConvertSettings& s, const io::ModelConfig& c) {
    const SettingRanges r = settingRanges(c, s.qkRopeHeadDim);
    if (!r.unsupported.empty()) throw SettingError(setting::kModel, r.unsupported);
    if (std::find(r.latentNorms.begin(), r.latentNorms.end(), s.latentNorm) == r.latentNorms.end())
        throw SettingError(setting::kLatentNorm, "must be none or calibrated");
    if (s.foldQkNorm && !c.qkNorm())
        throw SettingError(setting::kFoldQkNorm, "on: " + c.modelType + " has no query/key norms to fold");
    if (s.exact) return; // every dimension is fixed by the model (r_R = g*d, full rank, f = 1)
    const int64_t rR = s.qkRopeHeadDim == 0 ? r.defaultQkRopeHeadDim : s.qkRopeHeadDim;
    if (rR <= 0 || rR % 2)
        throw SettingError(setting::kQkRopeHeadDim, str(rR) + ": must be positive and even");
    // r_R = g*d is the all-RoPE form (every key dimension keeps RoPE, as the exact merge does); between
    // head_dim and g*d there is no MLA form.
    if (rR > r.qkRopeHeadDim.max && rR != c.numKvHeads * c.headDim)
        throw SettingError(setting::kQkRopeHeadDim, str(rR) + ": at most head_dim = " + str(c.headDim));
    const int64_t half = c.headDim / 2;
    if (s.freqFold != 0 && !freqFoldFits(s.freqFold, rR, c.headDim)) {
        if (s.freqFold < 1 || half % s.freqFold)
            throw SettingError(setting::kFreqFold,
                               str(s.freqFold) + ": must divide head_dim/2 = " + str(half));
        throw SettingError(setting::kFreqFold, str(s.freqFold) + ": the " + str(rR / 2) +
                                                   " rope planes do not spread evenly over " +
                                                   str(half / s.freqFold) + " frequency blocks");
    }
    if (s.kvLoraRank == 0 || s.kvLoraRank < -1 || s.kvLoraRank > r.kvLoraRank.max)
        throw SettingError(setting::kKvLoraRank, str(s.kvLoraRank) + ": must be in [1, 2*g*d - r_R = " +
                                                     str(r.kvLoraRank.max) + "]");
    if (s.energy < 0 || s.energy > 1)
        throw SettingError(setting::kEnergy, std::to_string(s.energy) + ": must be in (0, 1]");
    if (!r.samples.contains(s.calibration.samples))
        throw SettingError(setting::kSamples, str(s.calibration.samples) + ": must be in [" +
                                                  str(r.samples.min) + ", " + str(r.samples.max) + "]");
    if (!r.seqLen.contains(s.calibration.seqLen))
        throw SettingError(setting::kSeqLen, str(s.calibration.seqLen) + ": must be in [" +
                                                 str(r.seqLen.min) +
                                                 ", max_position_embeddings = " + str(r.seqLen.max) + "]");
}

ResolvedSettings resolve(const ConvertSettings& in, const io::ModelConfig& c) {
    validate(in, c);
    ResolvedSettings out{in, {}};
    ConvertSettings& s = out.settings;
    ResolvedDims& r = out.dims;
    r.g = c.numKvHeads;
    r.d = c.headDim;
    r.H = c.numHeads;
    if (s.exact) {
        s.qkRopeHeadDim = r.g * r.d;
        s.rorope = false;
        s.balanceKv = false;
        s.jointPca = false;
        s.kvLoraRank = -1;
        s.energy = 0;
        s.freqFold = 1;
        s.pcaActivations = PcaActivations::Original; // no PCA, no statistics
    }
    if (s.qkRopeHeadDim == 0) s.qkRopeHeadDim = std::min<int64_t>(64, r.d);
    r.ropeDim = s.qkRopeHeadDim;
    r.planes = r.ropeDim / 2;
    const int64_t half = r.d / 2;
    // FreqFold: blocks of f adjacent frequencies; the P rope planes are spread evenly over the blocks.
    if (s.freqFold == 0) s.freqFold = half / std::gcd(r.planes, half);
    r.freqFold = s.freqFold;
    r.blocks = half / r.freqFold;
    r.keptPerBlock = r.planes / r.blocks;
    r.maxRank = 2 * r.g * r.d - r.ropeDim;
    return out;
}

SettingError foldNeededForExport(const io::ModelConfig& c, const std::string& where) {
    return SettingError(
        setting::kFoldQkNorm,
        "needed for a DeepSeek-V3 export: " + where + io::familyName(c.family) +
            "'s per-head query/key RMSNorm has no DeepSeek-V3 form (the latent is a map of the "
            "normalised keys, not of the hidden state); convert with it to export the "
            "approximation that folds the norms into the projections, or evaluate the exact "
            "form in transmla instead");
}

bool sameConversion(const ConvertSettings& a, const ConvertSettings& b, const io::ModelConfig& c) {
    ResolvedSettings rx{}, ry{};
    try {
        rx = resolve(a, c);
        ry = resolve(b, c);
    } catch (const ArgumentError&) {
        return false;
    }
    const ConvertSettings &x = rx.settings, &y = ry.settings;
    if (x.exact != y.exact || x.latentNorm != y.latentNorm || x.foldQkNorm != y.foldQkNorm) return false;
    if (x.exact) return true; // nothing else shapes an exact conversion
    auto rank = [&](const ConvertSettings& s) { return s.kvLoraRank < 0 ? rx.dims.maxRank : s.kvLoraRank; };
    return rank(x) == rank(y) && x.energy == y.energy && x.qkRopeHeadDim == y.qkRopeHeadDim &&
           x.freqFold == y.freqFold && x.rorope == y.rorope && x.balanceKv == y.balanceKv &&
           x.jointPca == y.jointPca && x.latentNorm == y.latentNorm && x.pcaActivations == y.pcaActivations &&
           x.calibration.source == y.calibration.source && x.calibration.samples == y.calibration.samples &&
           x.calibration.seqLen == y.calibration.seqLen && x.calibration.seed == y.calibration.seed;
}

} // namespace transmla::convert
