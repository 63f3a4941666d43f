// The family table (io/family.h) pinned against the names transformers uses, written out by hand
// below from the checkpoints transformers saves (LlamaForCausalLM, Qwen2ForCausalLM,
// MixtralForCausalLM's block_sparse_moe.experts.N.w1/w2/w3, DeepseekV3ForCausalLM as we export it);
// and every reference checkpoint in ../shared loaded through the table with no tensor left unread.
#include <map>
#include <set>

#include <ATen/ATen.h>

#include "io/family.h"
#include "io/model_config.h"
#include "io/safetensors.h"
#include "model/model.h"
#include "testutil.h"
#include "util/error.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_family {

using namespace transmla;
using io::Family;
using K = io::TensorKind;

namespace {

// kind -> the weight's name in layer 7 (expert 5), as transformers' state dicts spell it.
using Names = std::map<K, std::string>;

const Names kLlama = {
    {K::Embed, "model.embed_tokens.weight"},
    {K::FinalNorm, "model.norm.weight"},
    {K::LmHead, "lm_head.weight"},
    {K::InputNorm, "model.layers.7.input_layernorm.weight"},
    {K::PostAttnNorm, "model.layers.7.post_attention_layernorm.weight"},
    {K::Q, "model.layers.7.self_attn.q_proj.weight"},
    {K::K, "model.layers.7.self_attn.k_proj.weight"},
    {K::V, "model.layers.7.self_attn.v_proj.weight"},
    {K::O, "model.layers.7.self_attn.o_proj.weight"},
    {K::Gate, "model.layers.7.mlp.gate_proj.weight"},
    {K::Up, "model.layers.7.mlp.up_proj.weight"},
    {K::Down, "model.layers.7.mlp.down_proj.weight"},
};

Names without(Names n, std::initializer_list<K> kinds) {
    for (K k : kinds)
        n.erase(k);
    return n;
}
Names with(Names n, const Names& more) {
    for (const auto& [k, v] : more)
        n[k] = v;
    return n;
}

const Names kMixtral = with(without(kLlama, {K::Gate, K::Up, K::Down}),
                            {{K::Router, "model.layers.7.block_sparse_moe.gate.weight"},
                             {K::ExpertGate, "model.layers.7.block_sparse_moe.experts.5.w1.weight"},
                             {K::ExpertDown, "model.layers.7.block_sparse_moe.experts.5.w2.weight"},
                             {K::ExpertUp, "model.layers.7.block_sparse_moe.experts.5.w3.weight"}});

const Names kGemma2 = with(kLlama, {{K::PreFfnNorm, "model.layers.7.pre_feedforward_layernorm.weight"},
                                    {K::PostFfnNorm, "model.layers.7.post_feedforward_layernorm.weight"}});

// Qwen3 / Gemma-3: per-head q/k RMSNorm weights beside the projections (Qwen3Attention.q_norm / k_norm).
const Names kQkNorm = {{K::QNorm, "model.layers.7.self_attn.q_norm.weight"},
                       {K::KNorm, "model.layers.7.self_attn.k_norm.weight"}};
const Names kQwen3 = with(kLlama, kQkNorm);
const Names kGemma3 = with(kGemma2, kQkNorm);

const Names kPhi3 = with(without(kLlama, {K::Q, K::K, K::V, K::Gate, K::Up}),
                         {{K::Qkv, "model.layers.7.self_attn.qkv_proj.weight"},
                          {K::GateUp, "model.layers.7.mlp.gate_up_proj.weight"}});

// What we write for the deepseek_v3 export (and read back): transformers' DeepseekV3 names.
const Names kDeepseekV3 =
    with(without(kLlama, {K::K, K::V}), {{K::Qa, "model.layers.7.self_attn.q_a_proj.weight"},
                                         {K::QaNorm, "model.layers.7.self_attn.q_a_layernorm.weight"},
                                         {K::Qb, "model.layers.7.self_attn.q_b_proj.weight"},
                                         {K::KvA, "model.layers.7.self_attn.kv_a_proj_with_mqa.weight"},
                                         {K::KvANorm, "model.layers.7.self_attn.kv_a_layernorm.weight"},
                                         {K::KvB, "model.layers.7.self_attn.kv_b_proj.weight"}});

bool isExpert(K k) {
    return k == K::ExpertGate || k == K::ExpertUp || k == K::ExpertDown;
}
bool modelWide(K k) {
    return k == K::Embed || k == K::FinalNorm || k == K::LmHead;
}

// Every name the table can give for a checkpoint of config c (weights, and biases of projections).
std::set<std::string> tableNames(const io::ModelConfig& c) {
    const io::FamilySpec& f = io::familySpec(c.family);
    std::set<std::string> names;
    for (int k = 0; k < io::kTensorKinds; ++k) {
        const K kind = K(k);
        if (!f.has(kind)) continue;
        if (modelWide(kind)) {
            names.insert(f.tensorName(kind));
            continue;
        }
        for (int64_t i = 0; i < c.numLayers; ++i) {
            if (isExpert(kind)) {
                for (int64_t e = 0; e < c.numExperts; ++e)
                    names.insert(f.tensorName(kind, i, e));
                continue;
            }
            names.insert(f.tensorName(kind, i));
            names.insert(f.biasName(kind, i));
        }
    }
    return names;
}

} // namespace

class TestFamily : public QObject {
    Q_OBJECT
private slots:
    void tensorNamesAsTransformersSpellsThem_data() {
        QTest::addColumn<int>("family");
        QTest::addColumn<QString>("modelType");
        QTest::addColumn<QString>("architecture");
        QTest::newRow("llama") << int(Family::Llama) << QStringLiteral("llama")
                               << QStringLiteral("LlamaForCausalLM");
        QTest::newRow("qwen2") << int(Family::Qwen2) << QStringLiteral("qwen2")
                               << QStringLiteral("Qwen2ForCausalLM");
        QTest::newRow("mistral") << int(Family::Mistral) << QStringLiteral("mistral")
                                 << QStringLiteral("MistralForCausalLM");
        QTest::newRow("mixtral") << int(Family::Mixtral) << QStringLiteral("mixtral")
                                 << QStringLiteral("MixtralForCausalLM");
        QTest::newRow("gemma2") << int(Family::Gemma2) << QStringLiteral("gemma2")
                                << QStringLiteral("Gemma2ForCausalLM");
        QTest::newRow("phi3") << int(Family::Phi3) << QStringLiteral("phi3")
                              << QStringLiteral("Phi3ForCausalLM");
        QTest::newRow("qwen3") << int(Family::Qwen3) << QStringLiteral("qwen3")
                               << QStringLiteral("Qwen3ForCausalLM");
        QTest::newRow("gemma3_text") << int(Family::Gemma3Text) << QStringLiteral("gemma3_text")
                                     << QStringLiteral("Gemma3ForCausalLM");
        QTest::newRow("deepseek_v3 (export)") << int(Family::DeepseekV3) << QStringLiteral("deepseek_v3")
                                              << QStringLiteral("DeepseekV3ForCausalLM");
    }
    void tensorNamesAsTransformersSpellsThem() {
        QFETCH(int, family);
        QFETCH(QString, modelType);
        QFETCH(QString, architecture);
        const Family fam = Family(family);
        const std::map<Family, const Names*> expected = {
            {Family::Llama, &kLlama},     {Family::Qwen2, &kLlama},       {Family::Mistral, &kLlama},
            {Family::Mixtral, &kMixtral}, {Family::Gemma2, &kGemma2},     {Family::Phi3, &kPhi3},
            {Family::Qwen3, &kQwen3},     {Family::Gemma3Text, &kGemma3}, {Family::DeepseekV3, &kDeepseekV3}};
        const io::FamilySpec& f = io::familySpec(fam);
        QCOMPARE(QString::fromLatin1(f.modelType), modelType);
        QCOMPARE(QString::fromLatin1(f.architecture), architecture);
        QCOMPARE(io::findFamily(modelType.toStdString()), &f);
        const Names& names = *expected.at(fam);
        for (int k = 0; k < io::kTensorKinds; ++k) {
            const K kind = K(k);
            const auto it = names.find(kind);
            const QByteArray what =
                QByteArray(f.modelType) + " " + QByteArray::fromStdString(io::tensorKindName(kind));
            QVERIFY2(f.has(kind) == (it != names.end()), what.constData());
            if (it == names.end()) {
                QVERIFY_THROWS_EXCEPTION(Error, f.tensorName(kind, 7, 5)); // a kind the family lacks is a bug
                continue;
            }
            QCOMPARE(f.tensorName(kind, 7, 5), it->second);
            if (!modelWide(kind) && !isExpert(kind)) { // one .weight convention: the bias is its sibling
                std::string bias = it->second;
                bias.replace(bias.size() - 7, 7, ".bias");
                QCOMPARE(f.biasName(kind, 7), bias);
            }
        }
        // Placeholders must be filled: a layer tensor without its layer is a caller's bug.
        QVERIFY_THROWS_EXCEPTION(Error, f.tensorName(K::InputNorm));
        if (f.moe()) QVERIFY_THROWS_EXCEPTION(Error, f.tensorName(K::ExpertGate, 7));
    }

    // Only the families whose block DeepSeek-V3 cannot hold refuse the export.
    void exportability() {
        for (const io::FamilySpec& f : io::families()) {
            const bool blocked =
                f.family == Family::Gemma2 || f.family == Family::Mixtral || f.family == Family::Gemma3Text;
            QVERIFY2((f.exportBlock != nullptr) == blocked, f.modelType);
        }
    }

    // Each reference checkpoint: every tensor in the folder is one the table names, and a whole load
    // reads every one of them (Model::unreadTensors empty).
    void referenceCheckpointsReadThroughTable_data() {
        QTest::addColumn<QString>("model");
        for (const char* m :
             {"tiny-llama-gqa", "tiny-qwen2-gqa", "fixture-mistral-swa", "fixture-gemma2", "fixture-phi3",
              "fixture-mixtral", "stories260K", "tiny-qwen3-gqa", "tiny-gemma3-gqa"})
            QTest::newRow(m) << QString::fromLatin1(m);
    }
    void referenceCheckpointsReadThroughTable() {
        QFETCH(QString, model);
        const auto dir = test::referenceModel(model.toStdString());
        TRANSMLA_REQUIRE_SHARED(dir / "model.safetensors");
        const io::ModelConfig c = io::loadModelConfig(dir);
        const std::set<std::string> known = tableNames(c);
        const io::Checkpoint ckpt(dir);
        for (const std::string& name : ckpt.names())
            QVERIFY2(known.count(name), name.c_str());
        const model::Model m = model::Model::load(dir);
        QVERIFY2(m.unreadTensors.empty(), m.unreadTensors.empty() ? "" : m.unreadTensors.front().c_str());
    }

    // The check has teeth: a tensor the table does not name is reported, not silently dropped.
    void unreadTensorIsReported() {
        const auto src = test::sharedDir() / "models" / "tiny-llama-gqa";
        TRANSMLA_REQUIRE_SHARED(src / "model.safetensors");
        const auto dir = test::outputDir() / "family-extra-tensor";
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        std::filesystem::copy_file(src / "config.json", dir / "config.json");
        const io::Checkpoint ckpt(src);
        std::vector<std::pair<std::string, at::Tensor>> tensors;
        for (const std::string& name : ckpt.names())
            tensors.emplace_back(name, ckpt.view(name));
        const std::string extra =
            "model.layers.0.self_attn.rotary_emb.inv_freq"; // as old Llama checkpoints hold
        tensors.emplace_back(extra, at::zeros({16}));
        io::writeSafetensors(dir / "model.safetensors", tensors);
        const model::Model m = model::Model::load(dir);
        QCOMPARE(m.unreadTensors, std::vector<std::string>{extra});
    }
};

} // namespace tst_family

TRANSMLA_TEST_MAIN(tst_family, tst_family::TestFamily)
#include "tst_family.moc"
