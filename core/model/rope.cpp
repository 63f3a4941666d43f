// Rotary position embeddings with the scalings transformers implements (rope_utils.py):
//   default  inv_freq_i = theta^(-2i/d)
//   linear   inv_freq / factor
//   dynamic  theta' = theta * (factor*T/T_orig - (factor-1))^(d/(d-2)) when T > T_orig
//   llama3   long wavelengths / factor, short kept, a smooth ramp between
//   yarn     ramp between interpolated and extrapolated frequencies + attention scaling
#include <cmath>

#include <ATen/ATen.h>

#include "kernels/step_ops.h"
#include "model/modules.h"

namespace transmla::model {

namespace {
double yarnMscale(double scale, double mscale) {
    return scale <= 1 ? 1.0 : 0.1 * mscale * std::log(scale) + 1.0;
}
} // namespace

at::Tensor ropeInverseFrequencies(const io::ModelConfig& c, int64_t seqLen, double* attentionScaling) {
    const int64_t dim = c.rotaryDim();
    const io::RopeScaling& s = c.ropeScaling;
    double base = c.ropeTheta;
    *attentionScaling = 1.0;
    auto exponents = at::arange(0, dim, 2, at::kDouble) / static_cast<double>(dim);
    if (s.type == "dynamic") {
        const double orig =
            static_cast<double>(s.originalMaxPositions ? s.originalMaxPositions : c.maxPositions);
        if (seqLen > orig)
            base *= std::pow(s.factor * seqLen / orig - (s.factor - 1), static_cast<double>(dim) / (dim - 2));
    }
    at::Tensor inv = 1.0 / at::pow(base, exponents);
    if (s.type == "linear") {
        inv = inv / s.factor;
    } else if (s.type == "llama3") {
        const double orig = static_cast<double>(s.originalMaxPositions);
        const double lowWavelen = orig / s.lowFreqFactor, highWavelen = orig / s.highFreqFactor;
        at::Tensor wavelen = 2 * M_PI / inv;
        at::Tensor scaled = at::where(wavelen > lowWavelen, inv / s.factor, inv);
        at::Tensor smooth = (orig / wavelen - s.lowFreqFactor) / (s.highFreqFactor - s.lowFreqFactor);
        at::Tensor smoothed = (1 - smooth) * scaled / s.factor + smooth * scaled;
        at::Tensor medium = (wavelen >= highWavelen).logical_and(wavelen <= lowWavelen);
        inv = at::where(medium, smoothed, scaled);
    } else if (s.type == "yarn") {
        const double orig =
            static_cast<double>(s.originalMaxPositions ? s.originalMaxPositions : c.maxPositions);
        if (s.attentionFactor)
            *attentionScaling = *s.attentionFactor;
        else if (s.mscale != 0 && s.mscaleAllDim != 0)
            *attentionScaling = yarnMscale(s.factor, s.mscale) / yarnMscale(s.factor, s.mscaleAllDim);
        else
            *attentionScaling = yarnMscale(s.factor, 1.0);
        auto correctionDim = [&](double rotations) {
            return dim * std::log(orig / (rotations * 2 * M_PI)) / (2 * std::log(base));
        };
        double low = correctionDim(s.betaFast), high = correctionDim(s.betaSlow);
        if (s.truncate) {
            low = std::floor(low);
            high = std::ceil(high);
        }
        low = std::max(low, 0.0);
        high = std::min(high, static_cast<double>(dim - 1));
        if (low == high) high += 0.001;
        at::Tensor ramp = ((at::arange(dim / 2, at::kDouble) - low) / (high - low)).clamp(0, 1);
        at::Tensor extrapolationFactor = 1 - ramp;
        at::Tensor posFreqs = at::pow(base, exponents);
        inv = (1.0 / (s.factor * posFreqs)) * (1 - extrapolationFactor) +
              (1.0 / posFreqs) * extrapolationFactor;
    }
    return inv.to(at::kFloat);
}

RopeTables ropeTablesFor(const at::Tensor& invFreq, int64_t seqLen, double scaling, int64_t positionOffset) {
    at::Tensor pos = at::arange(positionOffset, positionOffset + seqLen,
                                at::TensorOptions().dtype(at::kFloat).device(invFreq.device()));
    at::Tensor freqs = at::outer(pos, invFreq.to(at::kFloat)); // [T, n]
    at::Tensor emb = at::cat({freqs, freqs}, -1);              // [T, 2n]
    return {emb.cos() * scaling, emb.sin() * scaling};
}

RopeTables ropeTablesAt(const at::Tensor& invFreq, int64_t seqLen, double scaling,
                        const at::Tensor& firstPosition) {
    at::Tensor pos = firstPosition.to(at::kFloat) +
                     at::arange(seqLen, at::TensorOptions().dtype(at::kFloat).device(invFreq.device()));
    at::Tensor freqs = at::outer(pos, invFreq.to(at::kFloat)); // [T, n]
    at::Tensor emb = at::cat({freqs, freqs}, -1);              // [T, 2n]
    return {emb.cos() * scaling, emb.sin() * scaling};
}

RopeTables ropeTables(const io::ModelConfig& c, int64_t seqLen, at::Device device) {
    double scaling = 1.0;
    at::Tensor inv = ropeInverseFrequencies(c, seqLen, &scaling).to(device);
    return ropeTablesFor(inv, seqLen, scaling);
}

bool usesLocalRope(const io::ModelConfig& c, int64_t layer) {
    return c.ropeLocalTheta && c.slidingLayers[static_cast<size_t>(layer)];
}

at::Tensor localRopeInverseFrequencies(const io::ModelConfig& c, at::Device device) {
    const int64_t dim = c.rotaryDim();
    at::Tensor exponents = at::arange(0, dim, 2, at::kDouble) / static_cast<double>(dim);
    return (1.0 / at::pow(*c.ropeLocalTheta, exponents)).to(at::kFloat).to(device);
}

RopeTables layerRopeTables(const io::ModelConfig& c, int64_t layer, int64_t seqLen, at::Device device,
                           int64_t offset) {
    if (usesLocalRope(c, layer))
        return ropeTablesFor(localRopeInverseFrequencies(c, device), seqLen, 1.0, offset);
    double scaling = 1.0;
    at::Tensor inv = ropeInverseFrequencies(c, offset + seqLen, &scaling).to(device);
    return ropeTablesFor(inv, seqLen, scaling, offset);
}

at::Tensor applyRope(const at::Tensor& x, const RopeTables& rope) {
    if (kernels::StepOpsScope::active()) // one kernel in the decoding step (kernels/step_ops.h)
        if (at::Tensor y = kernels::fusedRope(x, rope.cos, rope.sin); y.defined()) return y;
    const int64_t rd = rope.cos.size(-1);
    const int64_t T = x.size(1);
    // [T, rd] -> [1, T, 1, rd], in x's dtype as transformers casts them.
    at::Tensor cos = rope.cos.narrow(0, 0, T).unsqueeze(0).unsqueeze(2).to(x.scalar_type());
    at::Tensor sin = rope.sin.narrow(0, 0, T).unsqueeze(0).unsqueeze(2).to(x.scalar_type());
    at::Tensor xr = rd == x.size(-1) ? x : x.narrow(-1, 0, rd);
    at::Tensor x1 = xr.narrow(-1, 0, rd / 2), x2 = xr.narrow(-1, rd / 2, rd / 2);
    at::Tensor rotated = at::cat({-x2, x1}, -1);
    at::Tensor out = xr * cos + rotated * sin;
    if (rd == x.size(-1)) return out;
    return at::cat({out, x.narrow(-1, rd, x.size(-1) - rd)}, -1);
}

} // namespace transmla::model
