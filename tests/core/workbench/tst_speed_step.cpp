// The Speed step (issue 16): measured decoding with the GQA cache and the MLA latent cache. The
// reference for every cache size is the formula written out here from config.json (read as plain
// JSON, not through the engine's config): GQA caches K and V of g heads of d per layer, 2*g*d values;
// MLA caches the latent and the shared rope key, r + r_R values; f32 = 4 bytes; the allocation holds
// context + 1 + steps positions (the warm-up step's token included). Sizes are compared exactly.
// Greedy decoding with either cache must give the full forward's argmax at every position (where the
// full forward's best two logits lie within 1e-3, either of them is accepted: the cached and the full
// forward differ by ~1e-5 in f32). Requests out of range and settings that do not fit are refused
// with the field named; a cancel between steps stops the measurement.
#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <nlohmann/json.hpp>

#include "eval/decode_speed.h"
#include "model/forward.h"
#include "model/model.h"
#include "testutil.h"
#include "util/error.h"
#include "workbench/models.h"
#include "workbench/speed_step.h"
#include "workbench/workbench.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_speed_step {

using namespace transmla;

namespace {

constexpr int64_t kRank = 40, kRopeDim = 16, kF32 = 4;

std::filesystem::path demoDir() {
    return test::resourcesDir() / "models" / "tiny-llama-gqa";
}

struct HandConfig {
    int64_t layers, kvHeads, headDim, maxPositions;
};
HandConfig handConfig() {
    const auto j = nlohmann::json::parse(test::readFile(demoDir() / "config.json"));
    return {j.at("num_hidden_layers").get<int64_t>(), j.at("num_key_value_heads").get<int64_t>(),
            j.at("head_dim").get<int64_t>(), j.at("max_position_embeddings").get<int64_t>()};
}

// Each greedy token of `tokens` [B, n] (after `prompt` [B, T]) against the full forward's argmax.
int mismatches(const model::Model& m, const at::Tensor& prompt, const at::Tensor& tokens) {
    const int64_t T = prompt.size(1), n = tokens.size(1);
    const at::Tensor all = at::cat({prompt, tokens.narrow(1, 0, n - 1)}, 1);
    const at::Tensor logits = model::forwardLogits(m, all).narrow(1, T - 1, n); // [B, n, vocab]
    const at::Tensor best = std::get<0>(logits.max(-1));
    const at::Tensor chosen = logits.gather(-1, tokens.unsqueeze(-1)).squeeze(-1);
    return int((best - chosen > 1e-3).sum().item<int64_t>());
}

} // namespace

class TestSpeedStep : public QObject {
    Q_OBJECT
    workbench::ConversionResult converted_;

private slots:
    void initTestCase() {
        convert::ConvertSettings s;
        s.kvLoraRank = kRank;
        s.qkRopeHeadDim = kRopeDim;
        s.calibration.samples = 8;
        s.calibration.seqLen = 32;
        workbench::JobOptions o;
        o.resourcesDir = test::resourcesDir();
        o.spectra = o.attention = false;
        o.keepCalibration = false; // no original kept: measureSpeed loads it (the CLI's path)
        converted_ = workbench::runConversion(demoDir(), s, o);
        QCOMPARE(converted_.rank(), kRank);
    }

    void cacheBytesMatchTheFormula_data() {
        QTest::addColumn<qlonglong>("context");
        QTest::addColumn<qlonglong>("batch");
        QTest::newRow("1x1") << 1LL << 1LL;
        QTest::newRow("7x3") << 7LL << 3LL;
        QTest::newRow("64x2") << 64LL << 2LL;
        QTest::newRow("200x1") << 200LL << 1LL;
    }
    void cacheBytesMatchTheFormula() {
        QFETCH(qlonglong, context);
        QFETCH(qlonglong, batch);
        const HandConfig c = handConfig();
        workbench::SpeedRequest q;
        q.context = context;
        q.batch = batch;
        q.steps = 3;
        const workbench::SpeedPoint p = workbench::measureSpeed(converted_, q);
        const int64_t positions = context + 1 + q.steps;
        const int64_t gqaPerToken = c.layers * 2 * c.kvHeads * c.headDim * kF32;
        const int64_t mlaPerToken = c.layers * (kRank + kRopeDim) * kF32;
        QCOMPARE(p.gqa.cacheBytes, gqaPerToken * positions * batch);
        QCOMPARE(p.mla.cacheBytes, mlaPerToken * positions * batch);
        QCOMPARE(p.gqa.cacheBytesPerToken, gqaPerToken);
        QCOMPARE(p.mla.cacheBytesPerToken, mlaPerToken);
        QCOMPARE(p.gqa.budgetBytesPerToken, gqaPerToken);
        QCOMPARE(p.mla.budgetBytesPerToken, mlaPerToken);
        QCOMPARE(p.gqa.budgetBytes, gqaPerToken * context * batch);
        QCOMPARE(p.mla.budgetBytes, mlaPerToken * context * batch);
        const double ratio = double(kRank + kRopeDim) / double(2 * c.kvHeads * c.headDim);
        QVERIFY(std::abs(p.cacheRatio() - ratio) < 1e-12);
        QVERIFY(std::abs(p.budgetRatio() - ratio) < 1e-12);
        // What the memory check counts before allocating is what is then allocated.
        const workbench::SpeedMemory need = workbench::speedMemory(converted_, q);
        QCOMPARE(need.gqaCacheBytes, p.gqa.cacheBytes);
        QCOMPARE(need.mlaCacheBytes, p.mla.cacheBytes);
        for (const auto* f : {&p.gqa, &p.mla}) { // timed, and tokens/s is the steps of every sequence
            QVERIFY(f->msPerStep > 0);
            QVERIFY(std::abs(f->tokensPerSecond * f->msPerStep / 1e3 - double(batch)) < 1e-9 * double(batch));
        }
        QCOMPARE(p.device, std::string("cpu"));
        QCOMPARE(p.dtype, std::string("f32"));
        qInfo("%lld x %lld: GQA %.3f ms/step, MLA %.3f ms/step", context, batch, p.gqa.msPerStep,
              p.mla.msPerStep);
    }

    // Greedy decoding through the cache (prefill in chunks, warm-up step, timed steps) gives the full
    // forward's argmax: the original's GQA cache and the converted model's latent cache alike.
    void greedyTokensMatchFullForward() {
        c10::InferenceMode guard;
        const model::Model original = model::Model::load(demoDir(), {"cpu", "f32"});
        const model::Model& mla = converted_.models->converted;
        // Batch 2 prefills its 40 tokens in one chunk; batch 128 in chunks of 16 (three of them).
        QCOMPARE(eval::prefillChunk(128), int64_t(16));
        for (int64_t batch : {2, 128}) {
            const at::Tensor prompt = eval::syntheticContext(original.config.vocabSize, batch, 40, 7);
            for (const model::Model* m : {&original, &mla}) {
                const eval::DecodeSpeed d = eval::measureDecode(*m, prompt, 5);
                QCOMPARE(d.tokens.sizes().vec(), (std::vector<int64_t>{batch, 5 + 2}));
                QCOMPARE(mismatches(*m, prompt, d.tokens), 0);
            }
        }
    }

    void refusesRequestsOutOfRange_data() {
        QTest::addColumn<qlonglong>("context");
        QTest::addColumn<qlonglong>("batch");
        QTest::addColumn<qlonglong>("steps");
        QTest::addColumn<QString>("field");
        const auto c = handConfig();
        QTest::newRow("context 0") << 0LL << 1LL << 4LL << QStringLiteral("context");
        QTest::newRow("context past max positions")
            << qlonglong(c.maxPositions + 1) << 1LL << 4LL << QStringLiteral("context");
        QTest::newRow("batch 0") << 8LL << 0LL << 4LL << QStringLiteral("batch");
        QTest::newRow("batch 257") << 8LL << 257LL << 4LL << QStringLiteral("batch");
        QTest::newRow("steps 0") << 8LL << 1LL << 0LL << QStringLiteral("decode_steps");
    }
    void refusesRequestsOutOfRange() {
        QFETCH(qlonglong, context);
        QFETCH(qlonglong, batch);
        QFETCH(qlonglong, steps);
        QFETCH(QString, field);
        workbench::SpeedRequest q;
        q.context = context;
        q.batch = batch;
        q.steps = steps;
        try {
            workbench::measureSpeed(converted_, q);
            QFAIL("an out-of-range request was measured");
        } catch (const SettingError& e) {
            QCOMPARE(QString::fromStdString(e.setting()), field);
        }
        // The bounds themselves are accepted.
        const auto c = handConfig();
        const workbench::SpeedLimits l = workbench::speedLimits(converted_.models->converted.config);
        QCOMPARE(l.maxContext, c.maxPositions);
        q = {};
        q.context = c.maxPositions;
        q.batch = 256;
        workbench::checkSpeedRequest(q, converted_.models->converted.config);
    }

    // A setting whose caches do not fit in the free memory is refused before anything is allocated,
    // with the sizes in the message.
    void refusesWhatDoesNotFit() {
        workbench::SpeedRequest q;
        q.context = 100000;
        q.batch = 64;
        workbench::SpeedMemory m;
        m.gqaCacheBytes = int64_t(3) << 30;
        m.mlaCacheBytes = int64_t(1) << 30;
        m.workingBytes = int64_t(1) << 29;
        m.known = true;
        m.freeBytes = int64_t(2) << 30;
        try {
            workbench::checkSpeedFits(m, q, "cpu");
            QFAIL("3.5 GiB were accepted with 2 GiB free");
        } catch (const ArgumentError& e) {
            const QString text = QString::fromUtf8(e.what());
            for (const char* part : {"context 100000 x batch 64", "needs 3.50 GiB", "GQA cache 3.00 GiB",
                                     "MLA cache 1.00 GiB", "2.00 GiB is free on cpu"})
                QVERIFY2(text.contains(QLatin1String(part)), e.what());
        }
        m.freeBytes = m.gqaCacheBytes + m.workingBytes; // the caches are held one after the other
        workbench::checkSpeedFits(m, q, "cpu");
        m.known = false; // free memory unknown: measured, not guessed at
        m.freeBytes = 0;
        workbench::checkSpeedFits(m, q, "cpu");
    }

    void cancelStopsBetweenSteps() {
        CancelToken token;
        int decodeReports = 0;
        const Progress progress{[&](int64_t, int64_t, const std::string& stage) {
                                    if (stage.find("decode") != std::string::npos && ++decodeReports == 3)
                                        token.cancel();
                                },
                                &token};
        workbench::SpeedRequest q;
        q.context = 16;
        q.steps = 4000;
        QVERIFY_EXCEPTION_THROWN(workbench::measureSpeed(converted_, q, progress), Cancelled);
        QCOMPARE(decodeReports, 3);
    }

    void noConvertedModelIsAClearError() {
        workbench::ConversionResult reopened = converted_;
        reopened.models.reset();
        try {
            workbench::measureSpeed(reopened, {});
            QFAIL("measured without a converted model");
        } catch (const ArgumentError& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("no converted model")), e.what());
        }
    }
};

} // namespace tst_speed_step

TRANSMLA_TEST_MAIN(tst_speed_step, tst_speed_step::TestSpeedStep)
#include "tst_speed_step.moc"
