// Exports for the engines that serve DeepSeek-V2/V3 MLA (vLLM, SGLang) and for transformers, checked
// against a reference forward written here from those engines' conventions, not from our forward:
// - vLLM vllm/model_executor/models/deepseek_v2.py, DeepseekV2Attention.forward (the non-absorbed
//   path every MLA backend must agree with): q split [qk_nope | qk_rope] per head; kv_a_proj_with_mqa
//   split [kv_lora_rank | qk_rope]; kv_a_layernorm (RMSNorm) on the latent; kv_b_proj viewed per head
//   as [qk_nope | v]; the rope key shared by all heads; softmax scale qk_head_dim**-0.5 with
//   qk_head_dim = qk_nope_head_dim + qk_rope_head_dim; rotary_emb from get_rope(..., is_neox_style=False);
//   SGLang python/sglang/srt/models/deepseek_v2.py (DeepseekV2AttentionMLA) the same, is_neox_style =
//   not rope_interleave; transformers modeling_deepseek_v3 apply_rotary_pos_emb_interleave likewise;
// - GPT-J rotation (vLLM rotary_embedding, is_neox_style=False): dims (2i, 2i+1) turn together at
//   theta^(-2i/d);
// - DeepseekV2DecoderLayer: is_moe_layer = n_routed_experts is not None and layer >= first_k_dense_replace
//   and layer % moe_layer_freq == 0; DeepseekV2MLP: silu(gate) * up -> down;
// - DeepseekV2ForCausalLM: lm_head is a ParallelLMHead read from its own tensor lm_head.weight.
// Tolerances: fp64 reference vs our fp32 engine, max |dlogits| <= 1e-4 where the export is exact (f32).
#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <nlohmann/json.hpp>

#include "convert/calibration.h"
#include "convert/export.h"
#include "convert/pipeline.h"
#include "io/safetensors.h"
#include "model/forward.h"
#include "testutil.h"
#include "tokenizer/tokenizer.h"
#include "util/error.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_export {

using namespace transmla;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

fs::path modelPath(const QString& name) {
    const fs::path bundled = test::resourcesDir() / "models" / name.toStdString();
    return fs::exists(bundled) ? bundled : test::sharedDir() / "models" / name.toStdString();
}

at::Tensor tokens(const fs::path& dir, int64_t samples, int64_t seqLen) {
    convert::CalibrationSettings s;
    s.samples = samples;
    s.seqLen = seqLen;
    return convert::calibrationTokens(s, tok::Tokenizer::load(dir), test::resourcesDir());
}

double maxDiff(const at::Tensor& a, const at::Tensor& b) {
    return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
}

json readJson(const fs::path& p) {
    return json::parse(test::readFile(p));
}

// ---- the reference forward (fp64, one sequence), from the engines' conventions above ----

at::Tensor rmsNormRef(const at::Tensor& x, const at::Tensor& w, double eps) {
    return x * at::rsqrt(x.pow(2).mean(-1, true) + eps) * w;
}

// x [T, n, d]: pairs (2i, 2i+1) rotated by position * theta^(-2i/d).
at::Tensor ropeGptJ(const at::Tensor& x, double theta) {
    const int64_t T = x.size(0), d = x.size(-1);
    const at::Tensor inv = 1.0 / at::pow(theta, at::arange(0, d, 2, at::kDouble) / double(d)); // {d/2}
    const at::Tensor angle = at::arange(T, at::kDouble).unsqueeze(1) * inv.unsqueeze(0);       // {T, d/2}
    const at::Tensor cos = angle.cos().unsqueeze(1), sin = angle.sin().unsqueeze(1);           // {T, 1, d/2}
    const at::Tensor even = x.slice(-1, 0, d, 2), odd = x.slice(-1, 1, d, 2);                  // {T, n, d/2}
    return at::stack({even * cos - odd * sin, odd * cos + even * sin}, -1).flatten(-2);        // {T, n, d}
}

at::Tensor referenceLogits(const fs::path& dir, const at::Tensor& ids) {
    const json c = readJson(dir / "config.json");
    const io::Checkpoint ck(dir);
    auto W = [&](const std::string& n) { return ck.view(n).to(at::kDouble); };
    const int64_t T = ids.size(0), H = c["num_attention_heads"], dn = c["qk_nope_head_dim"],
                  dr = c["qk_rope_head_dim"];
    const int64_t dv = c["v_head_dim"], r = c["kv_lora_rank"], layers = c["num_hidden_layers"];
    const double eps = c["rms_norm_eps"], theta = c["rope_parameters"]["rope_theta"];
    const int64_t firstDense = c.value("first_k_dense_replace", 0), moeFreq = c.value("moe_layer_freq", 1);
    const at::Tensor causal = at::ones({T, T}, at::kBool).tril();
    at::Tensor h = W("model.embed_tokens.weight").index_select(0, ids); // {T, D}
    for (int64_t i = 0; i < layers; ++i) {
        const bool moe = c.contains("n_routed_experts") && !c["n_routed_experts"].is_null() &&
                         i >= firstDense && i % moeFreq == 0;
        if (moe) throw std::runtime_error("layer " + std::to_string(i) + " would be built as a MoE layer");
        const std::string p = "model.layers." + std::to_string(i) + ".";
        at::Tensor x = rmsNormRef(h, W(p + "input_layernorm.weight"), eps);
        const at::Tensor q =
            x.matmul(W(p + "self_attn.q_proj.weight").t()).view({T, H, dn + dr}); // {T, H, dn + dr}
        const at::Tensor latentCache =
            x.matmul(W(p + "self_attn.kv_a_proj_with_mqa.weight").t()); // {T, r + dr}
        const at::Tensor latent =
            rmsNormRef(latentCache.narrow(-1, 0, r), W(p + "self_attn.kv_a_layernorm.weight"), eps);
        const at::Tensor kv =
            latent.matmul(W(p + "self_attn.kv_b_proj.weight").t()).view({T, H, dn + dv});   // {T, H, dn + dv}
        const at::Tensor kPe = ropeGptJ(latentCache.narrow(-1, r, dr).unsqueeze(1), theta); // {T, 1, dr}
        const at::Tensor qFull = at::cat({q.narrow(-1, 0, dn), ropeGptJ(q.narrow(-1, dn, dr), theta)}, -1);
        const at::Tensor kFull =
            at::cat({kv.narrow(-1, 0, dn), kPe.expand({T, H, dr})}, -1); // {T, H, dn + dr}
        const at::Tensor v = kv.narrow(-1, dn, dv);                      // {T, H, dv}
        at::Tensor scores = qFull.transpose(0, 1).matmul(kFull.permute({1, 2, 0})) *
                            std::pow(double(dn + dr), -0.5); // {H, T, T}
        scores = scores.masked_fill(causal.logical_not(), -std::numeric_limits<double>::infinity());
        const at::Tensor out =
            at::softmax(scores, -1).matmul(v.transpose(0, 1)).transpose(0, 1).reshape({T, H * dv});
        h = h + out.matmul(W(p + "self_attn.o_proj.weight").t());
        x = rmsNormRef(h, W(p + "post_attention_layernorm.weight"), eps);
        const at::Tensor gated =
            at::silu(x.matmul(W(p + "mlp.gate_proj.weight").t())) * x.matmul(W(p + "mlp.up_proj.weight").t());
        h = h + gated.matmul(W(p + "mlp.down_proj.weight").t());
    }
    // The engines read lm_head.weight (checked present in serving exports below); only transformers ties.
    const bool tied = !ck.has("lm_head.weight") && c.value("tie_word_embeddings", false);
    return rmsNormRef(h, W("model.norm.weight"), eps)
        .matmul(W(tied ? "model.embed_tokens.weight" : "lm_head.weight").t()); // {T, vocab}
}

// Max |dlogits| of the reference on `dir` vs `ours` [B, T, vocab], over every sequence of ids [B, T].
double referenceError(const fs::path& dir, const at::Tensor& ids, const at::Tensor& ours) {
    double err = 0;
    for (int64_t b = 0; b < ids.size(0); ++b)
        err = std::max(err, maxDiff(referenceLogits(dir, ids[b]), ours[b]));
    return err;
}

fs::path exportTo(const model::Model& m, const std::string& name, convert::ExportTarget target,
                  const std::string& dtype, bool legacy = false) {
    convert::ExportOptions eo;
    eo.target = target;
    eo.dtype = dtype;
    eo.overwrite = true;
    eo.legacyHalfSplitRope = legacy;
    const fs::path out = test::outputDir() / name;
    convert::exportDeepseekV3(m, out, eo);
    return out;
}

template <class F> QString refusal(F&& f) {
    try {
        f();
    } catch (const ArgumentError& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

} // namespace

class TestExport : public QObject {
    Q_OBJECT
private slots:
    void init() { at::manual_seed(0); }

    void servingExportFollowsEngineConventions_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("rank");
        QTest::newRow("tiny-llama-gqa (untied, r_R 32)") << QStringLiteral("tiny-llama-gqa") << 48;
        QTest::newRow("stories260K (tied, r_R 8)") << QStringLiteral("stories260K") << 24;
    }
    // The serving export (padded to 512 + 64, interleaved RoPE, own lm_head) computed the engines' way
    // gives our engine's logits on the converted model; so do the transformers-target export and our
    // loader on every layout, including the half-split one of older exports.
    void servingExportFollowsEngineConventions() {
        QFETCH(QString, model);
        QFETCH(int, rank);
        const fs::path dir = modelPath(model);
        TRANSMLA_REQUIRE_SHARED(dir);
        c10::InferenceMode guard;
        const at::Tensor ids = tokens(dir, 2, 40);
        const model::Model original = model::Model::load(dir);
        model::Model m = model::Model::load(dir);
        convert::ConvertSettings s;
        s.kvLoraRank = rank;
        s.latentNorm = convert::LatentNorm::Calibrated;
        convert::convertModel(m, s, tokens(dir, 16, 64));
        const at::Tensor ours = model::forwardLogits(m, ids);
        const std::string tag = model.toStdString();
        const fs::path serving = exportTo(m, "serving-f32-" + tag, convert::ExportTarget::Serving, "f32");
        const fs::path servingBf16 =
            exportTo(m, "serving-bf16-" + tag, convert::ExportTarget::Serving, "source");
        const fs::path hf =
            exportTo(m, "transformers-f32-" + tag, convert::ExportTarget::Transformers, "f32");
        const fs::path legacy =
            exportTo(m, "legacy-f32-" + tag, convert::ExportTarget::Transformers, "f32", true);

        const double eServing = referenceError(serving, ids, ours), eHf = referenceError(hf, ids, ours);
        const double eLoadServing = maxDiff(model::forwardLogits(model::Model::load(serving), ids), ours);
        const double eLoadHf = maxDiff(model::forwardLogits(model::Model::load(hf), ids), ours);
        const double eLoadLegacy = maxDiff(model::forwardLogits(model::Model::load(legacy), ids), ours);
        const at::Tensor oursBf16 = model::forwardLogits(model::Model::load(servingBf16), ids);
        const double eBf16 = referenceError(servingBf16, ids, oursBf16);
        // A half-split file read as interleaved pairs must give wrong logits, or the check above sees
        // nothing.
        const double eLegacyAsEngine = referenceError(legacy, ids, ours);
        qInfo("%s: reference(serving f32) %.3g, reference(transformers f32) %.3g; our loader: serving %.3g, "
              "transformers %.3g, legacy half-split %.3g; reference vs our loader on the bf16 serving file "
              "%.3g; "
              "bf16 serving vs f32 engine %.3g; conversion error vs the original %.3g; half-split read as "
              "GPT-J %.3g",
              tag.c_str(), eServing, eHf, eLoadServing, eLoadHf, eLoadLegacy, eBf16, maxDiff(oursBf16, ours),
              maxDiff(ours, model::forwardLogits(original, ids)), eLegacyAsEngine);
        QVERIFY(eServing <= 1e-4);
        QVERIFY(eHf <= 1e-4);
        QVERIFY(eLoadServing <= 1e-4 && eLoadHf <= 1e-4 && eLoadLegacy <= 1e-4);
        QVERIFY(eBf16 <= 1e-3);
        QVERIFY(eLegacyAsEngine > 1e-2);

        // What the engines read from config.json, against the source's own config.json.
        const json src = readJson(dir / "config.json"), c = readJson(servingBf16 / "config.json");
        QCOMPARE(c["kv_lora_rank"].get<int64_t>(), convert::kServingKvLoraRank);
        QCOMPARE(c["qk_rope_head_dim"].get<int64_t>(), convert::kServingRopeDim);
        QCOMPARE(c["rope_interleave"], json(true));
        QCOMPARE(readJson(hf / "config.json")["rope_interleave"], json(true));
        QCOMPARE(readJson(legacy / "config.json")["rope_interleave"], json(false));
        QCOMPARE(c["first_k_dense_replace"], src["num_hidden_layers"]);
        QVERIFY(c["moe_layer_freq"].is_number_integer() && c["n_routed_experts"].is_number_integer());
        QCOMPARE(c["tie_word_embeddings"], json(false));
        QCOMPARE(c["dtype"], json("bfloat16"));
        QCOMPARE(c["hidden_act"], json("silu"));
        for (const char* key : {"bos_token_id", "eos_token_id", "pad_token_id"})
            if (src.contains(key)) QCOMPARE(c[key], src[key]);
        const io::Checkpoint ck(servingBf16);
        QVERIFY(ck.has("lm_head.weight"));
        for (const auto& name : ck.names()) {
            QVERIFY2(name.find(".bias") == std::string::npos, name.c_str());
            QVERIFY2(ck.info(name).dtype == io::DType::BF16, name.c_str());
        }
        for (const char* f : {"tokenizer.json", "tokenizer_config.json", "generation_config.json"})
            QCOMPARE(fs::exists(servingBf16 / f), fs::exists(dir / f));
    }

    // Each source the engines cannot serve exactly is refused with its reason, and nothing is written.
    void servingRefusals() {
        const fs::path dir = modelPath(QStringLiteral("tiny-llama-gqa"));
        c10::InferenceMode guard;
        model::Model m = model::Model::load(dir);
        convert::ConvertSettings s;
        s.kvLoraRank = 32;
        s.latentNorm = convert::LatentNorm::Calibrated;
        convert::convertModel(m, s, tokens(dir, 8, 32));
        convert::ExportOptions eo;
        eo.target = convert::ExportTarget::Serving;
        eo.overwrite = true;
        const fs::path out = test::outputDir() / "serving-refused";
        fs::remove_all(out);
        auto tryExport = [&] { return refusal([&] { convert::exportDeepseekV3(m, out, eo); }); };

        QVERIFY(refusal([&] {
                    convert::StreamedExport(m, out, eo, 600);
                }).contains(QStringLiteral("exceeds 512")));
        m.config.activation = io::Activation::GeluTanh;
        QVERIFY(tryExport().contains(QStringLiteral("SiLU")));
        m.config.activation = io::Activation::Silu;
        m.config.ropeScaling.type = "llama3";
        QVERIFY(tryExport().contains(QStringLiteral("llama3")));
        m.config.ropeScaling.type = "default";
        eo.dtype = "f16";
        QVERIFY(tryExport().contains(QStringLiteral("bf16")));
        eo.dtype = "source";
        at::Tensor& bias = m.layers[1].mla->kvA.bias;
        bias = at::full({m.layers[1].mla->kvA.weight.size(0)}, 0.5, m.layers[1].mla->kvA.weight.options());
        QVERIFY(
            tryExport().contains(QStringLiteral("layer 1: the key/value or output projection has a bias")));
        bias = at::zeros_like(bias); // a zero bias is no bias: exported without it
        QVERIFY(tryExport().isEmpty());
        QVERIFY(!io::Checkpoint(out).has("model.layers.1.self_attn.kv_a_proj_with_mqa.bias"));
        fs::remove_all(out);
        // The exact merge keeps every key dim rotating: 2 heads x 16 planes share 16 frequencies,
        // which 32 distinct engine frequencies cannot hold.
        model::Model e = model::Model::load(dir);
        convert::ConvertSettings exact;
        exact.exact = true;
        exact.latentNorm = convert::LatentNorm::Calibrated;
        convert::convertModel(e, exact, tokens(dir, 8, 32));
        const QString why = refusal([&] { convert::exportDeepseekV3(e, out, eo); });
        qInfo("exact merge refused: %s", qPrintable(why));
        QVERIFY(why.contains(QStringLiteral("RoPE plane")));
        QVERIFY(!fs::exists(out));
    }
};

} // namespace tst_export

TRANSMLA_TEST_MAIN(tst_export, tst_export::TestExport)
#include "tst_export.moc"
