// Writes seed sessions for fuzz_session with the project's own writer (so the seeds follow the schema):
// an empty session and one with every result type (conversion report, sweep, both attention forms)
// and awkward strings. Usage: make_session_seeds DIR
#include <cmath>
#include <cstdio>
#include <limits>

#include "results/session.h"

using namespace transmla;

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    results::Session empty;
    results::saveSession(dir / "empty.h5", empty);

    results::Session full;
    full.model = {"/models/tiny", "0123456789abcdef", "fedcba9876543210"};
    full.settings = {{"method", "transmla"}, {"", "empty key"}};
    full.numericSettings = {{"kv_lora_rank", 48}, {"tiny", 5e-324}};
    analysis::SpectraResult sp;
    sp.model = "tiny";
    sp.samples = 2;
    sp.seqLen = 16;
    sp.spectra.push_back({analysis::SpectrumSource::WeightK, 0, 1, {3.0, 2.0, 1.0}});
    sp.spectra.push_back({analysis::SpectrumSource::V, 1, analysis::kAllHeads, {}});
    full.spectra = sp;
    analysis::KvBudget b;
    b.label = "gqa";
    b.numLayers = 2;
    b.numKvHeads = 2;
    b.headDim = 16;
    full.budgets = {b};
    analysis::AttentionMap m;
    m.prompt = std::string("nul\0byte", 8);
    m.layer = 1;
    m.tokenIds = {0, 7};
    m.tokenTexts = {"a", "\xc3\xa9"};
    m.promptTokens = 3; // cut to its first 2 tokens
    m.probs = {1, 0, 0.5, 0.5};
    m.rowEntropy = {0, std::log(2.0)};
    m.headEntropy = {0.3};
    full.attentionMaps = {m};
    m.form = analysis::ModelForm::Mla;
    full.attentionMaps.push_back(m);
    eval::LossResult loss;
    loss.documents = 2;
    loss.perDoc = {{1.5, 10, 0.5, 3}, {2.5, 20, std::numeric_limits<double>::quiet_NaN(), 0}};
    full.putLoss("original", loss);
    full.convertSettings = convert::ConvertSettings{};
    full.lossProblems = 2;
    results::ConversionRecord conversion;
    conversion.layers.push_back({0, 2, 0.9, 0.5, 1.25, {3.0, 1.0, 0.5}, 0.01});
    conversion.layers.push_back({1, 1, 0.8, 0.4, 0.75, {}, -1});
    conversion.lossFullRank = 2.5;
    full.conversion = conversion;
    results::RankSweep sweep;
    sweep.problems = 2;
    sweep.baseline = loss;
    sweep.put({8, 96, 2.75, loss});
    sweep.put({4, 64, 3.5, std::nullopt});
    full.sweep = sweep;
    results::saveSession(dir / "full.h5", full);
    return 0;
}
