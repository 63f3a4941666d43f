#include "analysis/spectrum.h"

#include <algorithm>

#include "util/error.h"

namespace transmla::analysis {

namespace {
struct SourceRow {
    SpectrumSource source;
    const char* name;
};
const SourceRow kSources[] = {{SpectrumSource::WeightK, "weight_k"},
                              {SpectrumSource::WeightV, "weight_v"},
                              {SpectrumSource::KPreRope, "k_pre_rope"},
                              {SpectrumSource::KPostRope, "k_post_rope"},
                              {SpectrumSource::V, "v"}};
} // namespace

std::string sourceName(SpectrumSource s) {
    for (const auto& r : kSources)
        if (r.source == s) return r.name;
    return "?";
}

SpectrumSource parseSource(const std::string& name) {
    for (const auto& r : kSources)
        if (name == r.name) return r.source;
    throw ArgumentError("unknown spectrum source '" + name +
                        "' (weight_k, weight_v, k_pre_rope, k_post_rope, v)");
}

const std::vector<SpectrumSource>& allSources() {
    static const std::vector<SpectrumSource> all = {SpectrumSource::WeightK, SpectrumSource::WeightV,
                                                    SpectrumSource::KPreRope, SpectrumSource::KPostRope,
                                                    SpectrumSource::V};
    return all;
}

double Spectrum::totalEnergy() const {
    double e = 0;
    for (double s : singularValues)
        e += s * s;
    return e;
}

std::vector<double> Spectrum::cumulativeEnergy() const {
    std::vector<double> c(singularValues.size());
    const double total = totalEnergy();
    double run = 0;
    for (size_t i = 0; i < c.size(); ++i) {
        run += singularValues[i] * singularValues[i];
        c[i] = total > 0 ? run / total : 1.0;
    }
    // The running sum can land a few ulps off the total: the full rank keeps all of it by definition.
    if (!c.empty()) c.back() = 1.0;
    return c;
}

double Spectrum::retainedEnergy(int64_t rank) const {
    const int64_t n = int64_t(singularValues.size());
    if (rank <= 0) return n == 0 || totalEnergy() == 0 ? 1.0 : 0.0;
    return cumulativeEnergy()[size_t(std::min(rank, n) - 1)];
}

int64_t Spectrum::rankForEnergy(double fraction) const {
    if (!(fraction > 0 && fraction <= 1)) throw ArgumentError("energy fraction must be in (0, 1]");
    const auto c = cumulativeEnergy();
    for (size_t k = 0; k < c.size(); ++k)
        if (c[k] >= fraction) return int64_t(k) + 1;
    return int64_t(c.size());
}

const Spectrum* SpectraResult::find(SpectrumSource s, int64_t layer, int64_t head) const {
    for (const auto& sp : spectra)
        if (sp.source == s && sp.layer == layer && sp.head == head) return &sp;
    return nullptr;
}

} // namespace transmla::analysis
