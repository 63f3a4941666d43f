// Schema 1 -> the typed fields of schema 2 (see results/session.h). Schema 1 had no typed groups for
// the conversion report, the settings or the sweep:
//  - the workbench wrote its settings as /settings "mode", "latent_norm", "calibration_source" and
//    numbers in /settings_numeric; with "converted" = "yes" the report as "layers", "layer.%03d.rank",
//    ".retained", ".rope_energy", ".alpha", ".attention_error", ".eigenvalues" (a count) and one
//    "latent.%03d.%05d" per eigenvalue; its sweep as "sweep_points" and "sweep.%03d.rank",
//    ".kv_bytes", ".mean_nll" (means only);
//  - `transmla analyze loss-sweep` wrote losses "gqa" and "mla r=R rope=RR" with their KV bytes as
//    "kv_bytes_per_token/<label>" (its calibration settings were not recorded: they were the defaults
//    unless --samples/--seqlen were given);
//  - the converted model's attention map had " (MLA)" appended to its model name.
// Settings missing from old files take their defaults (as the schema-1 reader did); a report or sweep
// entry that is announced but missing, or a count that is not a small non-negative integer, is a
// FormatError naming the key.
#include <cmath>
#include <cstdio>

#include "results/session_h5.h"

namespace transmla::results::detail {

namespace {

std::string key(const char* fmt, int64_t a, int64_t b = 0) {
    char buf[64];
    std::snprintf(buf, sizeof buf, fmt, static_cast<long long>(a), static_cast<long long>(b));
    return buf;
}

class V1 {
public:
    V1(const io::h5::Reader& r, Session& s) : r_(r), s_(s) {}

    double number(const std::string& k, double fallback) {
        const auto it = s_.numericSettings.find(k);
        if (it == s_.numericSettings.end()) return fallback;
        const double v = it->second;
        s_.numericSettings.erase(it); // consumed: not kept as a free-form note
        return v;
    }
    double required(const std::string& k) {
        if (!s_.numericSettings.count(k)) r_.fail("/settings_numeric/" + k, "missing (schema 1)");
        return number(k, 0);
    }
    // An integer-valued entry in [lo, hi] (checked before the conversion to int64_t).
    int64_t integer(const std::string& k, double v, double lo, double hi) {
        if (!std::isfinite(v) || v != std::floor(v) || v < lo || v > hi)
            r_.fail("/settings_numeric/" + k, "not an integer in [" + std::to_string(int64_t(lo)) + ", " +
                                                  std::to_string(int64_t(hi)) + "]");
        return int64_t(v);
    }
    int64_t integer(const std::string& k, double fallback, double lo, double hi, bool require) {
        return integer(k, require ? required(k) : number(k, fallback), lo, hi);
    }
    std::string text(const std::string& k, const std::string& fallback) {
        const auto it = s_.settings.find(k);
        if (it == s_.settings.end()) return fallback;
        std::string v = it->second;
        s_.settings.erase(it);
        return v;
    }

    void workbench() {
        constexpr double kBig = 1e15;
        convert::ConvertSettings c;
        const convert::ConvertSettings d;
        c.exact = text("mode", "compressed") == "exact";
        c.latentNorm = convert::parseLatentNorm(text("latent_norm", "none"));
        c.calibration.source = text("calibration_source", "gsm8k");
        c.kvLoraRank = integer("kv_lora_rank", -1, -1, kBig, false);
        c.qkRopeHeadDim = integer("qk_rope_head_dim", 0, 0, kBig, false);
        c.freqFold = integer("freqfold", 0, 0, kBig, false);
        c.calibration.samples = integer("calibration_samples", 128, 0, kBig, false);
        c.calibration.seqLen = integer("calibration_seq_len", 256, 0, kBig, false);
        c.energy = number("energy", d.energy);
        c.damping = number("damping", d.damping);
        c.rorope = number("rorope", d.rorope) != 0;
        c.balanceKv = number("balance_kv", d.balanceKv) != 0;
        c.jointPca = number("joint_pca", d.jointPca) != 0;
        c.calibration.seed =
            uint64_t(integer("calibration_seed", double(d.calibration.seed), 0, kBig, false));
        c.calibration.microBatch =
            integer("calibration_micro_batch", double(d.calibration.microBatch), 0, kBig, false);
        s_.convertSettings = c;
        s_.lossProblems = integer("loss_problems", 0, 0, kBig, false);
        if (text("converted", "") == "yes") conversion(c);
        const int64_t points = integer("sweep_points", 0, 0, 1 << 20, false);
        if (points > 0) {
            RankSweep sweep;
            sweep.settings = sweepPointSettings(c, -1);
            // The workbench evaluated its panel's GSM8K problems (20 when none were set).
            sweep.problems = s_.lossProblems > 0 ? s_.lossProblems : 20;
            for (int64_t i = 0; i < points; ++i) {
                SweepPoint p;
                p.rank = integer(key("sweep.%03lld.rank", i), 0, 1, kBig, true);
                p.kvBytesPerToken = integer(key("sweep.%03lld.kv_bytes", i), 0, 0, kBig, true);
                p.meanNll = required(key("sweep.%03lld.mean_nll", i));
                sweep.put(std::move(p));
            }
            s_.sweep = std::move(sweep);
        }
    }

    void conversion(const convert::ConvertSettings& c) {
        constexpr double kBig = 1e15;
        ConversionRecord r;
        r.settings = c;
        r.modelContentHash = text("model_content_hash", "");
        r.calibrationFile = text("calibration_file", "");
        r.exportProblem = text("export_problem", "");
        r.ropeDim = integer("rope_dim", 0, 0, kBig, false);
        r.maxRank = integer("max_rank", 0, 0, kBig, false);
        r.freqFold = c.freqFold;
        r.kvBytesPerTokenBefore = integer("kv_bytes_before", 0, 0, kBig, false);
        r.kvBytesPerTokenAfter = integer("kv_bytes_after", 0, 0, kBig, false);
        r.secondsTotal = number("seconds_total", 0);
        const int64_t layers = integer("layers", 0, 0, 1 << 16, false);
        for (int64_t l = 0; l < layers; ++l) {
            LayerFigures f;
            f.layer = l;
            f.rank = integer(key("layer.%03lld.rank", l), 0, 0, kBig, true);
            f.retainedEnergy = required(key("layer.%03lld.retained", l));
            f.ropeEnergyFraction = required(key("layer.%03lld.rope_energy", l));
            f.alpha = required(key("layer.%03lld.alpha", l));
            f.attentionError = number(key("layer.%03lld.attention_error", l), -1);
            const int64_t count = integer(key("layer.%03lld.eigenvalues", l), 0, 0, 1 << 24, true);
            for (int64_t i = 0; i < count; ++i)
                f.eigenvalues.push_back(required(key("latent.%03lld.%05lld", l, i)));
            r.layers.push_back(std::move(f));
        }
        s_.conversion = std::move(r);
    }

    // The CLI's sweep: "gqa" and "mla r=R rope=RR" losses (the first rope dim seen; others stay losses).
    void cliSweep() {
        auto pointOf = [](const std::string& label, int64_t& rank, int64_t& rope) {
            long long r = 0, rr = 0;
            char tail = 0;
            if (std::sscanf(label.c_str(), "mla r=%lld rope=%lld%c", &r, &rr, &tail) != 2 || r <= 0)
                return false;
            rank = r, rope = rr;
            return true;
        };
        int64_t rope = -1, rank = 0, rr = 0;
        for (const auto& l : s_.losses)
            if (pointOf(l.label, rank, rr)) {
                rope = rr;
                break;
            }
        if (rope < 0) return; // no sweep point: the losses stay as they are
        RankSweep sweep;
        sweep.settings = sweepPointSettings(convert::ConvertSettings{}, -1);
        sweep.settings.qkRopeHeadDim = rope;
        std::vector<NamedLoss> rest;
        for (auto& l : s_.losses) {
            const std::string kv = "kv_bytes_per_token/" + l.label;
            if (pointOf(l.label, rank, rr) && rr == rope) {
                sweep.put({rank, integer(kv, 0, 0, 1e15, true), l.result.meanNll(), l.result});
                sweep.problems = l.result.documents;
            } else if (l.label == "gqa") {
                sweep.baseline = l.result;
                sweep.baselineKvBytesPerToken = integer(kv, 0, 0, 1e15, false);
            } else {
                rest.push_back(std::move(l));
            }
        }
        s_.losses = std::move(rest);
        s_.sweep = std::move(sweep);
    }

    void attention() {
        static const std::string suffix = " (MLA)";
        for (auto& m : s_.attentionMaps)
            if (m.model.size() >= suffix.size() &&
                m.model.compare(m.model.size() - suffix.size(), suffix.size(), suffix) == 0) {
                m.model.resize(m.model.size() - suffix.size());
                m.form = analysis::ModelForm::Mla;
            }
    }

private:
    const io::h5::Reader& r_;
    Session& s_;
};

} // namespace

void upgradeSchema1(const io::h5::Reader& r, Session& s) {
    V1 v1(r, s);
    if (s.settings.count("mode")) v1.workbench(); // only the workbench wrote "mode"
    if (!s.sweep) v1.cliSweep();
    v1.attention();
}

} // namespace transmla::results::detail
