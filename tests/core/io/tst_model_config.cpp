// config.json parsing: defaults as transformers applies them, both field generations, and clear
// errors naming the field for unsupported or inconsistent configs.
#include "io/model_config.h"
#include "model/model.h"
#include "testutil.h"
#include "util/error.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_model_config {

using namespace transmla;
using nlohmann::json;

namespace {
json base() {
    return json{{"model_type", "llama"},  {"hidden_size", 256},       {"intermediate_size", 768},
                {"num_hidden_layers", 4}, {"num_attention_heads", 8}, {"num_key_value_heads", 2},
                {"vocab_size", 2048}};
}
} // namespace

class TestModelConfig : public QObject {
    Q_OBJECT
private slots:
    void defaults() {
        const io::ModelConfig c = io::parseModelConfig(base(), "config.json");
        QCOMPARE(c.headDim, int64_t(32)); // hidden / heads when head_dim is absent
        QCOMPARE(c.ropeTheta, 10000.0);
        QCOMPARE(c.tieWordEmbeddings, false);
        QCOMPARE(c.kvCacheBytesPerToken(2), int64_t(4 * 2 * 2 * 32 * 2));
        json g = base();
        g["model_type"] = "gemma2";
        const io::ModelConfig gc = io::parseModelConfig(g, "config.json");
        QCOMPARE(gc.headDim, int64_t(256));
        QCOMPARE(gc.tieWordEmbeddings, true);
        QCOMPARE(*gc.queryPreAttnScalar, 256.0);
        QCOMPARE(gc.slidingLayers, (std::vector<bool>{true, false, true, false}));
    }

    void ropeFieldsOldAndNew() {
        json old = base();
        old["rope_theta"] = 500000.0;
        old["rope_scaling"] = {{"rope_type", "llama3"},
                               {"factor", 8.0},
                               {"low_freq_factor", 1.0},
                               {"high_freq_factor", 4.0},
                               {"original_max_position_embeddings", 8192}};
        json neu = base();
        neu["rope_parameters"] = {{"rope_type", "llama3"},   {"rope_theta", 500000.0},
                                  {"factor", 8.0},           {"low_freq_factor", 1.0},
                                  {"high_freq_factor", 4.0}, {"original_max_position_embeddings", 8192}};
        for (const json& j : {old, neu}) {
            const io::ModelConfig c = io::parseModelConfig(j, "config.json");
            QCOMPARE(c.ropeTheta, 500000.0);
            QCOMPARE(c.ropeScaling.type, std::string("llama3"));
            QCOMPARE(c.ropeScaling.factor, 8.0);
            QCOMPARE(c.ropeScaling.originalMaxPositions, int64_t(8192));
        }
        json dt = base();
        dt["dtype"] = "bfloat16";
        QCOMPARE(io::parseModelConfig(dt, "c").dtype, std::string("bfloat16"));
    }

    void rejectsBadConfigs_data() {
        QTest::addColumn<QString>("patch"); // JSON merged into the base config
        QTest::addColumn<QString>("expected");
        auto row = [](const char* name, const char* patch, const char* expected) {
            QTest::newRow(name) << QString::fromUtf8(patch) << QString::fromUtf8(expected);
        };
        row("unsupported model_type", R"({"model_type":"bert"})", "model_type: unsupported 'bert'");
        row("missing model_type", R"({"model_type":null})", "model_type: missing");
        row("kv heads not dividing", R"({"num_key_value_heads":3})",
            "num_key_value_heads: 3 does not divide");
        row("zero heads", R"({"num_attention_heads":0})", "num_attention_heads: value 0 out of range");
        row("absurd layers", R"({"num_hidden_layers":1000000000})",
            "num_hidden_layers: value 1000000000 out of range");
        // Absurd sizes are refused by the parser, before anything is allocated from them.
        row("huge hidden", R"({"hidden_size":1000000000000})",
            "hidden_size: value 1000000000000 out of range");
        row("zero vocab", R"({"vocab_size":0})", "vocab_size: value 0 out of range");
        row("negative vocab", R"({"vocab_size":-5})", "vocab_size: value -5 out of range");
        row("zero kv heads", R"({"num_key_value_heads":0})", "num_key_value_heads: value 0 out of range");
        row("negative layers", R"({"num_hidden_layers":-1})", "num_hidden_layers: value -1 out of range");
        row("uint64 heads", R"({"num_attention_heads":18446744073709551615})",
            "num_attention_heads: value 18446744073709551615 out of range");
        row("float layers", R"({"num_hidden_layers":1e9})", "num_hidden_layers: expected an integer");
        row("huge mlp", R"({"intermediate_size":1099511627776})",
            "intermediate_size: value 1099511627776 out of range");
        row("huge head_dim", R"({"head_dim":1048576})", "head_dim: value 1048576 out of range");
        row("hidden not divisible", R"({"hidden_size":250})", "hidden_size: 250 is not divisible");
        row("string where int", R"({"hidden_size":"256"})", "hidden_size: expected an integer");
        row("missing vocab", R"({"vocab_size":null})", "vocab_size: missing");
        row("unsupported rope", R"({"rope_scaling":{"rope_type":"longrope","factor":2.0}})",
            "rope_scaling.rope_type: unsupported RoPE scaling 'longrope'");
        row("bad layer_types", R"({"layer_types":["full_attention"]})",
            "layer_types: must list one type per layer");
        row("bad activation", R"({"hidden_act":"relu6"})", "hidden_act: unsupported activation 'relu6'");
    }
    void rejectsBadConfigs() {
        QFETCH(QString, patch);
        QFETCH(QString, expected);
        json j = base();
        j.merge_patch(json::parse(patch.toStdString()));
        if (j.contains("model_type") && j["model_type"].is_null()) j.erase("model_type");
        if (j.contains("vocab_size") && j["vocab_size"].is_null()) j.erase("vocab_size");
        try {
            io::parseModelConfig(j, "/some/config.json");
            QFAIL("accepted a bad config");
        } catch (const FormatError& e) {
            const QString msg = QString::fromUtf8(e.what());
            QVERIFY2(msg.startsWith(QStringLiteral("/some/config.json: ")), qPrintable(msg));
            QVERIFY2(msg.contains(expected), qPrintable(msg));
        }
    }

    // A checkpoint whose tensors disagree with its config is rejected naming the tensor.
    void wrongTensorShape() {
        namespace fs = std::filesystem;
        const fs::path src = test::resourcesDir() / "models" / "tiny-llama-gqa";
        const fs::path dir = test::outputDir() / "wrong-shape";
        fs::remove_all(dir);
        fs::create_directories(dir);
        fs::copy_file(src / "model.safetensors", dir / "model.safetensors");
        json c = json::parse(std::ifstream(src / "config.json"));
        c["num_key_value_heads"] = 4;
        std::ofstream(dir / "config.json") << c.dump();
        try {
            model::Model::load(dir);
            QFAIL("loaded a checkpoint that disagrees with its config");
        } catch (const FormatError& e) {
            QVERIFY2(
                QString::fromUtf8(e.what()).contains(QStringLiteral(
                    "tensor 'model.layers.0.self_attn.k_proj.weight': shape [64, 256], expected [128, 256]")),
                e.what());
        }
    }
};

} // namespace tst_model_config

TRANSMLA_TEST_MAIN(tst_model_config, tst_model_config::TestModelConfig)
#include "tst_model_config.moc"
