// The TransMLA conversion's exactness properties, each step alone, on the ../shared models
// (fp32, CPU). Tolerance: max |logits - original engine logits| <= 1e-4 where the math is exact.
#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "convert/calibration.h"
#include "convert/export.h"
#include "convert/pipeline.h"
#include "core/reference_ids.h"
#include "eval/loss.h"
#include "io/datasets.h"
#include "io/safetensors.h"
#include "model/forward.h"
#include "model/kv_cache.h"
#include "testutil.h"
#include "tokenizer/tokenizer.h"
#include "util/error.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_convert {

using namespace transmla;
namespace fs = std::filesystem;

namespace {
fs::path modelDir(const QString& name) {
    return test::sharedDir() / "models" / name.toStdString();
}

using test::maxDiff;
using test::referenceIds;

at::Tensor calibIds(const fs::path& dir, int64_t samples = 16, int64_t seqLen = 64) {
    return test::calibIds(dir, samples, seqLen);
}

// The export tests' conversion: rank 48 with the latent norm DeepSeek-V3 needs.
convert::ConvertSettings exportSettings() {
    convert::ConvertSettings s;
    s.kvLoraRank = 48;
    s.latentNorm = convert::LatentNorm::Calibrated;
    return s;
}

// Empty when the checkpoints in a and b hold the same tensor names and values bit for bit, else the first
// tensor that differs (or "names").
std::string firstDifferentTensor(const fs::path& a, const fs::path& b) {
    const io::Checkpoint ca(a), cb(b);
    if (ca.names() != cb.names()) return "names";
    for (const auto& name : ca.names()) {
        const at::Tensor x = ca.view(name), y = cb.view(name);
        if (x.sizes() != y.sizes() || !at::equal(x, y)) return name;
    }
    return {};
}

// Converts a fresh copy of the model and returns max |logits - original logits| on the reference ids.
double convertedError(const fs::path& dir, convert::ConvertSettings s, const at::Tensor& calib,
                      convert::ConvertReport* report = nullptr, const std::string& dtype = "f32") {
    const at::Tensor ids = referenceIds(dir);
    const model::Model original = model::Model::load(dir, {"cpu", dtype});
    model::Model m = model::Model::load(dir, {"cpu", dtype});
    auto r = convert::convertModel(m, s, calib);
    if (report) *report = r;
    return maxDiff(model::forwardLogits(m, ids), model::forwardLogits(original, ids));
}

void addModelRows() {
    QTest::addColumn<QString>("model");
    for (const char* m : {"tiny-llama-gqa", "tiny-qwen2-gqa", "fixture-mistral-swa", "fixture-gemma2",
                          "fixture-phi3", "fixture-mixtral", "stories260K"})
        QTest::newRow(m) << QString::fromLatin1(m);
}
} // namespace

class TestConvert : public QObject {
    Q_OBJECT
private slots:
    void init() { at::manual_seed(0); }

    void exactMergeKeepsLogits_data() { addModelRows(); }
    void exactMergeKeepsLogits() {
        QFETCH(QString, model);
        TRANSMLA_REQUIRE_SHARED(modelDir(model) / "reference");
        c10::InferenceMode guard;
        convert::ConvertSettings s;
        s.exact = true;
        convert::ConvertReport rep;
        const double err = convertedError(modelDir(model), s, {}, &rep);
        qInfo("%s exact merge: max |dlogits| = %.3g, KV bytes/token %lld -> %lld", qPrintable(model), err,
              (long long)rep.kvBytesPerTokenBefore, (long long)rep.kvBytesPerTokenAfter);
        QVERIFY2(err <= 1e-4, qPrintable(QString::number(err)));
        QCOMPARE(rep.kvBytesPerTokenAfter, rep.kvBytesPerTokenBefore); // same cache size
    }

    // RoRoPE with f = 1 keeping RoPE on every latent dim is a pure rotation: exact. Checked in fp64
    // compute, where only the math is tested: in fp32 the rounding of the head-mixed weights alone
    // reaches ~1e-4 on stories260K, whose logits span about +-20.
    void roRopeAllRopeIsExact_data() { addModelRows(); }
    void roRopeAllRopeIsExact() {
        QFETCH(QString, model);
        TRANSMLA_REQUIRE_SHARED(modelDir(model) / "reference");
        c10::InferenceMode guard;
        const auto cfg = io::loadModelConfig(modelDir(model));
        convert::ConvertSettings s;
        s.qkRopeHeadDim = cfg.numKvHeads * cfg.headDim;
        s.freqFold = 1;
        s.jointPca = false;
        s.balanceKv = false;
        const double err =
            convertedError(modelDir(model), s, calibIds(modelDir(model), 8, 32), nullptr, "f64");
        qInfo("%s RoRoPE f=1, all rope (fp64): max |dlogits| = %.3g", qPrintable(model), err);
        QVERIFY2(err <= 1e-4, qPrintable(QString::number(err)));
    }

    // Balanced-KV scaling alone (partial RoPE, no truncation): alpha on vs off gives the same model.
    void balanceKvAloneIsExact() {
        const fs::path dir = modelDir(QStringLiteral("tiny-llama-gqa"));
        TRANSMLA_REQUIRE_SHARED(dir);
        c10::InferenceMode guard;
        const at::Tensor calib = calibIds(dir), ids = referenceIds(dir);
        convert::ConvertSettings s;
        s.jointPca = false;
        model::Model a = model::Model::load(dir), b = model::Model::load(dir);
        s.balanceKv = true;
        const auto ra = convert::convertModel(a, s, calib);
        s.balanceKv = false;
        convert::convertModel(b, s, calib);
        QVERIFY(std::abs(ra.layers[0].alpha - 1.0) > 1e-3); // the step did something
        const double err = maxDiff(model::forwardLogits(a, ids), model::forwardLogits(b, ids));
        qInfo("balanced KV alone (alpha[0] = %.4f): max |dlogits| = %.3g", ra.layers[0].alpha, err);
        QVERIFY(err <= 1e-4);
    }

    // Full rank (r = 2*g*d - r_R) equals the partial-RoPE model; absorbed and expanded MLA agree.
    void fullRankAndAbsorbedForm_data() { addModelRows(); }
    void fullRankAndAbsorbedForm() {
        QFETCH(QString, model);
        const fs::path dir = modelDir(model);
        TRANSMLA_REQUIRE_SHARED(dir / "reference");
        c10::InferenceMode guard;
        const at::Tensor calib = calibIds(dir, 8, 32), ids = referenceIds(dir);
        convert::ConvertSettings s;
        model::Model partial = model::Model::load(dir), full = model::Model::load(dir);
        s.jointPca = false;
        convert::convertModel(partial, s, calib);
        s.jointPca = true;
        const auto rep = convert::convertModel(full, s, calib);
        const int64_t g = full.config.numKvHeads, d = full.config.headDim;
        QCOMPARE(rep.layers[0].rank, 2 * g * d - rep.ropeDim);
        const at::Tensor expanded = model::forwardLogits(full, ids);
        const double errFull = maxDiff(expanded, model::forwardLogits(partial, ids));
        model::KvCache cache = model::allocateCache(full, ids.size(0), ids.size(1));
        // Prefill half, then the rest token by token, in the absorbed form over the latent cache.
        const double errAbsorbed = maxDiff(test::cachedLogits(full, ids, cache), expanded);
        qInfo("%s: full rank vs partial RoPE %.3g; absorbed vs expanded %.3g", qPrintable(model), errFull,
              errAbsorbed);
        QVERIFY2(errFull <= 1e-4, qPrintable(QString::number(errFull)));
        QVERIFY2(errAbsorbed <= 1e-4, qPrintable(QString::number(errAbsorbed)));
        // The latent cache holds r + r_R values per token and layer, nothing else.
        QCOMPARE(cache.bytesPerToken(), full.config.numLayers * (rep.maxRank + rep.ropeDim) * 4);
    }

    // The cache's batched RoPE tables of the MLA layers (one computation per forward) are each layer's own
    // ropeTablesOf tables bit for bit, at a prompt's positions and at a later step's.
    void mlaRopeTablesAreEachLayersOwn() {
        const fs::path dir = modelDir(QStringLiteral("tiny-llama-gqa"));
        TRANSMLA_REQUIRE_SHARED(dir);
        c10::InferenceMode guard;
        model::Model m = model::Model::load(dir);
        convert::ConvertSettings s;
        s.kvLoraRank = 16;
        s.qkRopeHeadDim = 8;
        convert::convertModel(m, s, calibIds(dir, 4, 32));
        // Every layer its own frequencies (a conversion may choose the same ones for all): a table taken from
        // the wrong layer's row would differ.
        for (int64_t l = 0; l < m.config.numLayers; ++l)
            m.layers[size_t(l)].mla->ropeInvFreq = m.layers[size_t(l)].mla->ropeInvFreq * float(1 + l) / 3.0f;
        model::KvCache cache = model::allocateCache(m, 1, 40);
        for (const int64_t length : {0, 33}) {
            cache.length = length;
            cache.layerRope = {};
            const int64_t Tn = length == 0 ? 7 : 1;
            for (int64_t l = 0; l < m.config.numLayers; ++l) {
                const at::Tensor& own = m.layers[size_t(l)].mla->ropeInvFreq;
                QVERIFY(own.defined());
                const model::RopeTables batched = cache.mlaRopeTables(m, l, Tn),
                                        single = cache.ropeTablesOf(own, Tn, 1.0);
                QVERIFY(at::equal(batched.cos, single.cos) && at::equal(batched.sin, single.sin));
                QCOMPARE(batched.cos.sizes(), (std::vector<int64_t>{Tn, 8}));
            }
        }
    }

    // GSM8K loss is non-increasing in the rank (first 100 test problems, allowing float noise).
    void lossMonotoneInRank() {
        const fs::path dir = modelDir(QStringLiteral("tiny-llama-gqa"));
        TRANSMLA_REQUIRE_SHARED(dir);
        c10::InferenceMode guard;
        const auto tokenizer = tok::Tokenizer::load(dir);
        const auto docs = eval::tokenizeGsm8k(
            tokenizer, io::loadGsm8k(test::resourcesDir() / "data" / "gsm8k" / "test.jsonl", 100), 512);
        const at::Tensor calib = calibIds(dir, 32, 128);
        double previous = 1e9;
        for (int64_t r : {12, 24, 48, 96}) {
            model::Model m = model::Model::load(dir);
            convert::ConvertSettings s;
            s.kvLoraRank = r;
            convert::convertModel(m, s, calib);
            const double nll = eval::evaluateLoss(m, docs).meanNll();
            qInfo("r = %lld: mean NLL %.5f", (long long)r, nll);
            QVERIFY2(nll <= previous + 1e-4, "loss increased with the rank");
            previous = nll;
        }
    }

    // A DeepSeek-V3 export reloads (as model_type deepseek_v3) to the same logits as the in-memory
    // converted model; what the format cannot hold is refused before anything is written.
    void exportRoundTrip() {
        const fs::path dir = modelDir(QStringLiteral("tiny-llama-gqa"));
        TRANSMLA_REQUIRE_SHARED(dir);
        c10::InferenceMode guard;
        const at::Tensor ids = referenceIds(dir);
        model::Model m = model::Model::load(dir);
        convert::ConvertSettings s;
        s.energy = 0.95; // per-layer ranks: exercises the zero padding to the largest rank
        convert::ExportOptions eo;
        eo.dtype = "f32";
        eo.overwrite = true;
        const fs::path out = test::outputDir() / "export-llama";
        fs::remove_all(out);
        convert::convertModel(m, s, calibIds(dir));
        QVERIFY_THROWS_EXCEPTION(ArgumentError, convert::exportDeepseekV3(m, out, eo)); // no latent norm
        QVERIFY(!fs::exists(out));
        model::Model n = model::Model::load(dir);
        s.latentNorm = convert::LatentNorm::Calibrated;
        const auto rep = convert::convertModel(n, s, calibIds(dir));
        QVERIFY(rep.layers[0].rank != rep.layers[3].rank || rep.layers[1].rank != rep.layers[2].rank);
        convert::exportDeepseekV3(n, out, eo);
        const model::Model back = model::Model::load(out);
        QCOMPARE(back.config.modelType, std::string("deepseek_v3"));
        QCOMPARE(back.config.kvLoraRank, rep.maxRank);
        const double err = maxDiff(model::forwardLogits(back, ids), model::forwardLogits(n, ids));
        qInfo("export round trip (ranks %lld..%lld padded to %lld): max |dlogits| = %.3g",
              (long long)rep.layers[3].rank, (long long)rep.layers[0].rank, (long long)rep.maxRank, err);
        QVERIFY(err <= 1e-4);
        QVERIFY(fs::exists(out / "tokenizer.json"));
        // Without --force an existing folder is kept as it was.
        eo.overwrite = false;
        QVERIFY_THROWS_EXCEPTION(Error, convert::exportDeepseekV3(n, out, eo));
        QVERIFY(fs::exists(out / "model.safetensors"));
        // Gemma-2 has no DeepSeek-V3 form.
        const fs::path gemma = modelDir(QStringLiteral("fixture-gemma2"));
        model::Model gm = model::Model::load(gemma);
        convert::ConvertSettings gs;
        gs.exact = true;
        convert::convertModel(gm, gs, {});
        try {
            convert::exportDeepseekV3(gm, test::outputDir() / "export-gemma", eo);
            QFAIL("exported Gemma-2");
        } catch (const ArgumentError& e) {
            QVERIFY(QString::fromUtf8(e.what()).contains(QStringLiteral("gemma2")));
        }
        QVERIFY(!fs::exists(test::outputDir() / "export-gemma"));
    }

    // A bf16 conversion packed as on CUDA (model.h packProjections: the query split into nope and rope rows
    // with the fitted map, kv_b once per kv group) exports the same tensors, bit for bit, as before packing.
    void splitQueryExportsTheSameTensors() {
        c10::InferenceMode guard;
        const fs::path dir = test::resourcesDir() / "models" / "tiny-llama-gqa";
        const convert::ConvertSettings s = exportSettings();
        convert::ExportOptions eo;
        eo.dtype = "bf16";
        eo.overwrite = true;
        const fs::path unsplit = test::outputDir() / "export-unsplit",
                       split = test::outputDir() / "export-split";
        model::Model m = model::Model::load(dir, {"cpu", "bf16"});
        convert::convertModel(m, s, calibIds(dir, 8, 64));
        convert::exportDeepseekV3(m, unsplit, eo);
        for (model::Layer& L : m.layers) {
            model::packProjections(L, /*onCpuToo=*/true);
            QVERIFY(L.mla->qRope.defined());
            QCOMPARE(model::mlaKvBHeads(*L.mla), m.config.numKvHeads);
        }
        convert::exportDeepseekV3(m, split, eo);
        const std::string differs = firstDifferentTensor(unsplit, split);
        QVERIFY2(differs.empty(), differs.c_str());
    }

    // The streamed conversion (one resident layer, one shard per layer written as it is converted)
    // writes the same tensors as the whole-model conversion + export, bit for bit on the CPU.
    void streamedExportEqualsInMemory() {
        c10::InferenceMode guard;
        const fs::path dir = test::resourcesDir() / "models" / "tiny-llama-gqa";
        const convert::ConvertSettings s = exportSettings();
        const at::Tensor calib = calibIds(dir, 16, 64);
        convert::ExportOptions eo;
        eo.dtype = "f32";
        eo.overwrite = true;
        const fs::path whole = test::outputDir() / "export-whole",
                       streamed = test::outputDir() / "export-streamed";
        fs::remove_all(whole);
        fs::remove_all(streamed);
        model::Model a = model::Model::load(dir);
        const auto repA = convert::convertModel(a, s, calib);
        eo.conversionReport = repA.toJson();
        convert::exportDeepseekV3(a, whole, eo);

        model::LoadOptions lo;
        lo.streamLayers = true;
        model::Model b = model::Model::load(dir, lo);
        QVERIFY(b.streamed());
        QVERIFY_THROWS_EXCEPTION(ArgumentError, model::forwardLogits(b, calib.narrow(0, 0, 1)));
        int64_t maxResident = 0;
        {
            convert::StreamedExport ex(b, streamed, eo, 48);
            const auto repB = convert::convertModel(
                b, s, calib, {}, [&](int64_t layer, const model::Model& m, const convert::LayerReport&) {
                    int64_t resident = 0;
                    for (const auto& L : m.layers)
                        resident += L.mlp.down.defined() ? 1 : 0;
                    maxResident = std::max(maxResident, resident);
                    ex.writeLayer(layer);
                });
            QCOMPARE(repB.maxRank, repA.maxRank);
            ex.finish(repB.toJson());
        }
        QCOMPARE(maxResident, int64_t(1));
        for (const auto& L : b.layers)
            QVERIFY(!L.mlp.down.defined()); // all released again
        const std::string differs = firstDifferentTensor(whole, streamed);
        QVERIFY2(differs.empty(), differs.c_str());
        const io::Checkpoint ca(whole);
        QVERIFY(fs::exists(streamed / "model.safetensors.index.json"));
        QVERIFY(fs::exists(streamed / "model-00006-of-00006.safetensors"));
        const at::Tensor ids = calib.narrow(0, 0, 2);
        const double err =
            maxDiff(model::forwardLogits(model::Model::load(streamed), ids), model::forwardLogits(a, ids));
        qInfo("streamed vs whole export: %zu tensors identical; max |dlogits| = %.3g", ca.names().size(),
              err);
        QCOMPARE(err, 0.0);
    }

    // Cancel or failure in the middle of a streamed conversion leaves no output and no temporary.
    void streamedExportCancelLeavesNothing() {
        c10::InferenceMode guard;
        const fs::path dir = test::resourcesDir() / "models" / "tiny-llama-gqa";
        const fs::path out = test::outputDir() / "export-cancelled";
        fs::remove_all(out);
        convert::ConvertSettings s;
        s.kvLoraRank = 48;
        s.latentNorm = convert::LatentNorm::Calibrated;
        model::LoadOptions lo;
        lo.streamLayers = true;
        model::Model m = model::Model::load(dir, lo);
        CancelToken cancel;
        Progress progress{[&](int64_t done, int64_t, const std::string& stage) {
                              if (stage == "convert" && done == 2)
                                  cancel.cancel(); // after two layers are written
                          },
                          &cancel};
        {
            convert::StreamedExport ex(m, out, {}, 48);
            QVERIFY_THROWS_EXCEPTION(
                Cancelled, convert::convertModel(m, s, calibIds(dir, 16, 64), progress,
                                                 [&](int64_t layer, const model::Model&,
                                                     const convert::LayerReport&) { ex.writeLayer(layer); }));
        }
        QVERIFY(!fs::exists(out));
        for (const auto& e : fs::directory_iterator(test::outputDir()))
            QVERIFY2(e.path().filename().string().find("export-cancelled") == std::string::npos,
                     e.path().c_str());
    }

    void rejectsBadSettings_data() {
        QTest::addColumn<qlonglong>("rank");
        QTest::addColumn<qlonglong>("ropeDim");
        QTest::addColumn<QString>("expected");
        QTest::newRow("r = 0") << 0LL << 32LL
                               << QStringLiteral("kv_lora_rank 0: must be in [1, 2*g*d - r_R = 96]");
        QTest::newRow("r too large") << 97LL << 32LL << QStringLiteral("kv_lora_rank 97");
        QTest::newRow("odd r_R") << 16LL << 31LL
                                 << QStringLiteral("qk_rope_head_dim 31: must be positive and even");
        QTest::newRow("r_R > d") << 16LL << 34LL
                                 << QStringLiteral("qk_rope_head_dim 34: at most head_dim = 32");
    }
    void rejectsBadSettings() {
        QFETCH(qlonglong, rank);
        QFETCH(qlonglong, ropeDim);
        QFETCH(QString, expected);
        model::Model m = model::Model::load(test::resourcesDir() / "models" / "tiny-llama-gqa");
        convert::ConvertSettings s;
        s.kvLoraRank = rank;
        s.qkRopeHeadDim = ropeDim;
        try {
            convert::convertModel(m, s, at::zeros({1, 2}, at::kLong));
            QFAIL("accepted bad settings");
        } catch (const ArgumentError& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(expected), e.what());
        }
        QVERIFY(!m.layers[0].mla); // nothing was converted
    }
};

} // namespace tst_convert

TRANSMLA_TEST_MAIN(tst_convert, tst_convert::TestConvert)
#include "tst_convert.moc"
