#include "convert/search.h"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <sstream>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "convert/calibration.h"
#include "convert/pca_activations.h"
#include "convert/pipeline.h"
#include "eval/loss.h"
#include "io/csv.h"
#include "io/datasets.h"
#include "model/model.h"
#include "util/error.h"
#include "util/resources.h"

namespace transmla::convert {

CalibrationSplit splitCalibration(const CalibrationSettings& s, int64_t heldOutSamples,
                                  const tok::Tokenizer& tokenizer,
                                  const std::filesystem::path& resourcesDir) {
    if (heldOutSamples < 1)
        throw ArgumentError("held-out samples " + std::to_string(heldOutSamples) + ": must be at least 1");
    // The choice is judged on this text: the GSM8K test split (what the loss reports use) is refused.
    std::error_code ec;
    const std::filesystem::path file = io::calibrationFile(s.source, resourcesDir);
    if (std::filesystem::equivalent(file, gsm8kFile(resourcesDir, "test"), ec))
        throw ArgumentError(file.string() +
                            ": the GSM8K test split is the evaluation set; choose settings on "
                            "held-out text of another source (e.g. gsm8k = its train split)");
    CalibrationSettings both = s;
    both.samples =
        s.samples + heldOutSamples; // one draw: the calibration rows come first, as without a split
    const at::Tensor ids = calibrationTokens(both, tokenizer, resourcesDir);
    return {ids.narrow(0, 0, s.samples).contiguous(), ids.narrow(0, s.samples, heldOutSamples).contiguous()};
}

size_t SearchResult::best() const {
    size_t b = candidates.size();
    for (size_t i = 0; i < candidates.size(); ++i) {
        const auto& c = candidates[i];
        if (!c.skipped.empty()) continue;
        if (b == candidates.size() || c.heldOutLoss < candidates[b].heldOutLoss ||
            (c.heldOutLoss == candidates[b].heldOutLoss && c.kvBytesPerToken < candidates[b].kvBytesPerToken))
            b = i;
    }
    if (b == candidates.size()) throw ArgumentError("no candidate conversion is valid for this model");
    return b;
}

nlohmann::json SearchResult::toJson() const {
    nlohmann::json j = {{"original_held_out_loss", originalLoss},
                        {"held_out_tokens", heldOutTokens},
                        {"seconds", seconds},
                        {"front", front},
                        {"candidates", nlohmann::json::array()}};
    for (const auto& c : candidates) {
        nlohmann::json e = {{"kv_lora_rank", c.kvLoraRank},
                            {"qk_rope_head_dim", c.qkRopeHeadDim},
                            {"freqfold", c.freqFold},
                            {"pca_activations", c.pcaActivations}};
        if (c.skipped.empty()) {
            e["rank"] = c.rank;
            e["kv_bytes_per_token"] = c.kvBytesPerToken;
            e["held_out_loss"] = c.heldOutLoss;
            e["on_front"] = c.onFront;
        } else {
            e["skipped"] = c.skipped;
        }
        j["candidates"].push_back(e);
    }
    bool any = false;
    for (const auto& c : candidates)
        any = any || c.skipped.empty();
    if (any) j["chosen"] = best();
    return j;
}

std::string SearchResult::csv() const {
    std::ostringstream o;
    o.precision(8);
    o << "kv_lora_rank,qk_rope_head_dim,freqfold,pca_activations,rank,kv_bytes_per_token,held_out_loss,on_"
         "front,skipped\n";
    for (const auto& c : candidates) {
        o << c.kvLoraRank << ',' << c.qkRopeHeadDim << ',' << c.freqFold << ',' << c.pcaActivations << ',';
        if (c.skipped.empty())
            o << c.rank << ',' << c.kvBytesPerToken << ',' << c.heldOutLoss << ',' << (c.onFront ? 1 : 0)
              << ",\n";
        else
            o << ",,,," << io::csvField(c.skipped) << "\n";
    }
    return o.str();
}

std::vector<size_t> paretoFront(const std::vector<double>& cost, const std::vector<double>& loss) {
    if (cost.size() != loss.size()) throw ArgumentError("paretoFront: cost and loss differ in length");
    std::vector<size_t> order(cost.size());
    std::iota(order.begin(), order.end(), size_t(0));
    // By cost, then loss, then index: a sweep keeps each point that beats every cheaper point's loss.
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return cost[a] != cost[b] ? cost[a] < cost[b] : loss[a] < loss[b];
    });
    std::vector<size_t> front;
    for (size_t i : order)
        if (front.empty() || loss[i] < loss[front.back()]) front.push_back(i);
    return front;
}

std::vector<ConvertSettings> gridCandidates(const ConvertSettings& base, const std::vector<int64_t>& ranks,
                                            const std::vector<int64_t>& ropeDims,
                                            const std::vector<int64_t>& freqFolds) {
    auto orBase = [](const std::vector<int64_t>& v, int64_t b) {
        return v.empty() ? std::vector<int64_t>{b} : v;
    };
    std::vector<ConvertSettings> out;
    for (int64_t rR : orBase(ropeDims, base.qkRopeHeadDim))
        for (int64_t f : orBase(freqFolds, base.freqFold))
            for (int64_t r : orBase(ranks, base.kvLoraRank)) {
                ConvertSettings s = base;
                s.exact = false;
                s.qkRopeHeadDim = rR;
                s.freqFold = f;
                s.kvLoraRank = r;
                if (!ranks.empty()) s.energy = 0;
                out.push_back(s);
            }
    return expandPcaActivations(out);
}

std::vector<ConvertSettings> expandPcaActivations(const std::vector<ConvertSettings>& candidates) {
    std::vector<ConvertSettings> out;
    for (const ConvertSettings& s : candidates) {
        if (s.pcaActivations != PcaActivations::Best) {
            out.push_back(s);
            continue;
        }
        for (PcaActivations a : kPcaActivationSources) {
            ConvertSettings c = s;
            c.pcaActivations = a;
            out.push_back(c);
        }
    }
    return out;
}

std::vector<ConvertSettings> autoCandidates(const ConvertSettings& base, const io::ModelConfig& config,
                                            bool searchRopeDim, bool searchFreqFold) {
    if (base.exact)
        throw ArgumentError("the exact merge has no r_R or FreqFold to choose (r_R = g*d, FreqFold 1)");
    // base itself must be valid (throws SettingError otherwise); automatic values filled in
    const ConvertSettings resolved = resolve(base, config).settings;
    std::vector<int64_t> ropeDims = {resolved.qkRopeHeadDim};
    if (searchRopeDim) {
        ropeDims.clear();
        const IntRange range = settingRanges(config).qkRopeHeadDim;
        for (int64_t div : {8, 4, 2, 1})
            if (range.contains(config.headDim / div)) ropeDims.push_back(config.headDim / div);
    }
    // Equal cache per layer: r + r_R of the base settings (full rank is 2*g*d for every r_R anyway).
    const int64_t budget = base.kvLoraRank > 0 ? resolved.kvLoraRank + resolved.qkRopeHeadDim : -1;
    std::vector<ConvertSettings> out;
    for (int64_t rR : ropeDims) {
        std::vector<int64_t> folds = {searchRopeDim && !searchFreqFold ? 0 : resolved.freqFold};
        if (searchFreqFold) folds = settingRanges(config, rR).freqFolds;
        for (int64_t f : folds) {
            ConvertSettings s = base;
            s.qkRopeHeadDim = rR;
            s.freqFold = f;
            if (budget > 0) s.kvLoraRank = std::max<int64_t>(1, budget - rR);
            out.push_back(s);
        }
    }
    return expandPcaActivations(out);
}

SearchResult searchConversions(const model::Model& original, const std::vector<ConvertSettings>& candidates,
                               const CalibrationSplit& split, const Progress& progress) {
    c10::InferenceMode guard;
    const auto t0 = std::chrono::steady_clock::now();
    if (original.config.convertedToMla)
        throw ArgumentError(original.dir.string() + ": already converted to MLA");
    if (candidates.empty()) throw ArgumentError("no candidate conversions to compare");
    const ConvertSettings& first = candidates.front();
    std::vector<eval::Document> docs;
    for (int64_t i = 0; i < split.heldOut.size(0); ++i) {
        const at::Tensor row = split.heldOut[i].contiguous();
        docs.push_back(
            {std::vector<int64_t>(row.data_ptr<int64_t>(), row.data_ptr<int64_t>() + row.numel()), 0});
    }
    eval::LossOptions lo;
    lo.maxTokens = split.heldOut.size(1);
    const Progress quiet{{}, progress.cancel};
    SearchResult result;
    const auto originalLoss = eval::evaluateLoss(original, docs, lo, quiet);
    result.originalLoss = originalLoss.meanNll();
    result.heldOutTokens = originalLoss.tokens;
    // One calibration pass; the statistics depend only on the model, the text and preRopeKeyStats.
    const std::vector<LayerStats> stats =
        collectLayerStats(original, split.calibration.to(original.device()), first, progress);
    const auto n = int64_t(candidates.size());
    for (int64_t i = 0; i < n; ++i) {
        progress(i, n, "search");
        const ConvertSettings& s = candidates[size_t(i)];
        Candidate c;
        c.kvLoraRank = s.energy > 0 ? -1 : s.kvLoraRank;
        c.qkRopeHeadDim = s.qkRopeHeadDim;
        c.freqFold = s.freqFold;
        c.pcaActivations = pcaActivationsName(s.pcaActivations);
        try {
            const ConvertSettings resolved = resolve(s, original.config).settings;
            c.qkRopeHeadDim = resolved.qkRopeHeadDim;
            c.freqFold = resolved.freqFold;
        } catch (const SettingError& e) {
            c.skipped = e.what();
            result.candidates.push_back(c);
            continue;
        }
        model::Model m = original; // shares the weights; the conversion replaces the attention tensors
        const ConvertReport rep =
            s.pcaActivations == PcaActivations::Original
                ? convertFromStats(m, s, stats, quiet)
                : convertFromStats(m, s, pcaActivationStats(original, split.calibration, s, stats, quiet),
                                   quiet);
        c.rank = rep.maxRank;
        c.kvBytesPerToken = rep.kvBytesPerTokenAfter;
        c.heldOutLoss = eval::evaluateLoss(m, docs, lo, quiet).meanNll();
        result.candidates.push_back(c);
    }
    progress(n, n, "search");
    std::vector<double> cost, loss;
    std::vector<size_t> valid;
    for (size_t i = 0; i < result.candidates.size(); ++i)
        if (result.candidates[i].skipped.empty()) {
            valid.push_back(i);
            cost.push_back(double(result.candidates[i].kvBytesPerToken));
            loss.push_back(result.candidates[i].heldOutLoss);
        }
    for (size_t k : paretoFront(cost, loss)) {
        result.front.push_back(valid[k]);
        result.candidates[valid[k]].onFront = true;
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return result;
}

} // namespace transmla::convert
