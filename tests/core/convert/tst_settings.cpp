// The one source of truth for valid conversion settings (convert::settingRanges / validate): the
// ranges follow the TransMLA definitions (r_R even and <= head_dim, r in [1, 2*g*d - r_R], FreqFold
// f dividing d/2 with the r_R/2 rope planes spread evenly over the d/(2f) blocks), every value
// inside them is accepted by the conversion and the KV budget, values outside are rejected with the
// setting's name, and the CLI says the same with its flag.
#include <ATen/ATen.h> // before Qt: Qt's `slots` macro breaks LibTorch headers
#include <nlohmann/json.hpp>

#include <QProcess>

#include <numeric>

#include "analysis/budget.h"
#include "convert/calibration.h"
#include "convert/export_target.h"
#include "convert/pipeline.h"
#include "convert/settings.h"
#include "io/model_config.h"
#include "model/model.h"
#include "testutil.h"
#include "tokenizer/tokenizer.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_settings {

using namespace transmla;
namespace fs = std::filesystem;

namespace {
fs::path demo() {
    return test::resourcesDir() / "models" / "tiny-llama-gqa";
}

// g, d, max_position_embeddings read straight from config.json (independent of the config parser).
struct Dims {
    int64_t g, d, maxPos;
};
Dims dimsOf(const fs::path& dir) {
    const auto j = nlohmann::json::parse(test::readFile(dir / "config.json"));
    const int64_t d = j.contains("head_dim") && !j["head_dim"].is_null()
                          ? j["head_dim"].get<int64_t>()
                          : j["hidden_size"].get<int64_t>() / j["num_attention_heads"].get<int64_t>();
    return {j["num_key_value_heads"].get<int64_t>(), d, j.value("max_position_embeddings", int64_t(2048))};
}
// FreqFold by its definition: f divides d/2 and the r_R/2 planes spread evenly over d/(2f) blocks.
bool freqFoldByDefinition(int64_t f, int64_t rR, int64_t d) {
    return (d / 2) % f == 0 && (rR / 2) % ((d / 2) / f) == 0;
}

std::vector<fs::path> models() {
    std::vector<fs::path> out{demo()};
    for (const char* m :
         {"tiny-qwen2-gqa", "fixture-gemma2", "fixture-mistral-swa", "fixture-phi3", "stories260K"})
        if (fs::exists(test::sharedDir() / "models" / m / "config.json"))
            out.push_back(test::sharedDir() / "models" / m);
    return out;
}
} // namespace

class TestSettings : public QObject {
    Q_OBJECT
private slots:
    void rangesFollowTheDefinitions() {
        for (const fs::path& dir : models()) {
            const io::ModelConfig c = io::loadModelConfig(dir);
            const Dims x = dimsOf(dir);
            const convert::SettingRanges r0 = convert::settingRanges(c);
            QVERIFY2(r0.unsupported.empty(), r0.unsupported.c_str());
            QCOMPARE(r0.qkRopeHeadDim.min, int64_t(2));
            QCOMPARE(r0.qkRopeHeadDim.max, x.d);
            QCOMPARE(r0.qkRopeHeadDim.step, int64_t(2));
            QCOMPARE(r0.defaultQkRopeHeadDim, std::min<int64_t>(64, x.d));
            QCOMPARE(r0.seqLen.max, x.maxPos);
            for (int64_t rR = 2; rR <= x.d; rR += 2) {
                const convert::SettingRanges r = convert::settingRanges(c, rR);
                QCOMPARE(r.kvLoraRank.min, int64_t(1));
                QCOMPARE(r.kvLoraRank.max, 2 * x.g * x.d - rR);
                for (int64_t f = 1; f <= x.d / 2; ++f) {
                    const bool listed =
                        std::find(r.freqFolds.begin(), r.freqFolds.end(), f) != r.freqFolds.end();
                    QCOMPARE(listed, freqFoldByDefinition(f, rR, x.d));
                }
                // Every value inside the ranges is accepted (resolve) and budgeted (mlaBudget: the
                // call that ended the program when the box allowed r_R > head_dim).
                for (int64_t rank : {r.kvLoraRank.min, r.kvLoraRank.max}) {
                    convert::ConvertSettings s;
                    s.qkRopeHeadDim = rR;
                    s.kvLoraRank = rank;
                    for (int64_t f : r.freqFolds) {
                        s.freqFold = f;
                        QCOMPARE(convert::resolve(s, c).settings.freqFold, f);
                    }
                    analysis::mlaBudget(c, rank, rR, analysis::CacheDtype::BF16);
                }
            }
            qInfo("%s: r_R 2..%lld, %zu FreqFold choices at the default", dir.filename().c_str(),
                  static_cast<long long>(x.d), r0.freqFolds.size());
        }
    }

    void rejectsWithTheSettingsName_data() {
        QTest::addColumn<qlonglong>("rank");
        QTest::addColumn<qlonglong>("ropeDim");
        QTest::addColumn<qlonglong>("freqFold");
        QTest::addColumn<QString>("setting");
        QTest::addColumn<QString>("message");
        // demo: g = 2, d = 32 (config.json).
        QTest::newRow("r_R > d") << 16LL << 34LL << 0LL << "qk_rope_head_dim"
                                 << "qk_rope_head_dim 34: at most head_dim = 32";
        QTest::newRow("odd r_R") << 16LL << 31LL << 0LL << "qk_rope_head_dim"
                                 << "qk_rope_head_dim 31: must be positive and even";
        QTest::newRow("r too large") << 97LL << 32LL << 0LL << "kv_lora_rank"
                                     << "kv_lora_rank 97: must be in [1, 2*g*d - r_R = 96]";
        QTest::newRow("f not dividing d/2") << 16LL << 32LL << 3LL << "freqfold"
                                            << "freqfold 3: must divide head_dim/2 = 16";
        QTest::newRow("planes uneven")
            << 16LL << 6LL << 2LL << "freqfold"
            << "freqfold 2: the 3 rope planes do not spread evenly over 8 frequency blocks";
    }
    void rejectsWithTheSettingsName() {
        QFETCH(qlonglong, rank);
        QFETCH(qlonglong, ropeDim);
        QFETCH(qlonglong, freqFold);
        QFETCH(QString, setting);
        QFETCH(QString, message);
        convert::ConvertSettings s;
        s.kvLoraRank = rank;
        s.qkRopeHeadDim = ropeDim;
        s.freqFold = freqFold;
        try {
            convert::validate(s, io::loadModelConfig(demo()));
            QFAIL("accepted");
        } catch (const convert::SettingError& e) {
            QCOMPARE(QString::fromStdString(e.setting()), setting);
            QCOMPARE(QString::fromUtf8(e.what()), message);
            QVERIFY2(!QString::fromUtf8(e.what()).contains(QStringLiteral("--")),
                     e.what()); // no CLI flag in core
        }
    }

    // resolve returns the automatic values and leaves the request as the user made it (a GUI keeps
    // showing "auto"); the values by their definitions from config.json: r_R = min(64, d),
    // f = (d/2) / gcd(r_R/2, d/2), r_max = 2*g*d - r_R; exact: r_R = g*d, f = 1.
    void resolveFillsAutomaticValuesAndLeavesItsInput() {
        for (const fs::path& dir : models()) {
            const io::ModelConfig c = io::loadModelConfig(dir);
            const Dims x = dimsOf(dir);
            convert::ConvertSettings s; // r_R 0, f 0: automatic
            s.kvLoraRank = 8;
            const convert::ConvertSettings before = s;
            const convert::ResolvedSettings r = convert::resolve(s, c);
            const int64_t rR = std::min<int64_t>(64, x.d), half = x.d / 2;
            QCOMPARE(r.settings.qkRopeHeadDim, rR);
            QCOMPARE(r.settings.freqFold, half / std::gcd(rR / 2, half));
            QCOMPARE(r.dims.maxRank, 2 * x.g * x.d - rR);
            QCOMPARE(r.settings.kvLoraRank, int64_t(8));
            QCOMPARE(s.qkRopeHeadDim, before.qkRopeHeadDim); // still 0 (automatic)
            QCOMPARE(s.freqFold, before.freqFold);
            s.exact = true;
            const convert::ResolvedSettings e = convert::resolve(s, c);
            QCOMPARE(e.settings.qkRopeHeadDim, x.g * x.d);
            QCOMPARE(e.settings.freqFold, int64_t(1));
            QCOMPARE(e.settings.kvLoraRank, int64_t(-1));
            QVERIFY(!e.settings.rorope && !e.settings.balanceKv && !e.settings.jointPca);
            QVERIFY(s.rorope && s.balanceKv && s.jointPca && s.kvLoraRank == 8 && s.qkRopeHeadDim == 0);
        }
    }

    // The spellings sessions, reports and the CLI use, as listed in the README and in sessions written
    // before the enums: each parses to its value and is written back the same.
    void enumSpellingsRoundTrip() {
        const std::pair<const char*, convert::LatentNorm> norms[] = {
            {"none", convert::LatentNorm::None}, {"calibrated", convert::LatentNorm::Calibrated}};
        for (const auto& [name, value] : norms) {
            QVERIFY(convert::parseLatentNorm(name) == value);
            QCOMPARE(convert::latentNormName(value), std::string(name));
        }
        const std::pair<const char*, ComputeDtype> dtypes[] = {{"f32", ComputeDtype::F32},
                                                               {"bf16", ComputeDtype::BF16},
                                                               {"f16", ComputeDtype::F16},
                                                               {"f64", ComputeDtype::F64}};
        for (const auto& [name, value] : dtypes) {
            QVERIFY(parseComputeDtype(name) == value);
            QCOMPARE(computeDtypeName(value), std::string(name));
        }
        QVERIFY(parseComputeDtype("bfloat16") == ComputeDtype::BF16 &&
                parseComputeDtype("float32") == ComputeDtype::F32);
        for (const char* name : {"cpu", "cuda", "cuda:0", "cuda:3"})
            QCOMPARE(deviceName(parseDevice(name)), std::string(name));
        QVERIFY(!parseDevice("cpu").isCuda());
        QCOMPARE(parseDevice("cuda:3").index, 3);
        QCOMPARE(parseDevice("cuda").index, -1);
    }

    void badSpellingNamesTheSetting_data() {
        QTest::addColumn<QString>("setting");
        QTest::addColumn<QString>("value");
        const std::pair<const char*, const char*> rows[] = {{"latent_norm", "Calibrated"},
                                                            {"latent_norm", ""},
                                                            {"latent_norm", "layernorm"},
                                                            {"device", "gpu"},
                                                            {"device", "cuda:"},
                                                            {"device", "cuda:x"},
                                                            {"device", "cuda:-1"},
                                                            {"device", "CPU"},
                                                            {"dtype", "f8"},
                                                            {"dtype", "float"},
                                                            {"dtype", "F32"},
                                                            {"export_target", "vllm"}};
        for (const auto& [setting, value] : rows)
            QTest::addRow("%s '%s'", setting, value)
                << QString::fromLatin1(setting) << QString::fromLatin1(value);
    }
    void badSpellingNamesTheSetting() {
        QFETCH(QString, setting);
        QFETCH(QString, value);
        const std::string v = value.toStdString();
        try {
            if (setting == QLatin1String("latent_norm"))
                convert::parseLatentNorm(v);
            else if (setting == QLatin1String("device"))
                parseDevice(v);
            else if (setting == QLatin1String("dtype"))
                parseComputeDtype(v);
            else
                convert::parseExportTarget(v);
            QFAIL("accepted");
        } catch (const SettingError& e) {
            QCOMPARE(QString::fromStdString(e.setting()), setting);
            const QString what = QString::fromUtf8(e.what());
            QVERIFY2(what.startsWith(setting + QLatin1String(" '") + value + QLatin1Char('\'')), e.what());
            QVERIFY2(!what.contains(QStringLiteral("--")), e.what());
        }
    }

    // Issue 18: fold_qk_norm is a setting of q/k-norm models only (config.json: Qwen3 has q_norm /
    // k_norm, the demo Llama none); its error names the setting, not a front end's control.
    void foldQkNormOnlyWithQkNorms() {
        convert::ConvertSettings s;
        s.foldQkNorm = true;
        try {
            convert::validate(s, io::loadModelConfig(demo()));
            QFAIL("accepted fold_qk_norm for a model without q/k norms");
        } catch (const SettingError& e) {
            QCOMPARE(e.setting(), std::string("fold_qk_norm"));
            QVERIFY2(!QString::fromUtf8(e.what()).contains(QStringLiteral("--")), e.what());
        }
        const io::ModelConfig qwen3 = io::loadModelConfig(test::referenceModel("tiny-qwen3-gqa"));
        convert::validate(s, qwen3);
        s.exact = true;
        convert::validate(s, qwen3);
        convert::ConvertSettings plain = s;
        plain.foldQkNorm = false;
        QVERIFY(!convert::sameConversion(s, plain, qwen3)); // a result without the fold is stale
    }

    void seqLenBoundedByMaxPositions() {
        const io::ModelConfig c = io::loadModelConfig(demo());
        convert::ConvertSettings s;
        s.calibration.seqLen = dimsOf(demo()).maxPos + 1;
        QVERIFY_THROWS_EXCEPTION(convert::SettingError, convert::validate(s, c));
        s.calibration.seqLen = dimsOf(demo()).maxPos;
        convert::validate(s, c);
    }

    void intRangeClampsToTheNearestStep() {
        const convert::IntRange even{2, 32, 2};
        QCOMPARE(even.clamp(3), int64_t(4)); // halfway rounds up
        QCOMPARE(even.clamp(33), int64_t(32));
        QCOMPARE(even.clamp(-5), int64_t(2));
        QVERIFY(even.contains(32) && !even.contains(31) && !even.contains(34));
    }

    void sameConversionResolvesAutomaticValues() {
        const io::ModelConfig c = io::loadModelConfig(demo());
        convert::ConvertSettings a;
        a.kvLoraRank = 24;
        convert::ConvertSettings b = a;
        b = convert::resolve(b, c).settings; // what a result carries: r_R and f filled in
        QVERIFY(convert::sameConversion(a, b, c));
        b.kvLoraRank = 25;
        QVERIFY(!convert::sameConversion(a, b, c));
        convert::ConvertSettings e1, e2;
        e1.exact = e2.exact = true;
        e2.kvLoraRank = 5; // ignored by the exact merge
        QVERIFY(convert::sameConversion(e1, e2, c));
    }

    // Values inside the ranges really convert: the extremes of r_R with every FreqFold offered.
    void extremesConvert() {
        const tok::Tokenizer t = tok::Tokenizer::load(demo());
        convert::CalibrationSettings cs;
        cs.samples = 4;
        cs.seqLen = 32;
        const at::Tensor ids = convert::calibrationTokens(cs, t, test::resourcesDir());
        const io::ModelConfig c = io::loadModelConfig(demo());
        for (int64_t rR : {int64_t(2), c.headDim}) {
            for (int64_t f : convert::settingRanges(c, rR).freqFolds) {
                model::Model m = model::Model::load(demo());
                convert::ConvertSettings s;
                s.qkRopeHeadDim = rR;
                s.freqFold = f;
                s.kvLoraRank = convert::settingRanges(c, rR).kvLoraRank.max;
                s.calibration = cs;
                const auto rep = convert::convertModel(m, s, ids);
                QCOMPARE(rep.ropeDim, rR);
                QCOMPARE(rep.freqFold, f);
            }
        }
    }

    void cliNamesItsFlag() {
        QProcess p;
        p.start(QStringLiteral(TRANSMLA_CLI_PATH),
                {QStringLiteral("convert"), QString::fromStdString(demo().string()),
                 QStringLiteral("--qk-rope-dim"), QStringLiteral("34"), QStringLiteral("--samples"),
                 QStringLiteral("4"), QStringLiteral("--seqlen"), QStringLiteral("32"),
                 QStringLiteral("--quiet")});
        QVERIFY(p.waitForFinished(120000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitCode(), 2);
        QVERIFY2(err.contains(QStringLiteral("error: --qk-rope-dim 34: at most head_dim = 32")),
                 qPrintable(err));
    }

    // Issue 18: core's fold_qk_norm reaches the user as --fold-qk-norm: asked for a model without q/k
    // norms, and missing where a Qwen3 conversion is to be exported (refused before the weights are
    // read, nothing written; it used to be refused after the whole conversion, naming fold_qk_norm).
    void cliNamesTheFoldFlag() {
        auto run = [](const QStringList& args) {
            QProcess p;
            p.start(QStringLiteral(TRANSMLA_CLI_PATH), QStringList{QStringLiteral("convert")} + args);
            p.waitForFinished(120000);
            return std::make_pair(p.exitCode(), QString::fromUtf8(p.readAllStandardError()));
        };
        auto [code, err] = run({QString::fromStdString(demo().string()), QStringLiteral("--fold-qk-norm")});
        QCOMPARE(code, 2);
        QVERIFY2(err.contains(QStringLiteral("error: --fold-qk-norm on: llama has no query/key norms")),
                 qPrintable(err));
        const std::filesystem::path out = test::outputDir() / "settings-qwen3-export";
        std::filesystem::remove_all(out);
        std::tie(code, err) =
            run({QString::fromStdString(test::referenceModel("tiny-qwen3-gqa").string()),
                 QStringLiteral("--out"), QString::fromStdString(out.string()), QStringLiteral("--quiet")});
        QCOMPARE(code, 2);
        QVERIFY2(err.contains(QStringLiteral("error: --fold-qk-norm needed for a DeepSeek-V3 export")),
                 qPrintable(err));
        QVERIFY2(!err.contains(QStringLiteral("fold_qk_norm")), qPrintable(err));
        QVERIFY(!std::filesystem::exists(out));
    }
};

} // namespace tst_settings

TRANSMLA_TEST_MAIN(tst_settings, tst_settings::TestSettings)
#include "tst_settings.moc"
