#include "convert/settings.h"

#include <algorithm>
#include <numeric>

#include "util/error.h"

namespace transmla::convert {

ResolvedDims resolve(ConvertSettings& s, const io::ModelConfig& c) {
    if (c.isMla()) throw ArgumentError("the model is already MLA (" + c.architecture + ")");
    if (c.rotaryDim() != c.headDim)
        throw ArgumentError("partial_rotary_factor < 1 (rotary dims " + std::to_string(c.rotaryDim()) + " of " +
                            std::to_string(c.headDim) + ") is not supported by the conversion");
    const std::string& rope = c.ropeScaling.type;
    if (rope == "dynamic" || rope == "yarn")
        throw ArgumentError("RoPE scaling '" + rope + "' depends on the sequence length; the conversion supports default, linear and llama3");
    ResolvedDims r{};
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
    }
    if (s.qkRopeHeadDim == 0) s.qkRopeHeadDim = std::min<int64_t>(64, r.d);
    const int64_t rR = s.qkRopeHeadDim;
    if (rR <= 0 || rR % 2) throw ArgumentError("--qk-rope-dim " + std::to_string(rR) + ": must be positive and even");
    if (rR > r.g * r.d)
        throw ArgumentError("--qk-rope-dim " + std::to_string(rR) + ": at most g*d = " + std::to_string(r.g * r.d));
    r.ropeDim = rR;
    r.planes = rR / 2;
    const int64_t half = r.d / 2;
    // FreqFold: blocks of f adjacent frequencies; the P rope planes are spread evenly over the blocks.
    if (s.freqFold == 0) s.freqFold = half / std::gcd(r.planes, half);
    const int64_t f = s.freqFold;
    if (f < 1 || half % f) throw ArgumentError("--freqfold " + std::to_string(f) + ": must divide head_dim/2 = " + std::to_string(half));
    r.freqFold = f;
    r.blocks = half / f;
    if (r.planes % r.blocks)
        throw ArgumentError("--freqfold " + std::to_string(f) + ": the " + std::to_string(r.planes) +
                            " rope planes do not spread evenly over " + std::to_string(r.blocks) + " frequency blocks");
    r.keptPerBlock = r.planes / r.blocks;
    r.maxRank = 2 * r.g * r.d - rR;
    if (s.kvLoraRank == 0 || s.kvLoraRank < -1 || s.kvLoraRank > r.maxRank)
        throw ArgumentError("--kv-lora-rank " + std::to_string(s.kvLoraRank) + ": must be in [1, 2*g*d - r_R = " +
                            std::to_string(r.maxRank) + "]");
    if (s.energy < 0 || s.energy > 1) throw ArgumentError("--energy must be in (0, 1]");
    if (s.latentNorm != "none" && s.latentNorm != "calibrated")
        throw ArgumentError("--latent-norm '" + s.latentNorm + "': use none or calibrated");
    if (s.calibration.samples < 1 || s.calibration.seqLen < 2)
        throw ArgumentError("--samples/--seqlen must be at least 1 and 2");
    return r;
}

} // namespace transmla::convert
