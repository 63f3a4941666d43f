// The q/k-norm families (Qwen3, Gemma-3) converted (convert/qk_norm.h), on the trained models shipped in
// tests/data/models (fp32, CPU). Tolerances: max |logits - original engine logits| <= 1e-4 where the math
// is exact (the exact merge; absorbed vs expanded form); loss non-increasing in r up to 1e-4.
#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "convert/calibration.h"
#include "convert/export.h"
#include "convert/pipeline.h"
#include "convert/qk_norm.h"
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
namespace tst_qk_norm {

using namespace transmla;
namespace fs = std::filesystem;

namespace {
fs::path modelDir(const QString& name) {
    return test::referenceModel(name.toStdString());
}
using test::cachedLogits;
using test::calibIds;
using test::maxDiff;
using test::referenceIds;
void addModelRows() {
    QTest::addColumn<QString>("model");
    for (const char* m : {"tiny-qwen3-gqa", "tiny-gemma3-gqa"})
        QTest::newRow(m) << QString::fromLatin1(m);
}
} // namespace

class TestQkNorm : public QObject {
    Q_OBJECT
private slots:
    void init() { at::manual_seed(0); }

    // The exact merge (all key dims keep RoPE, no truncation) of the normalised keys: same logits, same
    // cache size, and the cached decoding over the latent equals the full forward.
    void exactMergeKeepsLogits_data() { addModelRows(); }
    void exactMergeKeepsLogits() {
        QFETCH(QString, model);
        const fs::path dir = modelDir(model);
        TRANSMLA_REQUIRE_SHARED(dir / "reference");
        c10::InferenceMode guard;
        const at::Tensor ids = referenceIds(dir);
        const model::Model original = model::Model::load(dir);
        model::Model m = model::Model::load(dir);
        convert::ConvertSettings s;
        s.exact = true;
        const auto rep = convert::convertModel(m, s, {});
        QVERIFY(m.layers[0].mla && m.layers[0].mla->normedInput());
        const at::Tensor expanded = model::forwardLogits(m, ids);
        const double err = maxDiff(expanded, model::forwardLogits(original, ids));
        model::KvCache cache = model::allocateCache(m, ids.size(0), ids.size(1));
        const double errCached = maxDiff(cachedLogits(m, ids, cache), expanded);
        qInfo("%s exact merge: max |dlogits| = %.3g, absorbed vs expanded %.3g, KV bytes/token %lld -> %lld",
              qPrintable(model), err, errCached, (long long)rep.kvBytesPerTokenBefore,
              (long long)rep.kvBytesPerTokenAfter);
        QVERIFY2(err <= 1e-4, qPrintable(QString::number(err)));
        QVERIFY2(errCached <= 1e-4, qPrintable(QString::number(errCached)));
        QCOMPARE(rep.kvBytesPerTokenAfter, rep.kvBytesPerTokenBefore);
        // The cache holds 2*g*d values per token and layer: the budget formula, no extra scalars.
        QCOMPARE(cache.bytesPerToken(), m.config.numLayers * 2 * m.config.numKvHeads * m.config.headDim * 4);
    }

    // RoRoPE (f = 1, every dim keeps RoPE) on the normalised keys' statistics is a pure rotation: exact
    // (fp64 compute: only the math is tested).
    void roRopeOnNormalisedKeysIsExact_data() { addModelRows(); }
    void roRopeOnNormalisedKeysIsExact() {
        QFETCH(QString, model);
        const fs::path dir = modelDir(model);
        TRANSMLA_REQUIRE_SHARED(dir / "reference");
        c10::InferenceMode guard;
        const at::Tensor ids = referenceIds(dir);
        const model::Model original = model::Model::load(dir, {"cpu", "f64"});
        model::Model m = model::Model::load(dir, {"cpu", "f64"});
        convert::ConvertSettings s;
        s.qkRopeHeadDim = m.config.numKvHeads * m.config.headDim;
        s.freqFold = 1;
        s.jointPca = false;
        s.balanceKv = false;
        convert::convertModel(m, s, calibIds(dir, 8, 32));
        const double err = maxDiff(model::forwardLogits(m, ids), model::forwardLogits(original, ids));
        qInfo("%s RoRoPE f=1 all rope (fp64): max |dlogits| = %.3g", qPrintable(model), err);
        QVERIFY2(err <= 1e-4, qPrintable(QString::number(err)));
    }

    // Compressed: GSM8K loss non-increasing in r (25%, 50%, full of 2*g*d - r_R, one calibration,
    // re-truncated), and at 50% the absorbed form over the latent cache equals the expanded form, whose
    // cache is the budget formula's r + r_R per token and layer.
    void compressedRanks_data() { addModelRows(); }
    void compressedRanks() {
        QFETCH(QString, model);
        const fs::path dir = modelDir(model);
        TRANSMLA_REQUIRE_SHARED(dir / "reference");
        c10::InferenceMode guard;
        const auto tokenizer = tok::Tokenizer::load(dir);
        const auto docs = eval::tokenizeGsm8k(
            tokenizer, io::loadGsm8k(test::resourcesDir() / "data" / "gsm8k" / "test.jsonl", 40), 512);
        const model::Model original = model::Model::load(dir);
        model::Model m = model::Model::load(dir);
        convert::ConvertSettings s;
        convert::ConversionCache cache;
        const auto full = convert::convertModel(m, s, calibIds(dir, 16, 128), {}, {}, &cache);
        const int64_t rFull = full.maxRank;
        double previous = 1e9;
        for (int64_t r : {rFull / 4, rFull / 2, rFull}) {
            const auto rep = convert::reassembleAtRank(m, original, cache, r);
            const double nll = eval::evaluateLoss(m, docs).meanNll();
            qInfo("%s r = %lld (r_R %lld): mean NLL %.5f", qPrintable(model), (long long)r,
                  (long long)rep.ropeDim, nll);
            QVERIFY2(nll <= previous + 1e-4, "loss increased with the rank");
            previous = nll;
        }
        convert::reassembleAtRank(m, original, cache, rFull / 2);
        const at::Tensor ids = referenceIds(dir);
        model::KvCache kv = model::allocateCache(m, ids.size(0), ids.size(1));
        const double err = maxDiff(cachedLogits(m, ids, kv), model::forwardLogits(m, ids));
        qInfo("%s r = %lld: absorbed vs expanded max |dlogits| = %.3g", qPrintable(model),
              (long long)(rFull / 2), err);
        QVERIFY2(err <= 1e-4, qPrintable(QString::number(err)));
        QCOMPARE(kv.bytesPerToken(), m.config.kvCacheBytesPerToken(4));
        QCOMPARE(m.config.kvCacheBytesPerToken(4),
                 m.config.numLayers * (rFull / 2 + m.config.qkRopeHeadDim) * 4);
    }

    // The exact form has no DeepSeek-V3 export: refused with the reason, nothing written. The folded
    // approximation (Qwen3) exports, labelled, and reloads to the logits of the in-memory model; Gemma-3
    // stays refused for its block.
    void exportRefusedOrLabelledApproximation() {
        const fs::path dir = modelDir(QStringLiteral("tiny-qwen3-gqa"));
        TRANSMLA_REQUIRE_SHARED(dir / "reference");
        c10::InferenceMode guard;
        const at::Tensor ids = referenceIds(dir), calib = calibIds(dir, 16, 128);
        convert::ExportOptions eo;
        eo.dtype = "f32";
        eo.overwrite = true;
        const fs::path out = test::outputDir() / "export-qwen3";
        fs::remove_all(out);
        convert::ConvertSettings s;
        s.kvLoraRank = 48;
        s.latentNorm = convert::LatentNorm::Calibrated;
        model::Model exact = model::Model::load(dir);
        convert::convertModel(exact, s, calib);
        try {
            convert::exportDeepseekV3(exact, out, eo);
            QFAIL("exported a model with q/k norms");
        } catch (const SettingError& e) { // names the setting that makes it exportable (the CLI: its flag)
            QCOMPARE(e.setting(), std::string(convert::setting::kFoldQkNorm));
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("query/key RMSNorm")), e.what());
            QVERIFY2(!QString::fromUtf8(e.what()).contains(QStringLiteral("--")), e.what());
        }
        QVERIFY(!fs::exists(out));

        const model::Model original = model::Model::load(dir);
        model::Model folded = model::Model::load(dir);
        const auto fold = convert::foldQkNorms(folded, calib);
        QVERIFY(!convert::hasQkNorm(folded.layers[0]));
        // Dropping the per-token scale changes the model (the price of stock-loader compatibility).
        const double foldErr =
            maxDiff(model::forwardLogits(folded, ids), model::forwardLogits(original, ids));
        qInfo("folded q/k norms: mean relative head error %.3g, max |dlogits| %.3g", fold.meanRelativeError,
              foldErr);
        QVERIFY(foldErr > 1e-3);
        convert::convertModel(folded, s, calib);
        QVERIFY(convert::qkNormsFolded(folded));
        convert::exportDeepseekV3(folded, out, eo);
        const auto config = nlohmann::json::parse(test::readFile(out / "config.json"));
        QVERIFY(config["transmla"].contains("approximation"));
        const model::Model back = model::Model::load(out);
        QCOMPARE(back.config.modelType, std::string("deepseek_v3"));
        const double err = maxDiff(model::forwardLogits(back, ids), model::forwardLogits(folded, ids));
        qInfo("folded approximation export round trip: max |dlogits| = %.3g", err);
        QVERIFY(err <= 1e-4);

        const fs::path gemma = modelDir(QStringLiteral("tiny-gemma3-gqa"));
        model::Model gm = model::Model::load(gemma);
        convert::foldQkNorms(gm, calib);
        convert::convertModel(gm, s, calib);
        try {
            convert::exportDeepseekV3(gm, test::outputDir() / "export-gemma3", eo);
            QFAIL("exported Gemma-3");
        } catch (const ArgumentError& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("gemma3_text")), e.what());
        }
        QVERIFY(!fs::exists(test::outputDir() / "export-gemma3"));
    }
};

} // namespace tst_qk_norm

TRANSMLA_TEST_MAIN(tst_qk_norm, tst_qk_norm::TestQkNorm)
#include "tst_qk_norm.moc"
