// KV cache budgets: formulas against values worked out by hand for the demo model (4 layers, g = 2
// kv heads, d = 32), and against the byte size of real cache tensors (allocated, and the K/V the
// forward pass produces and the caches generation fills). Byte counts are integers: compared exactly.
#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "analysis/budget.h"
#include "io/model_config.h"
#include "model/forward.h"
#include "model/kv_cache.h"
#include "model/model.h"
#include "random_conversion.h"
#include "testutil.h"
#include "util/error.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_budget {

using namespace transmla;
using namespace transmla::analysis;

namespace {
std::filesystem::path demoDir() {
    return test::resourcesDir() / "models" / "tiny-llama-gqa";
}
} // namespace

class TestBudget : public QObject {
    Q_OBJECT
private slots:
    void handComputedDemoModel() {
        const io::ModelConfig c = io::loadModelConfig(demoDir());
        QCOMPARE(c.numLayers, int64_t(4));
        QCOMPARE(c.numKvHeads, int64_t(2));
        QCOMPARE(c.headDim, int64_t(32));
        // GQA: 2 * g * d = 128 elements per token and layer; bf16 -> 256 bytes; 4 layers -> 1024 bytes.
        const KvBudget gqa = gqaBudget(c, CacheDtype::BF16);
        QCOMPARE(gqa.elementsPerTokenPerLayer, int64_t(128));
        QCOMPARE(gqa.bytesPerTokenPerLayer(), int64_t(256));
        QCOMPARE(gqa.bytesPerToken(), int64_t(1024));
        QCOMPARE(gqa.bytesPerToken(), c.kvCacheBytesPerToken(2)); // the config's own formula agrees
        // The exact TransMLA form caches as much: latent 128 - r_R plus the rope key r_R.
        const KvBudget exact = mlaExactBudget(c, 16, CacheDtype::BF16);
        QCOMPARE(exact.bytesPerToken(), int64_t(1024));
        QCOMPARE(exact.kvLoraRank, int64_t(112));
        // Compressed r = 32, r_R = 16: 48 elements; bf16 96 B/layer, 384 B/token; fp8 48 / 192; f32 768.
        const KvBudget mla = mlaBudget(c, 32, 16, CacheDtype::BF16);
        QCOMPARE(mla.bytesPerTokenPerLayer(), int64_t(96));
        QCOMPARE(mla.bytesPerToken(), int64_t(384));
        QCOMPARE(mlaBudget(c, 32, 16, CacheDtype::FP8).bytesPerToken(), int64_t(192));
        QCOMPARE(mlaBudget(c, 32, 16, CacheDtype::F32).bytesPerToken(), int64_t(768));
        QCOMPARE(mla.ratioTo(gqa), 0.375);
        // Context x batch: 1024 B/token * 1000 tokens * 3 sequences.
        QCOMPARE(gqa.cacheBytes(1000, 3), int64_t(3072000));
    }

    void maxContextFitsBesideWeights() {
        const io::ModelConfig c = io::loadModelConfig(demoDir());
        const KvBudget gqa = gqaBudget(c, CacheDtype::BF16, /*weightsBytes=*/1000000000);
        const int64_t gpu24 = gpuPresets().front().bytes;
        QCOMPARE(gpu24, int64_t(24) << 30);
        // (24 GiB - 1e9 B) / 1024 B per token = 24189261.5 -> 24189261 tokens.
        QCOMPARE(gqa.maxContext(gpu24), int64_t(24189261));
        QVERIFY(gqa.cacheBytes(gqa.maxContext(gpu24, 2), 2) + gqa.weightsBytes <= gpu24);
        QVERIFY(gqa.cacheBytes(gqa.maxContext(gpu24, 2) + 1, 2) + gqa.weightsBytes > gpu24);
        QCOMPARE(gqaBudget(c, CacheDtype::BF16, int64_t(30) << 30).maxContext(gpu24), int64_t(0));
        QCOMPARE(int(gpuPresets().size()), 4);
    }

    // The cache the engine really allocates and fills while generating (GQA, then the same model
    // converted to MLA at rank 40 with r_R = 16) has exactly the formula's size.
    void generationCacheMatchesFormulas_data() {
        QTest::addColumn<QString>("dtype");
        for (const char* d : {"f32", "bf16"})
            QTest::newRow(d) << QString::fromLatin1(d);
    }
    void generationCacheMatchesFormulas() {
        QFETCH(QString, dtype);
        c10::InferenceMode guard;
        const CacheDtype t = parseCacheDtype(dtype.toStdString());
        model::Model m = model::Model::load(demoDir(), {"cpu", dtype.toStdString()});
        const int64_t B = 3, T0 = 5, steps = 12;
        const at::Tensor prompt = at::randint(0, m.config.vocabSize, {B, T0}, at::kLong);
        model::KvCache cache;
        QCOMPARE(model::generateGreedy(m, prompt, steps, &cache).size(1), T0 + steps);
        QCOMPARE(cache.length, T0 + steps - 1); // the last generated token is not yet cached
        QCOMPARE(cache.bytes(), gqaBudget(m.config, t).cacheBytes(T0 + steps, B));
        test::convertOnRandomIds(m, 40, 16, 4, 32);
        model::KvCache latent;
        model::generateGreedy(m, prompt, steps, &latent);
        QCOMPARE(latent.first[0].sizes().vec(),
                 (std::vector<int64_t>{B, T0 + steps, 40 + 16})); // [latent | k_rope]
        QVERIFY(!latent.second[0].defined());
        QCOMPARE(latent.bytes(), mlaBudget(m.config, 40, 16, t).cacheBytes(T0 + steps, B));
    }

    // The K (after RoPE) and V the engine attends with are what a GQA cache stores.
    void engineKvMatchesGqaBudget() {
        c10::InferenceMode guard;
        const model::Model m = model::Model::load(demoDir(), {"cpu", "f32"});
        const int64_t B = 2, T = 9;
        int64_t bytes = 0, layers = 0;
        model::ForwardHooks hooks;
        hooks.onKv = [&](int64_t, const at::Tensor&, const at::Tensor& k, const at::Tensor& v) {
            bytes += k.to(at::kBFloat16).nbytes() + v.to(at::kBFloat16).nbytes();
            ++layers;
        };
        model::forwardHidden(m, at::randint(0, m.config.vocabSize, {B, T}, at::kLong), &hooks);
        QCOMPARE(layers, m.config.numLayers);
        QCOMPARE(bytes, gqaBudget(m.config, CacheDtype::BF16).cacheBytes(T, B));
    }

    void rejectsBadInput() {
        const io::ModelConfig c = io::loadModelConfig(demoDir());
        QVERIFY_THROWS_EXCEPTION(ArgumentError, mlaBudget(c, 0, 16, CacheDtype::BF16));
        QVERIFY_THROWS_EXCEPTION(ArgumentError, mlaBudget(c, 32, 33, CacheDtype::BF16)); // r_R > head_dim
        QVERIFY_THROWS_EXCEPTION(ArgumentError, parseCacheDtype("int3"));
        QCOMPARE(cacheDtypeName(parseCacheDtype("fp16")), std::string("f16"));
    }
};

} // namespace tst_budget

TRANSMLA_TEST_MAIN(tst_budget, tst_budget::TestBudget)
#include "tst_budget.moc"
