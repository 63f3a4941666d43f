#include "convert/heal.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>

#include <ATen/ATen.h>
#include <c10/core/GradMode.h>
#include <c10/core/InferenceMode.h>
#include <torch/optim/adam.h>

#include "convert/calibration.h"
#include "model/forward.h"
#include "model/model.h"
#include "util/error.h"
#include "util/resources.h"

namespace fs = std::filesystem;

namespace transmla::convert {

namespace {

constexpr int64_t kLocalSteps = 150, kE2eSteps = 300;
constexpr double kLocalLr = 1e-3,
                 kE2eLr = 1e-3; // tiny-llama r = 32: e2e 3e-4 -> 3.02, 1e-3 -> 3.00 (BENCHMARKS.md)

// Tensors made under InferenceMode (e.g. by convertModel) cannot be saved for backward: the
// student gets ordinary copies of those (only those; a model loaded outside it shares its weights).
void ownTensors(model::Model& m) {
    auto own = [](at::Tensor& t) {
        if (t.defined() && t.is_inference()) t = t.clone();
    };
    auto lin = [&](model::Linear& l) {
        own(l.weight);
        own(l.bias);
    };
    own(m.embed);
    own(m.finalNorm);
    own(m.lmHead);
    for (auto& L : m.layers) {
        for (at::Tensor* t : {&L.inputNorm, &L.postAttnNorm, &L.preFfnNorm, &L.postFfnNorm})
            own(*t);
        for (model::Linear* l : {&L.mlp.gate, &L.mlp.up, &L.mlp.down, &L.router})
            lin(*l);
        for (auto& e : L.experts)
            for (model::Linear* l : {&e.gate, &e.up, &e.down})
                lin(*l);
        if (!L.mla) continue;
        auto& a = *L.mla;
        for (model::Linear* l :
             {&a.q, &a.qRope, &a.qA, &a.qB, &a.kvA, &a.kvB, &a.o, &a.qPre, &a.kPre, &a.vPre})
            lin(*l);
        for (at::Tensor* t : {&a.qANorm, &a.kvANorm, &a.qNorm, &a.kNorm, &a.qUp})
            own(*t);
    }
}

// The trained parameters of one MLA layer: the new attention's projections and norms (o_proj and
// everything outside attention stay as they were). A q/k-norm layer (qk_norm.h) has no q: its queries
// are qUp . qnorm(qPre x), and qUp is what the conversion made (the fitted RoPE rotation and scale).
// Its qPre/kPre/vPre and norms are the original's own and stay; kv_a reads their output.
std::vector<at::Tensor*> attentionParams(model::MlaAttention& a) {
    std::vector<at::Tensor*> p;
    for (model::Linear* l : {&a.q, &a.qRope, &a.qA, &a.qB, &a.kvA, &a.kvB}) {
        if (l->weight.defined()) p.push_back(&l->weight);
        if (l->bias.defined()) p.push_back(&l->bias);
    }
    for (at::Tensor* t : {&a.qUp, &a.qANorm, &a.kvANorm})
        if (t->defined()) p.push_back(t);
    return p;
}

// Replaces the layer's parameters by trainable copies (the converted model keeps the originals).
std::vector<at::Tensor> makeTrainable(model::Model& student, int64_t layer) {
    std::vector<at::Tensor> params;
    for (at::Tensor* t : attentionParams(*student.layers[size_t(layer)].mla)) {
        {
            c10::NoGradGuard noGrad;
            *t = t->clone();
        }
        t->requires_grad_(true);
        params.push_back(*t);
    }
    return params;
}

// Warm-up over the first 5% of the steps, then cosine decay to a tenth.
double scheduledLr(double lr, int64_t step, int64_t steps) {
    const int64_t warm = std::max<int64_t>(1, steps / 20);
    if (step < warm) return lr * double(step + 1) / double(warm);
    const double t = double(step - warm) / double(std::max<int64_t>(1, steps - warm));
    return lr * (0.1 + 0.9 * 0.5 * (1 + std::cos(M_PI * t)));
}

void setLr(torch::optim::Adam& opt, double lr) {
    for (auto& group : opt.param_groups())
        static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
}

// `batch` distinct sequence indices of [0, n), drawn with the seeded generator.
at::Tensor drawBatch(std::mt19937_64& rng, int64_t n, int64_t batch) {
    std::vector<int64_t> idx(static_cast<size_t>(n));
    std::iota(idx.begin(), idx.end(), 0);
    const int64_t b = std::min(batch, n);
    for (int64_t i = 0; i < b; ++i)
        std::swap(idx[size_t(i)], idx[size_t(i + int64_t(rng() % uint64_t(n - i)))]);
    idx.resize(size_t(b));
    return at::tensor(idx, at::kLong);
}

struct Split {
    at::Tensor train, heldOut; // ids [n, T] on the model's device
};

double seconds(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// |out - target|^2 / |target|^2 over the rows given.
at::Tensor relativeError(const at::Tensor& out, const at::Tensor& target) {
    return (out - target).pow(2).sum() / target.pow(2).sum();
}

HealPhase healLocal(model::Model& student, const model::Model& original, const Split& split,
                    const HealSettings& s, const Progress& progress, std::mt19937_64& rng,
                    const HealStepFn& onStep) {
    HealPhase ph;
    ph.mode = "local";
    ph.steps = s.steps > 0 ? s.steps : kLocalSteps;
    ph.lr = s.lr > 0 ? s.lr : kLocalLr;
    ph.curve.assign(size_t(ph.steps), 0.0);
    const auto t0 = std::chrono::steady_clock::now();
    const int64_t layers = original.config.numLayers, nTrain = split.train.size(0);
    // The original model's hidden states before each layer (the calibration activations).
    at::Tensor hTrain, hHeld;
    {
        c10::NoGradGuard noGrad;
        hTrain = model::embedTokens(original, split.train);
        hHeld = model::embedTokens(original, split.heldOut);
    }
    auto heldOutError = [&](int64_t layer, const at::Tensor& x, const at::Tensor& y) {
        c10::NoGradGuard noGrad;
        return relativeError(model::attentionBlock(student, layer, x), y).item<double>();
    };
    for (int64_t layer = 0; layer < layers; ++layer) {
        at::Tensor xTrain, yTrain, xHeld, yHeld; // attention inputs and the original attention's outputs
        {
            c10::NoGradGuard noGrad;
            xTrain = model::inputNorm(original, layer, hTrain);
            yTrain = model::attentionBlock(original, layer, xTrain);
            xHeld = model::inputNorm(original, layer, hHeld);
            yHeld = model::attentionBlock(original, layer, xHeld);
        }
        torch::optim::Adam opt(makeTrainable(student, layer), torch::optim::AdamOptions(ph.lr));
        ph.layerBefore.push_back(heldOutError(layer, xHeld, yHeld));
        for (int64_t step = 0; step < ph.steps; ++step) {
            progress(layer * ph.steps + step, layers * ph.steps, "heal local");
            setLr(opt, scheduledLr(ph.lr, step, ph.steps));
            const at::Tensor idx = drawBatch(rng, nTrain, s.batch).to(xTrain.device());
            const at::Tensor xb = xTrain.index_select(0, idx), yb = yTrain.index_select(0, idx);
            opt.zero_grad();
            at::Tensor loss = relativeError(model::attentionBlock(student, layer, xb), yb);
            loss.backward();
            opt.step();
            const double value = loss.item<double>();
            ph.curve[size_t(step)] += value / double(layers);
            if (onStep) onStep(ph.mode, layer * ph.steps + step, layers * ph.steps, value);
        }
        ph.layerAfter.push_back(heldOutError(layer, xHeld, yHeld));
        c10::NoGradGuard noGrad;
        hTrain = model::runLayer(original, layer, hTrain);
        hHeld = model::runLayer(original, layer, hHeld);
    }
    ph.heldOutBefore = std::accumulate(ph.layerBefore.begin(), ph.layerBefore.end(), 0.0) / double(layers);
    ph.heldOutAfter = std::accumulate(ph.layerAfter.begin(), ph.layerAfter.end(), 0.0) / double(layers);
    progress(layers * ph.steps, layers * ph.steps, "heal local");
    ph.seconds = seconds(t0);
    return ph;
}

// Mean over tokens of KL(p_teacher || p_student), teacher log-probabilities given.
at::Tensor klDivergence(const at::Tensor& teacherLogp, const at::Tensor& studentLogits) {
    const at::Tensor studentLogp = at::log_softmax(studentLogits, -1);
    return (teacherLogp.exp() * (teacherLogp - studentLogp)).sum(-1).mean();
}

HealPhase healEndToEnd(model::Model& student, const model::Model& original, const Split& split,
                       const HealSettings& s, const Progress& progress, std::mt19937_64& rng,
                       const HealStepFn& onStep) {
    HealPhase ph;
    ph.mode = "e2e";
    ph.steps = s.steps > 0 ? s.steps : kE2eSteps;
    ph.lr = s.lr > 0 ? s.lr : kE2eLr;
    const auto t0 = std::chrono::steady_clock::now();
    auto teacher = [&](const at::Tensor& ids) {
        c10::NoGradGuard noGrad;
        return at::log_softmax(model::forwardLogits(original, ids), -1);
    };
    auto heldOutKl = [&] {
        c10::NoGradGuard noGrad;
        double sum = 0;
        const int64_t n = split.heldOut.size(0);
        for (int64_t i = 0; i < n; i += s.batch) {
            const at::Tensor ids = split.heldOut.narrow(0, i, std::min(s.batch, n - i));
            sum += klDivergence(teacher(ids), model::forwardLogits(student, ids)).item<double>() *
                   double(ids.size(0));
        }
        return sum / double(n);
    };
    std::vector<at::Tensor> params;
    for (int64_t layer = 0; layer < original.config.numLayers; ++layer)
        for (auto& p : makeTrainable(student, layer))
            params.push_back(p);
    torch::optim::Adam opt(params, torch::optim::AdamOptions(ph.lr));
    ph.heldOutBefore = heldOutKl();
    for (int64_t step = 0; step < ph.steps; ++step) {
        progress(step, ph.steps, "heal e2e");
        setLr(opt, scheduledLr(ph.lr, step, ph.steps));
        const at::Tensor ids = split.train.index_select(
            0, drawBatch(rng, split.train.size(0), s.batch).to(split.train.device()));
        const at::Tensor target = teacher(ids);
        opt.zero_grad();
        at::Tensor loss = klDivergence(target, model::forwardLogits(student, ids));
        loss.backward();
        opt.step();
        ph.curve.push_back(loss.item<double>());
        if (onStep) onStep(ph.mode, step, ph.steps, ph.curve.back());
    }
    ph.heldOutAfter = heldOutKl();
    progress(ph.steps, ph.steps, "heal e2e");
    ph.seconds = seconds(t0);
    return ph;
}

} // namespace

void checkHealSettings(const HealSettings& s, const fs::path& resourcesDir) {
    if (s.mode != "none" && s.mode != "local" && s.mode != "e2e" && s.mode != "both")
        throw SettingError(setting::kHeal, "'" + s.mode + "': use none, local, e2e or both");
    if (s.steps < 0) throw SettingError(setting::kHealSteps, std::to_string(s.steps) + ": must be positive");
    if (!(s.lr >= 0) || !std::isfinite(s.lr))
        throw SettingError(setting::kHealLr, "must be a positive number");
    if (s.samples < 2)
        throw SettingError(setting::kHealSamples, std::to_string(s.samples) + ": must be at least 2");
    if (s.seqLen < 2 || s.batch < 1)
        throw ArgumentError("healing sequences must be at least 2 tokens long, the batch at least 1");
    if (s.data != "gsm8k" && s.data != "wikitext2") {
        std::error_code ec;
        const fs::path test = gsm8kFile(resourcesDir, "test");
        const fs::path file(s.data);
        const bool isTest = fs::equivalent(file, test, ec) ||
                            (file.filename() == "test.jsonl" && file.parent_path().filename() == "gsm8k");
        if (isTest)
            throw SettingError(
                setting::kHealData,
                s.data +
                    ": the GSM8K test split is the evaluation set; heal on the train split or your own text");
        if (!fs::is_regular_file(file)) throw SettingError(setting::kHealData, s.data + ": not a file");
    }
}

at::Tensor healTokens(const HealSettings& s, const tok::Tokenizer& tokenizer, const fs::path& resourcesDir) {
    CalibrationSettings c;
    c.source = s.data;
    c.samples = s.samples;
    c.seqLen = s.seqLen;
    c.seed = s.seed + 1; // other documents than the calibration's (which uses the seed itself)
    return calibrationTokens(c, tokenizer, resourcesDir);
}

HealReport heal(model::Model& converted, const model::Model& original, const at::Tensor& ids,
                const HealSettings& s, const Progress& progress, const HealStepFn& onStep) {
    c10::InferenceMode notInference(false);
    c10::AutoGradMode grad(true);
    const auto t0 = std::chrono::steady_clock::now();
    HealReport report;
    report.settings = s;
    if (!s.local() && !s.e2e()) return report;
    if (converted.streamed() || original.streamed())
        throw ArgumentError("healing needs both models loaded whole (not streamed)");
    if (converted.computeDtype() != at::kFloat && converted.computeDtype() != at::kDouble)
        throw SettingError(setting::kDtype, computeDtypeName(converted.options.dtype) +
                                                ": healing trains in the compute dtype; use f32");
    for (const auto& L : converted.layers)
        if (!L.mla) throw ArgumentError("healing needs a converted (MLA) model");
    model::checkTokenIds(original, ids, "the healing text");
    const int64_t n = ids.size(0), held = std::max<int64_t>(1, n / 8);
    Split split{ids.narrow(0, 0, n - held).to(original.device()),
                ids.narrow(0, n - held, held).to(original.device())};
    report.trainSequences = n - held;
    report.heldOutSequences = held;
    model::Model student = converted; // shares the frozen weights; trained tensors are replaced by copies
    ownTensors(student);
    std::mt19937_64 rng(s.seed);
    if (s.local()) report.phases.push_back(healLocal(student, original, split, s, progress, rng, onStep));
    if (s.e2e()) report.phases.push_back(healEndToEnd(student, original, split, s, progress, rng, onStep));
    progress.checkCancel();
    // Every phase finished: hand the trained parameters to the converted model.
    c10::NoGradGuard noGrad;
    for (size_t l = 0; l < converted.layers.size(); ++l) {
        auto from = attentionParams(*student.layers[l].mla), to = attentionParams(*converted.layers[l].mla);
        for (size_t i = 0; i < from.size(); ++i)
            *to[i] = from[i]->detach();
        model::packProjections(converted.layers[l]); // separate tensors now: one again for the decoding step
    }
    report.seconds = seconds(t0);
    return report;
}

nlohmann::json HealReport::toJson() const {
    nlohmann::json j = {{"mode", settings.mode},
                        {"data", settings.data},
                        {"samples", settings.samples},
                        {"seqlen", settings.seqLen},
                        {"batch", settings.batch},
                        {"seed", settings.seed},
                        {"train_sequences", trainSequences},
                        {"held_out_sequences", heldOutSequences},
                        {"seconds", seconds}};
    j["phases"] = nlohmann::json::array();
    for (const auto& p : phases) {
        nlohmann::json pj = {{"mode", p.mode},
                             {"steps", p.steps},
                             {"lr", p.lr},
                             {"seconds", p.seconds},
                             {"held_out_before", p.heldOutBefore},
                             {"held_out_after", p.heldOutAfter},
                             {"curve", p.curve}};
        pj["loss"] =
            p.mode == "local" ? "relative attention-output error" : "KL(original || converted) per token";
        if (!p.layerBefore.empty()) {
            pj["layers_before"] = p.layerBefore;
            pj["layers_after"] = p.layerAfter;
        }
        j["phases"].push_back(pj);
    }
    return j;
}

} // namespace transmla::convert
