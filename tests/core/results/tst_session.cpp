// HDF5 sessions: every result type survives a save/load bit for bit (doubles compared by their bytes,
// including -0, denormals, inf and NaN), damaged or newer files are refused with the file named, a
// failed save leaves the previous file as it was. Also the CSV export and the model fingerprint.
// Schema-1 files written by the old CLI and workbench (data/README.md) read into the typed fields.
#include <H5Cpp.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "analysis/budget.h"
#include "analysis/spectra.h"
#include "io/csv.h"
#include "io/hash.h"
#include "io/model_config.h"
#include "model/model.h"
#include "results/csv.h"
#include "results/session.h"
#include "testutil.h"
#include "tokenizer/tokenizer.h"
#include "util/error.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_session {

using namespace transmla;
namespace fs = std::filesystem;

namespace {

fs::path demoDir() {
    return test::resourcesDir() / "models" / "tiny-llama-gqa";
}

bool sameBits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() &&
           (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}
bool sameBits(double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

// A session holding every result type, real and hand-made (awkward strings and doubles included).
results::Session fullSession() {
    results::Session s;
    s.model = results::referenceModel(demoDir());
    s.settings = {{"method", "transmla"}, {"calibration", "gsm8k train, 64 x 256"}, {"", "empty key"}};
    s.numericSettings = {{"kv_lora_rank", 48}, {"qk_rope_head_dim", 16}, {"tiny", 5e-324}};
    const model::Model m = model::Model::load(demoDir(), {"cpu", "f32"});
    analysis::SpectraResult sp;
    sp.model = m.dir.string();
    sp.samples = 2;
    sp.seqLen = 16;
    sp.calibrationData = "train.jsonl";
    sp.spectra = analysis::weightSpectra(m);
    sp.spectra.push_back({analysis::SpectrumSource::V, 3, analysis::kAllHeads, {}});
    sp.spectra.push_back({analysis::SpectrumSource::KPostRope,
                          0,
                          1,
                          {1.0 / 3.0, -0.0, std::numeric_limits<double>::infinity()}});
    s.spectra = sp;
    s.budgets = analysis::standardBudgets(m.config, 32, 16, analysis::CacheDtype::BF16, 8226816);
    const auto tok = tok::Tokenizer::load(demoDir());
    s.attentionMaps.push_back(
        analysis::computeAttentionMap(m, tok, "Question: 1, 2 or \"3\"?\nAnswer:", 2, 7));
    analysis::AttentionMap odd;
    odd.prompt = std::string("nul\0byte", 8);
    odd.tokenIds = {0, 2047};
    odd.tokenTexts = {std::string("\0", 1), "a,b\n\"c\" \xc3\xa9"};
    odd.probs = {1, 0, std::nextafter(0.5, 1.0), std::numeric_limits<double>::quiet_NaN()};
    odd.rowEntropy = {0, std::log(2.0)};
    odd.promptTokens = 5; // a prompt cut to its first 2 tokens
    s.attentionMaps.push_back(odd);
    eval::LossResult loss;
    loss.documents = 3;
    loss.tokens = 300;
    loss.answerTokens = 120;
    loss.nllSum = 555.5;
    loss.answerNllSum = 0.1 + 0.2;
    loss.seconds = 1.25;
    loss.perDoc = {{100.1, 99, 40.3, 40}, {200.2, 101, 0, 0}, {255.2, 100, 1e-300, 80}};
    s.putLoss("original", loss);
    s.putLoss("mla r=32 / fp8", eval::LossResult{});
    analysis::AttentionMap mla =
        s.attentionMaps[0]; // same model, prompt, layer and head: only the form differs
    mla.form = analysis::ModelForm::Mla;
    mla.probs[1] = 0.25;
    s.putAttentionMap(mla);
    convert::ConvertSettings c;
    c.kvLoraRank = 40;
    c.latentNorm = convert::LatentNorm::Calibrated;
    c.foldQkNorm = true; // not the default, so that the round trip shows it is stored
    c.pcaActivations = convert::PcaActivations::Sequential; // not the default: the round trip shows it
    c.calibration.seed = 7;
    c.damping = 1e-9;
    s.convertSettings = c;
    s.lossProblems = 30;
    results::ConversionRecord conv;
    conv.settings = c;
    conv.ropeDim = 32;
    conv.maxRank = 96;
    conv.freqFold = 2;
    conv.kvBytesPerTokenBefore = 1024;
    conv.kvBytesPerTokenAfter = 576;
    conv.secondsTotal = 0.5;
    conv.modelContentHash = "abc";
    conv.exportProblem = "none, \"quoted\"";
    conv.lossFullRank = -0.0;
    conv.layers = {{0, 40, 0.9, 0.75, 3.25, {1.5, 1.0 / 3.0, 5e-324}, 0.45}, {1, 0, 1, 1, 1, {}, -1}};
    s.conversion = conv;
    results::RankSweep sweep;
    sweep.settings = results::sweepPointSettings(c, -1);
    sweep.problems = 3;
    sweep.baseline = loss;
    sweep.baselineKvBytesPerToken = 1024;
    sweep.put({48, 640, loss.meanNll(), loss});
    sweep.put(
        {16, 384, std::numeric_limits<double>::infinity(), std::nullopt}); // mean only (schema-1 workbench)
    s.sweep = sweep;
    return s;
}

void requireEqualLoss(const eval::LossResult& x, const eval::LossResult& y) {
    QVERIFY(x.documents == y.documents && x.tokens == y.tokens && x.answerTokens == y.answerTokens);
    QVERIFY(sameBits(x.nllSum, y.nllSum) && sameBits(x.answerNllSum, y.answerNllSum) &&
            sameBits(x.seconds, y.seconds));
    QCOMPARE(y.perDoc.size(), x.perDoc.size());
    for (size_t d = 0; d < x.perDoc.size(); ++d)
        QVERIFY(sameBits(x.perDoc[d].nllSum, y.perDoc[d].nllSum) &&
                x.perDoc[d].tokens == y.perDoc[d].tokens &&
                sameBits(x.perDoc[d].answerNllSum, y.perDoc[d].answerNllSum) &&
                x.perDoc[d].answerTokens == y.perDoc[d].answerTokens);
}

// Every field of the settings, compared through their table (audit.h) and the bits of the doubles.
void requireEqualSettings(const convert::ConvertSettings& a, const convert::ConvertSettings& b) {
    QVERIFY(a.exact == b.exact && a.kvLoraRank == b.kvLoraRank && a.qkRopeHeadDim == b.qkRopeHeadDim &&
            a.freqFold == b.freqFold && a.rorope == b.rorope && a.preRopeKeyStats == b.preRopeKeyStats &&
            a.balanceKv == b.balanceKv && a.jointPca == b.jointPca && a.latentNorm == b.latentNorm &&
            a.foldQkNorm == b.foldQkNorm && a.pcaActivations == b.pcaActivations);
    QVERIFY(sameBits(a.energy, b.energy) && sameBits(a.damping, b.damping));
    QVERIFY(a.calibration.source == b.calibration.source && a.calibration.samples == b.calibration.samples &&
            a.calibration.seqLen == b.calibration.seqLen && a.calibration.seed == b.calibration.seed &&
            a.calibration.microBatch == b.calibration.microBatch);
}

void requireEqualTyped(const results::Session& a, const results::Session& b) {
    QCOMPARE(b.convertSettings.has_value(), a.convertSettings.has_value());
    if (a.convertSettings) requireEqualSettings(*a.convertSettings, *b.convertSettings);
    QCOMPARE(b.lossProblems, a.lossProblems);
    QCOMPARE(b.conversion.has_value(), a.conversion.has_value());
    if (a.conversion) {
        const auto &x = *a.conversion, &y = *b.conversion;
        requireEqualSettings(x.settings, y.settings);
        QVERIFY(x.ropeDim == y.ropeDim && x.maxRank == y.maxRank && x.freqFold == y.freqFold &&
                x.kvBytesPerTokenBefore == y.kvBytesPerTokenBefore &&
                x.kvBytesPerTokenAfter == y.kvBytesPerTokenAfter);
        QVERIFY(sameBits(x.secondsTotal, y.secondsTotal));
        QVERIFY(x.modelContentHash == y.modelContentHash && x.calibrationFile == y.calibrationFile &&
                x.exportProblem == y.exportProblem);
        QCOMPARE(y.lossFullRank.has_value(), x.lossFullRank.has_value());
        if (x.lossFullRank) QVERIFY(sameBits(*x.lossFullRank, *y.lossFullRank));
        QCOMPARE(y.layers.size(), x.layers.size());
        for (size_t i = 0; i < x.layers.size(); ++i) {
            const auto &l = x.layers[i], &m = y.layers[i];
            QVERIFY(l.layer == m.layer && l.rank == m.rank);
            QVERIFY(sameBits(l.retainedEnergy, m.retainedEnergy) &&
                    sameBits(l.ropeEnergyFraction, m.ropeEnergyFraction) && sameBits(l.alpha, m.alpha) &&
                    sameBits(l.attentionError, m.attentionError));
            QVERIFY(sameBits(l.eigenvalues, m.eigenvalues));
        }
    }
    QCOMPARE(b.sweep.has_value(), a.sweep.has_value());
    if (a.sweep) {
        const auto &x = *a.sweep, &y = *b.sweep;
        requireEqualSettings(x.settings, y.settings);
        QVERIFY(x.problems == y.problems && x.baselineKvBytesPerToken == y.baselineKvBytesPerToken);
        QCOMPARE(y.baseline.has_value(), x.baseline.has_value());
        if (x.baseline) requireEqualLoss(*x.baseline, *y.baseline);
        QCOMPARE(y.points.size(), x.points.size());
        for (size_t i = 0; i < x.points.size(); ++i) {
            QVERIFY(x.points[i].rank == y.points[i].rank &&
                    x.points[i].kvBytesPerToken == y.points[i].kvBytesPerToken);
            QVERIFY(sameBits(x.points[i].meanNll, y.points[i].meanNll));
            QCOMPARE(y.points[i].loss.has_value(), x.points[i].loss.has_value());
            if (x.points[i].loss) requireEqualLoss(*x.points[i].loss, *y.points[i].loss);
        }
    }
}

void requireEqual(const results::Session& a, const results::Session& b) {
    requireEqualTyped(a, b);
    QCOMPARE(b.model.path, a.model.path);
    QCOMPARE(b.model.configHash, a.model.configHash);
    QCOMPARE(b.model.weightsHash, a.model.weightsHash);
    QVERIFY(b.settings == a.settings);
    QCOMPARE(b.numericSettings.size(), a.numericSettings.size());
    for (const auto& [k, v] : a.numericSettings)
        QVERIFY(sameBits(b.numericSettings.at(k), v));
    QVERIFY(b.spectra.has_value());
    QCOMPARE(b.spectra->model, a.spectra->model);
    QCOMPARE(b.spectra->calibrationData, a.spectra->calibrationData);
    QCOMPARE(b.spectra->samples, a.spectra->samples);
    QCOMPARE(b.spectra->seqLen, a.spectra->seqLen);
    QCOMPARE(b.spectra->spectra.size(), a.spectra->spectra.size());
    for (size_t i = 0; i < a.spectra->spectra.size(); ++i) {
        const auto &x = a.spectra->spectra[i], &y = b.spectra->spectra[i];
        QVERIFY(x.source == y.source && x.layer == y.layer && x.head == y.head);
        QVERIFY(sameBits(x.singularValues, y.singularValues));
    }
    QCOMPARE(b.budgets.size(), a.budgets.size());
    for (size_t i = 0; i < a.budgets.size(); ++i) {
        const auto &x = a.budgets[i], &y = b.budgets[i];
        QCOMPARE(y.label, x.label);
        QVERIFY(x.kind == y.kind);
        QVERIFY(x.numLayers == y.numLayers && x.numKvHeads == y.numKvHeads && x.headDim == y.headDim &&
                x.kvLoraRank == y.kvLoraRank && x.qkRopeHeadDim == y.qkRopeHeadDim &&
                x.elementsPerTokenPerLayer == y.elementsPerTokenPerLayer &&
                x.bytesPerElement == y.bytesPerElement && x.weightsBytes == y.weightsBytes);
    }
    QCOMPARE(b.attentionMaps.size(), a.attentionMaps.size());
    for (size_t i = 0; i < a.attentionMaps.size(); ++i) {
        const auto &x = a.attentionMaps[i], &y = b.attentionMaps[i];
        QCOMPARE(y.model, x.model);
        QVERIFY(y.form == x.form);
        QCOMPARE(y.promptTokens, x.promptTokens);
        QCOMPARE(y.prompt, x.prompt);
        QVERIFY(x.layer == y.layer && x.head == y.head && x.tokenIds == y.tokenIds &&
                x.tokenTexts == y.tokenTexts);
        QVERIFY(sameBits(x.probs, y.probs) && sameBits(x.rowEntropy, y.rowEntropy) &&
                sameBits(x.headEntropy, y.headEntropy));
    }
    QCOMPARE(b.losses.size(), a.losses.size());
    for (size_t i = 0; i < a.losses.size(); ++i) {
        QCOMPARE(b.losses[i].label, a.losses[i].label);
        requireEqualLoss(a.losses[i].result, b.losses[i].result);
    }
}

fs::path freshDir(const char* name) {
    const fs::path d = test::outputDir() / "session" / name;
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

} // namespace

class TestSession : public QObject {
    Q_OBJECT
private slots:
    void roundTripIsBitIdentical() {
        const fs::path file = freshDir("roundtrip") / "s.h5";
        const results::Session s = fullSession();
        results::saveSession(file, s);
        const results::Session back = results::loadSession(file);
        requireEqual(s, back);
        // Saving what was loaded gives the same results again (nothing lost or reordered).
        results::saveSession(file, back);
        requireEqual(s, results::loadSession(file));
    }

    void emptySessionRoundTrips() {
        const fs::path file = freshDir("empty") / "s.h5";
        results::saveSession(file, results::Session{});
        const results::Session back = results::loadSession(file);
        QVERIFY(!back.spectra && back.budgets.empty() && back.attentionMaps.empty() && back.losses.empty());
    }

    void truncatedFileIsRejected() {
        const fs::path dir = freshDir("truncated");
        results::saveSession(dir / "s.h5", fullSession());
        const std::string bytes = test::readFile(dir / "s.h5");
        for (size_t keep : {size_t(0), size_t(100), bytes.size() / 2, bytes.size() - 1}) {
            const fs::path cut = dir / ("cut" + std::to_string(keep) + ".h5");
            std::ofstream(cut, std::ios::binary).write(bytes.data(), std::streamsize(keep));
            try {
                results::loadSession(cut);
                QFAIL(qPrintable(QStringLiteral("a file cut to %1 bytes was accepted").arg(keep)));
            } catch (const FormatError& e) {
                QVERIFY2(std::string(e.what()).find(cut.string()) != std::string::npos, e.what());
            }
        }
        std::ofstream(dir / "text.h5") << "not hdf5 at all";
        QVERIFY_THROWS_EXCEPTION(FormatError, results::loadSession(dir / "text.h5"));
        QVERIFY_THROWS_EXCEPTION(FormatError, results::loadSession(dir / "missing.h5"));
    }

    void newerSchemaIsRejected() {
        const fs::path file = freshDir("newer") / "s.h5";
        results::saveSession(file, results::Session{});
        {
            H5::H5File f(file.string(), H5F_ACC_RDWR);
            const int32_t newer = results::kSessionSchemaVersion + 1;
            f.openAttribute("schema_version").write(H5::PredType::NATIVE_INT32, &newer);
        }
        try {
            results::loadSession(file);
            QFAIL("a newer schema was accepted");
        } catch (const FormatError& e) {
            const std::string what = e.what();
            QVERIFY2(what.find(file.string()) != std::string::npos && what.find("newer") != std::string::npos,
                     e.what());
        }
    }

    // Found by fuzz_session: offsets {0, 100, 5, n} start and end right but a middle entry points past
    // the bytes; every entry must be checked before any string is cut.
    void badMiddleOffsetIsRejected() {
        const fs::path file = freshDir("offsets") / "s.h5";
        results::Session s;
        s.settings = {{"a", "xy"}, {"b", "z"}, {"c", "w"}};
        results::saveSession(file, s);
        {
            H5::H5File f(file.string(), H5F_ACC_RDWR);
            const std::vector<int64_t> bad{0, 100, 1, 3};
            f.openDataSet("/settings/values/offsets").write(bad.data(), H5::PredType::NATIVE_INT64);
        }
        try {
            results::loadSession(file);
            QFAIL("offsets pointing past the bytes were accepted");
        } catch (const FormatError& e) {
            const std::string what = e.what();
            QVERIFY2(what.find(file.string()) != std::string::npos &&
                         what.find("/settings/values/offsets") != std::string::npos,
                     e.what());
        }
    }

    // New files use the checksummed HDF5 format (superblock >= 2), so that libhdf5 refuses damaged
    // metadata instead of trusting it; a flipped byte in the superblock is then reported, not followed.
    void savedFilesAreChecksummed() {
        const fs::path dir = freshDir("checksum");
        results::saveSession(dir / "s.h5", results::Session{});
        std::string bytes = test::readFile(dir / "s.h5");
        QVERIFY(bytes.size() > 48);
        QVERIFY2(static_cast<unsigned char>(bytes[8]) >= 2, "superblock version < 2 (no checksums)");
        bytes[20] = char(bytes[20] ^ 0x40); // inside the superblock's addresses, covered by its checksum
        std::ofstream(dir / "flipped.h5", std::ios::binary) << bytes;
        QVERIFY_THROWS_EXCEPTION(FormatError, results::loadSession(dir / "flipped.h5"));
        bytes[8] = 7; // a superblock version libhdf5 does not know
        std::ofstream(dir / "version.h5", std::ios::binary) << bytes;
        try {
            results::loadSession(dir / "version.h5");
            QFAIL("superblock version 7 accepted");
        } catch (const FormatError& e) {
            QVERIFY2(std::string(e.what()).find("superblock version 7") != std::string::npos, e.what());
        }
    }

    // Sessions saved before the switch to the checksummed format (superblock 0, written by
    // `transmla analyze budget tiny-llama-gqa --rank 32 --session`) still open: nothing is lost.
    void oldFormatStillLoads() {
        const fs::path file =
            test::resourcesDir().parent_path() / "tests/core/results/data/session-schema1-superblock0.h5";
        QCOMPARE(int(static_cast<unsigned char>(test::readFile(file).at(8))), 0); // superblock version
        const results::Session s = results::loadSession(file);
        QVERIFY2(s.model.path.size() > 14 &&
                     s.model.path.substr(s.model.path.size() - 14) == "tiny-llama-gqa",
                 s.model.path.c_str());
        QCOMPARE(s.budgets.size(), size_t(3));
        QCOMPARE(s.budgets[2].label, std::string("MLA r=32 r_R=16"));
        QCOMPARE(s.budgets[2].kvLoraRank, int64_t(32));
    }

    // pca_activations is newer than the schema: a session without it loads as original (what every
    // conversion did before the setting existed).
    void sessionWithoutPcaActivationsLoadsAsOriginal() {
        const fs::path file = freshDir("no-pca-activations") / "s.h5";
        results::Session s;
        convert::ConvertSettings c;
        c.pcaActivations = convert::PcaActivations::PartialRope;
        s.convertSettings = c;
        results::saveSession(file, s);
        QVERIFY(results::loadSession(file).convertSettings->pcaActivations ==
                convert::PcaActivations::PartialRope);
        {
            H5::H5File f(file.string(), H5F_ACC_RDWR);
            f.openGroup("convert_settings").removeAttr("pca_activations");
        }
        QVERIFY(results::loadSession(file).convertSettings->pcaActivations ==
                convert::PcaActivations::Original);
    }

    void failedSaveKeepsTheOldFile() {
        const fs::path dir = freshDir("failed");
        const fs::path file = dir / "s.h5";
        results::saveSession(file, results::Session{});
        const std::string before = test::readFile(file);
        results::Session broken = fullSession();
        broken.attentionMaps[0].probs.pop_back(); // inconsistent: detected halfway through the write
        QVERIFY_THROWS_EXCEPTION(ArgumentError, results::saveSession(file, broken));
        QCOMPARE(test::readFile(file), before);
        int entries = 0;
        for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir))
            ++entries;
        QCOMPARE(entries, 1); // no temporary left behind
        QVERIFY_THROWS_EXCEPTION(
            Error, results::saveSession(dir / "no" / "such" / "folder" / "s.h5", results::Session{}));
    }

    void putReplacesSameKey() {
        results::Session s;
        analysis::AttentionMap m;
        m.layer = 1;
        m.prompt = "p";
        s.putAttentionMap(m);
        m.tokenIds = {5};
        s.putAttentionMap(m);
        QCOMPARE(s.attentionMaps.size(), size_t(1));
        QCOMPARE(s.attentionMaps[0].tokenIds.size(), size_t(1));
        m.head = 2;
        s.putAttentionMap(m);
        QCOMPARE(s.attentionMaps.size(), size_t(2));
    }

    void modelFingerprint() {
        // FNV-1a 64 test vectors (Fowler/Noll/Vo): "" and "a".
        QCOMPARE(io::fnv1a64("", 0), 0xcbf29ce484222325ULL);
        QCOMPARE(io::fnv1a64("a", 1), 0xaf63dc4c8601ec8cULL);
        QCOMPARE(io::hashHex(0xaf63dc4c8601ec8cULL), std::string("af63dc4c8601ec8c"));
        const results::ModelReference a = results::referenceModel(demoDir()),
                                      b = results::referenceModel(demoDir());
        QVERIFY(a.sameContent(b));
        QCOMPARE(a.configHash, io::hashHex(io::fnv1a64(test::readFile(demoDir() / "config.json").data(),
                                                       test::readFile(demoDir() / "config.json").size())));
        const fs::path other = test::sharedDir() / "models" / "tiny-qwen2-gqa";
        TRANSMLA_REQUIRE_SHARED(other);
        QVERIFY(!a.sameContent(results::referenceModel(other)));
    }

    void csvExport() {
        const fs::path dir = freshDir("csv");
        const results::Session s = fullSession();
        const auto files = results::writeSessionCsv(dir / "out", s);
        // spectra, budgets, 3 attention maps, 2 losses, the sweep (means, baseline and one point per problem)
        QCOMPARE(int64_t(files.size()), int64_t(1 + 1 + 3 + 2 + 3));
        for (const auto& f : files)
            QVERIFY(fs::is_regular_file(f));
        // Spectra: one row per singular value plus the header.
        size_t values = 0;
        for (const auto& sp : s.spectra->spectra)
            values += sp.singularValues.size();
        const std::string spectra = test::readFile(dir / "out" / "spectra.csv");
        QCOMPARE(size_t(std::count(spectra.begin(), spectra.end(), '\n')), values + 1);
        // The first value parses back to the same double.
        const auto& first = s.spectra->spectra[0];
        const std::string row = spectra.substr(spectra.find('\n') + 1);
        QCOMPARE(row.substr(0, row.find(',')), std::string("weight_k"));
        const size_t col = row.find(',', row.find(',', row.find(',', row.find(',') + 1) + 1) + 1) + 1;
        QVERIFY(sameBits(std::strtod(row.c_str() + col, nullptr), first.singularValues[0]));
        // RFC 4180 quoting of a token holding a comma, a newline and quotes.
        QCOMPARE(io::csvField("a,b\n\"c\""), std::string("\"a,b\n\"\"c\"\"\""));
        const std::string att = test::readFile(files[3]);
        QVERIFY(att.find("\"a,b\n\"\"c\"\" \xc3\xa9\"") != std::string::npos);
        const std::string budgets = test::readFile(dir / "out" / "budgets.csv");
        QVERIFY(budgets.find("\"MLA r=32 r_R=16\"") == std::string::npos); // no comma: unquoted
        QVERIFY(budgets.find("MLA r=32 r_R=16,mla,2,4,32,16,48,96,384,") != std::string::npos);
        QVERIFY(fs::is_regular_file(dir / "out" / "loss_mla_r_32___fp8.csv"));
        // The sweep: the baseline first, then the points by rank; "inf" for the mean-only point.
        QCOMPARE(
            test::readFile(dir / "out" / "sweep.csv"),
            std::string(
                "model,kv_lora_rank,kv_bytes_per_token,mean_nll,problems\ngqa,,1024,1.8516666666666666,3\n"
                "mla,16,384,inf,3\nmla,48,640,1.8516666666666666,3\n"));
        QVERIFY(fs::is_regular_file(dir / "out" / "sweep_loss_r48.csv") &&
                !fs::exists(dir / "out" / "sweep_loss_r16.csv"));
    }
};

} // namespace tst_session

TRANSMLA_TEST_MAIN(tst_session, tst_session::TestSession)
#include "tst_session.moc"
