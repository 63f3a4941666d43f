// The forward pass against transformers 5.17 (fp32, eager) on every model in ../shared/models:
// max |logits - reference| <= 2e-4.
#include <filesystem>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "convert/pipeline.h"
#include "core/reference_ids.h"
#include "io/safetensors.h"
#include "kernels/decode_attention_launch.h"
#include "model/decode_step.h"
#include "model/forward.h"
#include "model/kv_cache.h"
#include "model/modules.h"
#include "random_conversion.h"
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

// An MLA layer of these widths with no weights yet (the packing tests set the ones they need).
model::Layer mlaLayer(int64_t dn, int64_t rR, int64_t dv, int64_t r) {
    model::Layer L;
    L.mla.emplace();
    L.mla->nopeDim = dn;
    L.mla->ropeDim = rR;
    L.mla->vDim = dv;
    L.mla->rank = r;
    return L;
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

    // Split query rows (model.h MlaAttention::qRope): bf16 rows whose rope rows are a map of their nope rows
    // (as a conversion builds them: here rounded from fp64 products of a random map) are packed as
    // [q_nope | kv_a | q_rope]; the joined rows equal the originals bit for bit, the fitted map reproduces
    // the rope rows within bf16 rounding (<= 2^-7, one bf16 epsilon, of their norm; the load accepts 2^-6),
    // packing again joins and splits again, and rows
    // that are not such a map (random rope rows) stay joined, packed as [q | kv_a].
    void splitQueryRows() {
        c10::InferenceMode guard;
        at::manual_seed(3);
        const int64_t H = 4, dn = 16, rR = 8, D = 64, r = 24;
        const auto f64 = at::TensorOptions().dtype(at::kDouble);
        const at::Tensor nope = at::randn({H, dn, D}, f64), map = at::randn({H, dn, rR}, f64) * 0.3;
        const at::Tensor rope = at::matmul(map.transpose(1, 2), nope); // {H, rR, D}
        auto layerWith = [&](const at::Tensor& ropeRows) {
            model::Layer L = mlaLayer(dn, rR, dn, r);
            model::MlaAttention& a = *L.mla;
            a.q.weight = at::cat({nope, ropeRows}, 1).reshape({H * (dn + rR), D}).to(at::kBFloat16);
            a.kvA.weight = at::randn({r + rR, D}, f64).to(at::kBFloat16);
            return L;
        };
        model::Layer L = layerWith(rope);
        const at::Tensor original = L.mla->q.weight.clone(), kvA = L.mla->kvA.weight.clone();
        for (int pass = 0; pass < 2; ++pass) { // the second: a split layer packed again
            model::packProjections(L, /*onCpuToo=*/true);
            const model::MlaAttention& a = *L.mla;
            QVERIFY(a.qRope.defined() && a.qRopeMap.defined());
            QCOMPARE(a.q.weight.sizes().vec(), (std::vector<int64_t>{H * dn, D}));
            QVERIFY(model::packedLinears({&a.q, &a.kvA, &a.qRope}));
            QVERIFY(model::packedLinears({&a.q, &a.kvA})); // the decoding step's product
            QVERIFY(at::equal(model::mlaQueryRows(a).weight, original));
            QVERIFY(at::equal(a.kvA.weight, kvA));
            const at::Tensor mapped = at::matmul(a.qRopeMap.to(at::kDouble).transpose(1, 2),
                                                 a.q.weight.to(at::kDouble).view({H, dn, D}));
            const at::Tensor stored = a.qRope.weight.to(at::kDouble).view({H, rR, D});
            const double rel = ((mapped - stored).norm() / stored.norm()).item<double>();
            qInfo("split query rows: the fitted map vs the stored rope rows, relative %.3g", rel);
            QVERIFY(rel <= std::ldexp(1.0, -7));
        }
        model::Layer other = layerWith(at::randn({H, rR, D}, f64));
        model::packProjections(other, /*onCpuToo=*/true);
        QVERIFY(!other.mla->qRope.defined() && !other.mla->qRopeMap.defined());
        QVERIFY(model::packedLinears({&other.mla->q, &other.mla->kvA}));
    }

    // The demo model converted in bf16 (r = 64, r_R = 16) and then packed as on CUDA (onCpuToo): every
    // layer's query is split and its kv_b kept once per kv group (4 query heads per group); the logits with
    // q_rope from the rope rows equal the unsplit model's within 2e-2 of their largest magnitude (the packed
    // products and grouped attention round differently in bf16), with the fitted map likewise; exported
    // tensors are the same bit for bit.
    void splitConvertedModelKeepsItsLogits() {
        c10::InferenceMode guard;
        at::manual_seed(5);
        model::Model m =
            model::Model::load(test::resourcesDir() / "models" / "tiny-llama-gqa", {"cpu", "bf16"});
        test::convertOnRandomIds(m, 64, 16, 8, 64);
        const at::Tensor ids = at::randint(0, m.config.vocabSize, {2, 40}, at::kLong);
        const at::Tensor before = model::forwardLogits(m, ids).to(at::kFloat);
        std::vector<model::MlaAttention> unsplit;
        const int64_t parameters = m.parameterCount();
        for (model::Layer& L : m.layers) {
            unsplit.push_back(*L.mla);
            model::packProjections(L, /*onCpuToo=*/true);
            QVERIFY(L.mla->qRope.defined());
            QCOMPARE(model::mlaKvBHeads(*L.mla), m.config.numKvHeads);
        }
        QCOMPARE(m.parameterCount(), parameters); // the checkpoint's count, kv_b per head
        model::DecodeFastPath& fast = model::decodeFastPath();
        const model::DecodeFastPath saved = fast;
        fast.ropeMap = false;
        const at::Tensor rows = model::forwardLogits(m, ids).to(at::kFloat);
        fast = saved;
        fast.ropeMap = true;
        const at::Tensor mapped = model::forwardLogits(m, ids).to(at::kFloat);
        fast = saved;
        // bf16's own distance: the unsplit model's weights computed in fp32.
        model::Model wide = m;
        wide.options.dtype = ComputeDtype::F32;
        const auto f32 = [](at::Tensor& t) {
            if (t.defined()) t = t.to(at::kFloat);
        };
        for (at::Tensor* t : {&wide.embed, &wide.finalNorm, &wide.lmHead})
            f32(*t);
        for (size_t l = 0; l < wide.layers.size(); ++l) {
            model::Layer& L = wide.layers[l];
            L.mla = unsplit[l];
            for (at::Tensor* t : {&L.inputNorm, &L.postAttnNorm, &L.mla->kvANorm, &L.mla->ropeInvFreq})
                f32(*t);
            for (model::Linear* x :
                 {&L.mla->q, &L.mla->kvA, &L.mla->kvB, &L.mla->o, &L.mlp.gate, &L.mlp.up, &L.mlp.down}) {
                f32(x->weight);
                f32(x->bias);
            }
        }
        const at::Tensor reference = model::forwardLogits(wide, ids);
        const double scale = reference.abs().max().item<double>();
        const double errBf16 = test::maxDiff(before, reference) / scale,
                     errRows = test::maxDiff(rows, before) / scale,
                     errMapped = test::maxDiff(mapped, before) / scale,
                     errMappedRef = test::maxDiff(mapped, reference) / scale;
        qInfo("split query, shared kv_b (demo model, bf16): logits relative to the largest: rope rows vs "
              "unsplit %.3g, fitted map vs unsplit %.3g; vs the fp32 computation: unsplit %.3g, fitted map "
              "%.3g",
              errRows, errMapped, errBf16, errMappedRef);
        QVERIFY(errRows <= 2e-2);
        QVERIFY(errMapped <= 2e-2);
        QVERIFY(errMappedRef <= 2 * errBf16);
        // Token by token through the cache (the absorbed form: W_UK and W_UV per group in its einsums).
        model::KvCache cache = model::allocateCache(m, ids.size(0), ids.size(1));
        const double errCached =
            test::maxDiff(test::cachedLogits(m, ids, cache).to(at::kFloat), mapped) / scale;
        qInfo("split query, shared kv_b: cached steps vs the full forward %.3g", errCached);
        QVERIFY(errCached <= 2 * errBf16);
        for (size_t l = 0; l < m.layers.size(); ++l) {
            const model::MlaAttention& a = *m.layers[l].mla;
            QVERIFY(at::equal(model::mlaQueryRows(a).weight, unsplit[l].q.weight));
            QVERIFY(at::equal(model::mlaKvBRows(a, m.config.numHeads), unsplit[l].kvB.weight));
        }
    }

    // kv_b's rows shared by groups of heads (model.h MlaAttention::kvB): a bf16 kv_b whose heads come in
    // groups of two equal ones (as a conversion of two kv heads for four query heads builds it) is kept once
    // per group, and mlaKvBRows gives the per-head rows back bit for bit; one differing value keeps every
    // head.
    void sharedKvBRows() {
        c10::InferenceMode guard;
        at::manual_seed(4);
        const int64_t H = 4, dn = 8, dv = 6, r = 16;
        const at::Tensor groups = at::randn({2, 1, dn + dv, r}).to(at::kBFloat16);
        const at::Tensor perHead = groups.expand({2, 2, dn + dv, r}).reshape({H * (dn + dv), r});
        for (const bool differ : {false, true}) {
            model::Layer L = mlaLayer(dn, 0, dv, r);
            model::MlaAttention& a = *L.mla;
            a.kvB.weight = perHead.clone();
            if (differ) a.kvB.weight[H * (dn + dv) - 1][r - 1] += 1.0;
            const at::Tensor before = a.kvB.weight.clone();
            model::packProjections(L, /*onCpuToo=*/true);
            QCOMPARE(model::mlaKvBHeads(a), differ ? H : int64_t(2));
            QVERIFY(at::equal(model::mlaKvBRows(a, H), before));
        }
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

    // The decode kernels' split plan (kernels/decode_attention_launch.h, host-only arithmetic): every split a
    // launch gets holds at least one tile, together they cover every tile, and no more splits than the wave
    // asked for; 32K x 4 on an H200 (132 multiprocessors, 33 splits asked) gets 32 splits of 16 tiles.
    void decodeSplitsLeaveNoSplitEmpty() {
        QCOMPARE(kernels::decodeSplitTiles(32768, 33), (std::pair<int64_t, int64_t>{32, 16}));
        QCOMPARE(kernels::decodeSplitTiles(16384, 8), (std::pair<int64_t, int64_t>{8, 32}));
        QCOMPARE(kernels::decodeSplitTiles(4096, 64), (std::pair<int64_t, int64_t>{64, 1}));
        for (const int64_t capacity : {1, 63, 64, 65, 300, 1000, 4096, 4097, 16384, 16400, 32768, 65536})
            for (int64_t asked = 1; asked <= 264; ++asked) {
                const auto [splits, perSplit] = kernels::decodeSplitTiles(capacity, asked);
                const int64_t tiles = (capacity + kernels::kDecodeTile - 1) / kernels::kDecodeTile;
                QVERIFY(splits >= 1 && splits <= std::max<int64_t>(1, asked));
                QVERIFY(splits * perSplit >= tiles);      // every tile in a split
                QVERIFY((splits - 1) * perSplit < tiles); // the last split holds one
            }
    }
};

} // namespace tst_forward

TRANSMLA_TEST_MAIN(tst_forward, tst_forward::TestForward)
#include "tst_forward.moc"
