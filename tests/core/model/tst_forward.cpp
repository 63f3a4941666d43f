// The forward pass against transformers 5.17 (fp32, eager) on every model in ../shared/models:
// max |logits - reference| <= 2e-4.
#include <filesystem>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "convert/pipeline.h"
#include "core/reference_ids.h"
#include "io/safetensors.h"
#include "model/forward.h"
#include "model/kv_cache.h"
#include "model/modules.h"
#include "testutil.h"
#include "util/error.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_forward {

using namespace transmla;

// Every reference model of ../shared/models: one of each family (sliding windows, soft-capping, sandwich
// norms, MoE, q/k norms).
constexpr const char* kModels[] = {"tiny-llama-gqa", "tiny-qwen2-gqa", "fixture-mistral-swa",
                                   "fixture-gemma2", "fixture-phi3",   "fixture-mixtral",
                                   "stories260K",    "tiny-qwen3-gqa", "tiny-gemma3-gqa"};

// The reference model in dir, fp32 on the CPU; with mla, converted exactly to MLA.
model::Model loadF32(const std::filesystem::path& dir, bool mla) {
    model::Model m = model::Model::load(dir, {"cpu", "f32"});
    if (mla) {
        convert::ConvertSettings s;
        s.exact = true;
        convert::convertModel(m, s, {});
    }
    return m;
}

class TestForward : public QObject {
    Q_OBJECT
private slots:
    void logitsMatchTransformers_data() {
        QTest::addColumn<QString>("model");
        for (const char* m : kModels)
            QTest::newRow(m) << QString::fromLatin1(m);
    }
    void logitsMatchTransformers() {
        QFETCH(QString, model);
        const auto dir = test::referenceModel(model.toStdString());
        const auto ref = dir / "reference" / "logits_fp32.safetensors";
        TRANSMLA_REQUIRE_SHARED(ref);
        c10::InferenceMode guard;
        const model::Model m = model::Model::load(dir, {"cpu", "f32"});
        io::SafetensorsFile refs(ref);
        const at::Tensor ids = refs.view("input_ids");
        const at::Tensor expected = refs.view("logits");
        const at::Tensor logits = model::forwardLogits(m, ids);
        QCOMPARE(logits.sizes().vec(), expected.sizes().vec());
        const double maxErr = (logits - expected).abs().max().item<double>();
        qInfo("%s: max |logits - transformers| = %.3g over %lld values", qPrintable(model), maxErr,
              static_cast<long long>(expected.numel()));
        QVERIFY2(maxErr <= 2e-4, qPrintable(QStringLiteral("max abs error %1 > 2e-4").arg(maxErr)));
    }

    // The attention-probability hook: rows sum to 1, causal (nothing above the diagonal).
    // Generation with the KV cache (prefill half, then one token at a time) gives the logits of the
    // full forward pass: sliding windows, soft-capping, partial rotary and MoE included. Tolerance 1e-4.
    void cachedDecodingMatchesForward_data() { logitsMatchTransformers_data(); }
    void cachedDecodingMatchesForward() {
        QFETCH(QString, model);
        const auto dir = test::referenceModel(model.toStdString());
        const auto ref = dir / "reference" / "logits_fp32.safetensors";
        TRANSMLA_REQUIRE_SHARED(ref);
        c10::InferenceMode guard;
        const model::Model m = model::Model::load(dir, {"cpu", "f32"});
        const at::Tensor ids = test::referenceIds(dir);
        const int64_t T = ids.size(1);
        model::KvCache cache = model::allocateCache(m, ids.size(0), T);
        const double err = test::maxDiff(test::cachedLogits(m, ids, cache), model::forwardLogits(m, ids));
        qInfo("%s: cached decoding vs full forward, max |dlogits| = %.3g (T = %lld)", qPrintable(model), err,
              (long long)T);
        QVERIFY(err <= 1e-4);
        QCOMPARE(cache.bytes(), m.config.kvCacheBytesPerToken(4) * T * ids.size(0));
    }

    // A prompt into the cache (prefillCached) runs its last layer's attention output and MLP for the last
    // position only. Its logits are the full forward's last ones (1e-4), the cache it leaves is the one a
    // whole cached forward leaves, value for value, and so is a prompt in two chunks (the second attends over
    // the cache: MLA's absorbed form). Every family (sliding windows, soft-capping, sandwich norms, MoE) and
    // an MLA conversion.
    void prefillKeepsLastLogitsAndCache_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<bool>("mla");
        for (const char* m : kModels)
            QTest::newRow(m) << QString::fromLatin1(m) << false;
        QTest::newRow("tiny-llama-gqa as MLA") << QStringLiteral("tiny-llama-gqa") << true;
    }
    void prefillKeepsLastLogitsAndCache() {
        QFETCH(QString, model);
        QFETCH(bool, mla);
        const auto dir = test::referenceModel(model.toStdString());
        TRANSMLA_REQUIRE_SHARED(dir / "config.json");
        c10::InferenceMode guard;
        model::Model m = loadF32(dir, mla);
        const at::Tensor ids = test::referenceIds(dir);
        const int64_t B = ids.size(0), T = ids.size(1), half = T / 2;
        const at::Tensor lastFull = model::forwardLogits(m, ids).narrow(1, T - 1, 1);
        model::KvCache whole = model::allocateCache(m, B, T), once = model::allocateCache(m, B, T),
                       chunked = model::allocateCache(m, B, T);
        model::forwardCached(m, ids, whole); // every position through every layer
        const at::Tensor lastOnce = model::prefillCached(m, ids, once);
        model::prefillCached(m, ids.narrow(1, 0, half), chunked);
        const at::Tensor lastChunked = model::prefillCached(m, ids.narrow(1, half, T - half), chunked);
        QCOMPARE(lastOnce.sizes().vec(), (std::vector<int64_t>{B, 1, m.config.vocabSize}));
        const double errOnce = test::maxDiff(lastOnce, lastFull),
                     errChunked = test::maxDiff(lastChunked, lastFull);
        qInfo("%s%s: prefill's last logits vs the full forward %.3g (one prompt), %.3g (two chunks)",
              qPrintable(model), mla ? " (MLA)" : "", errOnce, errChunked);
        QVERIFY(errOnce <= 1e-4);
        QVERIFY(errChunked <= 1e-4);
        QCOMPARE(once.length, T);
        QCOMPARE(chunked.length, T);
        // One prompt: the same products as the whole forward, so the same values; two chunks: the second's
        // attention sums in another order (1e-5).
        double errCache = 0;
        for (size_t l = 0; l < whole.first.size(); ++l) {
            QVERIFY2(at::equal(once.first[l], whole.first[l]),
                     qPrintable(QStringLiteral("layer %1's keys differ").arg(l)));
            errCache = std::max(errCache, test::maxDiff(chunked.first[l], whole.first[l]));
            QCOMPARE(once.second[l].defined(), whole.second[l].defined());
            if (!whole.second[l].defined()) continue;
            QVERIFY2(at::equal(once.second[l], whole.second[l]),
                     qPrintable(QStringLiteral("layer %1's values differ").arg(l)));
            errCache = std::max(errCache, test::maxDiff(chunked.second[l], whole.second[l]));
        }
        QVERIFY2(errCache <= 1e-5, qPrintable(QString::number(errCache)));
    }

    // Packed projections (model.h packProjections): q | k | v, MLA's q | kv_a and gate | up run as one
    // product each and their outputs are column slices of it. The logits, full and cached, equal those of
    // separate products within 1e-5 (fp32: the same sums, blocked differently). fixture-phi3's checkpoint
    // stores qkv and gate_up fused: its loaded weights are packed already (so are both of its runs).
    void packedProjectionsKeepTheLogits_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<bool>("mla");
        QTest::newRow("tiny-llama-gqa") << "tiny-llama-gqa" << false;
        QTest::newRow("tiny-qwen2-gqa (biases)") << "tiny-qwen2-gqa" << false;
        QTest::newRow("tiny-qwen2-gqa as MLA") << "tiny-qwen2-gqa" << true;
        QTest::newRow("fixture-phi3") << "fixture-phi3" << false;
    }
    void packedProjectionsKeepTheLogits() {
        QFETCH(QString, model);
        QFETCH(bool, mla);
        const auto dir = test::referenceModel(model.toStdString());
        TRANSMLA_REQUIRE_SHARED(dir / "config.json");
        c10::InferenceMode guard;
        model::Model m = loadF32(dir, mla);
        const at::Tensor ids = test::referenceIds(dir);
        model::KvCache separate = model::allocateCache(m, ids.size(0), ids.size(1));
        const at::Tensor expected = test::cachedLogits(m, ids, separate);
        const at::Tensor forwardBefore = model::forwardLogits(m, ids);
        for (model::Layer& L : m.layers)
            model::packProjections(L, /*onCpuToo=*/true);
        const model::Layer& L0 = m.layers[0];
        if (mla)
            QVERIFY(model::packedLinears({&L0.mla->q, &L0.mla->kvA}));
        else
            QVERIFY(model::packedLinears({&L0.gqa.q, &L0.gqa.k, &L0.gqa.v}));
        QVERIFY(model::packedLinears({&L0.mlp.gate, &L0.mlp.up}));
        const double errForward = test::maxDiff(model::forwardLogits(m, ids), forwardBefore);
        model::KvCache packed = model::allocateCache(m, ids.size(0), ids.size(1));
        const double errCached = test::maxDiff(test::cachedLogits(m, ids, packed), expected);
        qInfo("%s%s: packed vs separate products, max |dlogits| = %.3g (full), %.3g (cached)",
              qPrintable(model), mla ? " (MLA)" : "", errForward, errCached);
        QVERIFY(errForward <= 1e-4);
        QVERIFY(errCached <= 1e-4);
    }

    // A tokenizer that does not belong to the model yields ids >= vocab_size: a clear error on the
    // host instead of an out-of-range gather (on CUDA, a device-side assert that kills the context).
    void rejectsTokenIdsOutsideVocab() {
        const model::Model m = model::Model::load(test::resourcesDir() / "models" / "tiny-llama-gqa");
        for (int64_t bad : {m.config.vocabSize, int64_t(-1)}) {
            const at::Tensor ids = at::tensor(std::vector<int64_t>{1, 2, bad}, at::kLong).view({1, 3});
            try {
                model::forwardLogits(m, ids);
                QFAIL("no error");
            } catch (const FormatError& e) {
                const QString what = QString::fromUtf8(e.what());
                QVERIFY2(what.contains(QStringLiteral("config.json")) &&
                             what.contains(QStringLiteral("vocab_size")) &&
                             what.contains(QString::number(bad)),
                         e.what());
            }
        }
        QCOMPARE(
            model::forwardLogits(
                m, at::tensor(std::vector<int64_t>{1, 2, m.config.vocabSize - 1}, at::kLong).view({1, 3}))
                .size(1),
            int64_t(3));
    }

    void attentionProbabilitiesHook() {
        const auto dir = test::resourcesDir() / "models" / "tiny-llama-gqa";
        c10::InferenceMode guard;
        const model::Model m = model::Model::load(dir, {"cpu", "f32"});
        model::ForwardHooks hooks;
        hooks.probsLayer = 2;
        const at::Tensor ids = at::arange(1, 17, at::kLong).unsqueeze(0);
        model::forwardLogits(m, ids, &hooks);
        QVERIFY(hooks.probs.defined());
        QCOMPARE(hooks.probs.sizes().vec(), (std::vector<int64_t>{1, 8, 16, 16}));
        const double rowErr = (hooks.probs.sum(-1) - 1).abs().max().item<double>();
        QVERIFY(rowErr < 1e-5);
        QCOMPARE(hooks.probs.triu(1).abs().max().item<double>(), 0.0);
    }
};

} // namespace tst_forward

TRANSMLA_TEST_MAIN(tst_forward, tst_forward::TestForward)
#include "tst_forward.moc"
