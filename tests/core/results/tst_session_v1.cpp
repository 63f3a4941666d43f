// Schema-1 sessions written by the code before issue 15 (data/README.md: the CLI's loss sweep and
// attention map, the workbench's conversion report and rank sweep) read into the typed fields of
// schema 2, compared with what the old writers printed beside them (%.17g text, the old CSV export,
// the CLI's table) and with hand formulas; and damaged fields of either schema are refused with the
// file and the field named.
#include <H5Cpp.h>

#include <cmath>
#include <functional>
#include <map>

#include "results/session.h"
#include "testutil.h"
#include "util/error.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_session_v1 {

using namespace transmla;
namespace fs = std::filesystem;

namespace {

fs::path dataDir() {
    return test::resourcesDir().parent_path() / "tests/core/results/data";
}

// RFC 4180 rows (quoted fields may hold commas, quotes and newlines).
std::vector<std::vector<std::string>> readCsv(const fs::path& file) {
    const std::string text = test::readFile(file);
    std::vector<std::vector<std::string>> rows(1);
    std::string field;
    bool quoted = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        if (quoted) {
            if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"')
                field += '"', ++i;
            else if (ch == '"')
                quoted = false;
            else
                field += ch;
        } else if (ch == '"') {
            quoted = true;
        } else if (ch == ',') {
            rows.back().push_back(field), field.clear();
        } else if (ch == '\n') {
            rows.back().push_back(field), field.clear();
            rows.emplace_back();
        } else {
            field += ch;
        }
    }
    rows.pop_back();          // after the last '\n'
    rows.erase(rows.begin()); // the header
    return rows;
}
double num(const std::string& s) {
    return std::strtod(s.c_str(), nullptr);
} // %.17g text: exact
int64_t integer(const std::string& s) {
    return std::stoll(s);
}

// workbench-v1.reference.csv: kind,a,b,value -> "kind/a/b" -> value
std::map<std::string, std::string> reference() {
    std::map<std::string, std::string> out;
    for (const auto& r : readCsv(dataDir() / "workbench-v1.reference.csv"))
        out[r[0] + "/" + r[1] + "/" + r[2]] = r[3];
    return out;
}

void requirePerDocAsCsv(const eval::LossResult& loss, const fs::path& csv) {
    const auto rows = readCsv(csv);
    QCOMPARE(loss.perDoc.size(), rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
        QCOMPARE(loss.perDoc[i].nllSum, num(rows[i][1]));
        QCOMPARE(loss.perDoc[i].tokens, integer(rows[i][2]));
        QCOMPARE(loss.perDoc[i].answerNllSum, num(rows[i][3]));
        QCOMPARE(loss.perDoc[i].answerTokens, integer(rows[i][4]));
    }
}

bool hasKeyStarting(const std::map<std::string, double>& m, const std::string& prefix) {
    for (const auto& [k, v] : m)
        if (k.rfind(prefix, 0) == 0) return true;
    return false;
}

fs::path copyToOutput(const fs::path& from, const std::string& name) {
    const fs::path dir = test::outputDir() / "session_v1";
    fs::create_directories(dir);
    const fs::path to = dir / name;
    fs::copy_file(from, to, fs::copy_options::overwrite_existing);
    fs::permissions(to, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::add);
    return to;
}

// The demo model (config.json): 4 layers, 2 KV heads of head_dim 32; caches in 16-bit.
constexpr int64_t kLayers = 4, kGd = 2 * 32;
int64_t mlaBytes(int64_t rank, int64_t ropeDim) {
    return (rank + ropeDim) * 2 * kLayers;
}

} // namespace

class TestSessionV1 : public QObject {
    Q_OBJECT
private slots:
    void workbenchSchema1() {
        auto ref = reference();
        const results::Session s = results::loadSession(dataDir() / "workbench-v1.h5");
        QVERIFY(s.convertSettings && s.conversion && s.sweep);
        QCOMPARE(s.convertSettings->kvLoraRank, integer(ref["setting/kv_lora_rank/"]));
        QCOMPARE(s.convertSettings->qkRopeHeadDim, integer(ref["setting/qk_rope_head_dim/"]));
        QCOMPARE(s.convertSettings->calibration.samples, integer(ref["setting/calibration_samples/"]));
        QCOMPARE(s.convertSettings->calibration.seqLen, integer(ref["setting/calibration_seq_len/"]));
        QCOMPARE(s.lossProblems, integer(ref["setting/loss_problems/"]));
        const results::ConversionRecord& c = *s.conversion;
        QCOMPARE(c.ropeDim, integer(ref["result/rope_dim/"]));
        QCOMPARE(c.maxRank, integer(ref["result/max_rank/"]));
        QCOMPARE(c.kvBytesPerTokenBefore, integer(ref["result/kv_bytes_before/"]));
        QCOMPARE(c.kvBytesPerTokenAfter, integer(ref["result/kv_bytes_after/"]));
        QCOMPARE(c.kvBytesPerTokenBefore, 2 * kGd * 2 * kLayers);
        QCOMPARE(c.kvBytesPerTokenAfter, mlaBytes(40, 32));
        QCOMPARE(int64_t(c.layers.size()), kLayers);
        for (const auto& l : c.layers) {
            const std::string p = "layer/" + std::to_string(l.layer) + "/";
            QCOMPARE(l.rank, integer(ref[p + "rank"]));
            QCOMPARE(l.retainedEnergy, num(ref[p + "retained_energy"]));
            QCOMPARE(l.ropeEnergyFraction, num(ref[p + "rope_energy_fraction"]));
            QCOMPARE(l.alpha, num(ref[p + "alpha"]));
            QCOMPARE(l.attentionError, num(ref[p + "attention_error"]));
            QCOMPARE(int64_t(l.eigenvalues.size()), kGd * 2 - 32); // 2*g*d - r_R latent dims
            for (size_t i = 0; i < l.eigenvalues.size(); ++i)
                QCOMPARE(l.eigenvalues[i],
                         num(ref["eigenvalue/" + std::to_string(l.layer) + "/" + std::to_string(i)]));
        }
        // The sweep: the means the workbench kept (no per-problem losses in schema 1).
        std::vector<std::vector<std::string>> rows;
        for (const auto& r : readCsv(dataDir() / "workbench-v1.reference.csv"))
            if (r[0] == "sweep") rows.push_back(r);
        QCOMPARE(s.sweep->points.size(), rows.size());
        QCOMPARE(rows.size(), size_t(5)); // 96/16, /8, /4, /2, /1
        for (size_t i = 0; i < rows.size(); ++i) {
            const auto& p = s.sweep->points[i];
            QCOMPARE(p.rank, integer(rows[i][1]));
            QCOMPARE(p.kvBytesPerToken, integer(rows[i][2]));
            QCOMPARE(p.kvBytesPerToken, mlaBytes(p.rank, 32));
            QCOMPARE(p.meanNll, num(rows[i][3]));
            QVERIFY(!p.loss);
        }
        QCOMPARE(s.sweep->settings.qkRopeHeadDim, int64_t(32));
        QCOMPARE(s.sweep->problems, integer(ref["setting/loss_problems/"]));
        // Losses as the old CSV export wrote them, totals as printed.
        const eval::LossResult* before = s.findLoss("original");
        const eval::LossResult* after = s.findLoss("converted");
        QVERIFY(before && after);
        QCOMPARE(before->nllSum, num(ref["loss/before/nll_sum"]));
        QCOMPARE(after->tokens, integer(ref["loss/after/tokens"]));
        requirePerDocAsCsv(*before, dataDir() / "workbench-v1-csv/loss_original.csv");
        requirePerDocAsCsv(*after, dataDir() / "workbench-v1-csv/loss_converted.csv");
        // The two maps, told apart by the typed form; the " (MLA)" suffix is gone from the model name.
        QCOMPARE(s.attentionMaps.size(), size_t(2));
        for (const auto& m : s.attentionMaps) {
            const bool mla = m.form == analysis::ModelForm::Mla;
            QCOMPARE(fs::path(m.model).filename().string(), std::string("tiny-llama-gqa"));
            QCOMPARE(m.tokens(), integer(ref[mla ? "attention/after/tokens" : "attention/before/tokens"]));
            QCOMPARE(m.at(1, 0), num(ref[mla ? "attention/after/p10" : "attention/before/p10"]));
        }
        QVERIFY(s.attentionMaps[0].form != s.attentionMaps[1].form);
        // The printf keys were read into the typed fields, not left behind as notes.
        for (const char* prefix : {"layer.", "latent.", "sweep", "kv_lora_rank"})
            QVERIFY2(!hasKeyStarting(s.numericSettings, prefix), prefix);
        QVERIFY(!s.settings.count("mode") && !s.settings.count("converted"));
        // Saved again it is a schema-2 file with the same content.
        const fs::path again = test::outputDir() / "session_v1" / "workbench-v2.h5";
        fs::create_directories(again.parent_path());
        results::saveSession(again, s);
        const results::Session t = results::loadSession(again);
        QVERIFY(t.conversion && t.sweep);
        QCOMPARE(t.conversion->layers[2].eigenvalues, c.layers[2].eigenvalues);
        QCOMPARE(t.sweep->points.back().meanNll, s.sweep->points.back().meanNll);
        QVERIFY(t.attentionMaps[1].form == s.attentionMaps[1].form);
    }

    void cliSchema1() {
        const results::Session s = results::loadSession(dataDir() / "cli-v1.h5");
        QVERIFY(s.sweep && !s.conversion && !s.convertSettings);
        const results::RankSweep& w = *s.sweep;
        QCOMPARE(w.points.size(), size_t(2));
        QCOMPARE(w.points[0].rank, int64_t(16));
        QCOMPARE(w.points[1].rank, int64_t(48));
        QCOMPARE(w.settings.qkRopeHeadDim, int64_t(32)); // loss-sweep's default --rope-dim: head_dim
        QCOMPARE(w.problems, int64_t(4));                // --limit 4
        QCOMPARE(w.baselineKvBytesPerToken, 2 * kGd * 2 * kLayers);
        for (const auto& p : w.points) {
            QCOMPARE(p.kvBytesPerToken, mlaBytes(p.rank, 32));
            QVERIFY(p.loss);
            requirePerDocAsCsv(
                *p.loss, dataDir() / ("cli-v1-csv/loss_mla_r_" + std::to_string(p.rank) + "_rope_32.csv"));
        }
        QVERIFY(w.baseline);
        requirePerDocAsCsv(*w.baseline, dataDir() / "cli-v1-csv/loss_gqa.csv");
        // The means against the CLI's table (printed to 5 significant digits).
        std::istringstream table(test::readFile(dataDir() / "cli-v1.table.txt"));
        std::string line;
        std::getline(table, line); // header
        std::map<std::string, double> printed;
        while (std::getline(table, line)) {
            const size_t end = line.find("  ");
            std::istringstream rest(line.substr(end));
            double kv = 0, nll = 0;
            rest >> kv >> nll;
            printed[line.substr(0, end)] = nll;
        }
        QVERIFY(std::abs(w.baseline->meanNll() - printed.at("gqa")) <= 5e-5 * printed.at("gqa"));
        for (const auto& p : w.points) {
            const double t = printed.at("mla r=" + std::to_string(p.rank) + " rope=32");
            QVERIFY2(std::abs(p.meanNll - t) <= 5e-5 * t, qPrintable(QString::number(p.meanNll)));
            QCOMPARE(p.meanNll, p.loss->nllSum / double(p.loss->tokens));
        }
        QVERIFY(s.losses.empty()); // moved into the sweep
        QVERIFY(!hasKeyStarting(s.numericSettings, "kv_bytes_per_token/"));
        // The CLI's attention map: the original model's, every probability as its CSV export wrote it.
        QCOMPARE(s.attentionMaps.size(), size_t(1));
        const auto& m = s.attentionMaps[0];
        QVERIFY(m.form == analysis::ModelForm::Gqa);
        const auto rows = readCsv(dataDir() / "cli-v1-csv/attention_L0_H0_0.csv");
        QCOMPARE(int64_t(rows.size()), m.tokens() * (m.tokens() + 1) / 2);
        for (const auto& r : rows) {
            QCOMPARE(m.at(integer(r[0]), integer(r[1])), num(r[4]));
            QCOMPARE(m.tokenTexts[size_t(integer(r[0]))], r[2]);
        }
    }

    // Whatever the reader accepts: a damaged field is a FormatError naming the file and the field.
    void damagedFieldsAreNamed() {
        struct Case {
            const char* name;
            bool schema1;
            std::function<void(H5::H5File&)> damage;
            std::string field;
        };
        auto setNumber = [](H5::H5File& f, const char* group, const char* key, double value) {
            // /settings_numeric holds keys (bytes + offsets) and values: find the key, set its value.
            H5::DataSet bytesSet = f.openDataSet(std::string(group) + "/keys/bytes");
            H5::DataSet offsetsSet = f.openDataSet(std::string(group) + "/keys/offsets");
            H5::DataSet valuesSet = f.openDataSet(std::string(group) + "/values");
            std::vector<uint8_t> bytes(size_t(bytesSet.getSpace().getSimpleExtentNpoints()));
            std::vector<int64_t> offsets(size_t(offsetsSet.getSpace().getSimpleExtentNpoints()));
            std::vector<double> values(size_t(valuesSet.getSpace().getSimpleExtentNpoints()));
            bytesSet.read(bytes.data(), H5::PredType::NATIVE_UINT8);
            offsetsSet.read(offsets.data(), H5::PredType::NATIVE_INT64);
            valuesSet.read(values.data(), H5::PredType::NATIVE_DOUBLE);
            for (size_t i = 0; i + 1 < offsets.size(); ++i)
                if (std::string(bytes.begin() + offsets[i], bytes.begin() + offsets[i + 1]) == key)
                    values[i] = value;
            valuesSet.write(values.data(), H5::PredType::NATIVE_DOUBLE);
        };
        auto renameKey = [](H5::H5File& f, const std::string& from, char last) {
            H5::DataSet bytesSet = f.openDataSet("/settings_numeric/keys/bytes");
            std::vector<uint8_t> bytes(size_t(bytesSet.getSpace().getSimpleExtentNpoints()));
            bytesSet.read(bytes.data(), H5::PredType::NATIVE_UINT8);
            const std::string text(bytes.begin(), bytes.end());
            const size_t at = text.find(from);
            QVERIFY(at != std::string::npos);
            bytes[at + from.size() - 1] = uint8_t(last);
            bytesSet.write(bytes.data(), H5::PredType::NATIVE_UINT8);
        };
        auto writeInts = [](H5::H5File& f, const char* path, std::vector<int64_t> v) {
            f.openDataSet(path).write(v.data(), H5::PredType::NATIVE_INT64);
        };
        auto replaceAttr = [](H5::H5File& f, const char* group, const char* name, const std::string& text) {
            H5::Group g = f.openGroup(group);
            g.removeAttr(name);
            H5::StrType t(H5::PredType::C_S1, text.size() + 1);
            g.createAttribute(name, t, H5::DataSpace(H5S_SCALAR)).write(t, text.c_str());
        };
        const std::vector<Case> cases = {
            {"eigenvalue offsets decrease", false,
             [&](H5::H5File& f) {
                 writeInts(f, "/conversion/eigenvalue_offsets", {0, 9, 3, 4});
             },
             "/conversion/eigenvalue_offsets"},
            {"a setting missing", false,
             [](H5::H5File& f) { f.openGroup("/conversion/settings").removeAttr("latent_norm"); },
             "/conversion/settings@latent_norm"},
            {"a flag neither 0 nor 1", false,
             [](H5::H5File& f) {
                 const int32_t two = 2;
                 f.openGroup("/sweep/settings")
                     .openAttribute("exact")
                     .write(H5::PredType::NATIVE_INT32, &two);
             },
             "/sweep/settings@exact"},
            {"sweep ranks out of order", false,
             [&](H5::H5File& f) {
                 writeInts(f, "/sweep/rank", {48, 16});
             },
             "/sweep/rank"},
            {"a dataset missing", false, [](H5::H5File& f) { f.openGroup("/conversion").unlink("rank"); },
             "/conversion/rank"},
            {"a number stored as text", false,
             [&](H5::H5File& f) { replaceAttr(f, "/conversion", "rope_dim", "32"); }, "/conversion@rope_dim"},
            {"an unknown attention form", false,
             [&](H5::H5File& f) { replaceAttr(f, "/attention/0", "form", "mqa"); }, "/attention/0@form"},
            {"schema 1: a layer count past any integer", true,
             [&](H5::H5File& f) { setNumber(f, "/settings_numeric", "layers", 1e300); },
             "/settings_numeric/layers"},
            {"schema 1: an eigenvalue missing", true,
             [&](H5::H5File& f) { renameKey(f, "latent.002.00005", 'x'); },
             "/settings_numeric/latent.002.00005"},
            {"schema 1: a sweep point's loss missing", true,
             [&](H5::H5File& f) { renameKey(f, "sweep.003.mean_nll", 'X'); },
             "/settings_numeric/sweep.003.mean_nll"},
        };
        // A schema-2 file with a conversion report, a sweep and an attention map.
        results::Session v2;
        results::ConversionRecord c;
        c.layers = {
            {0, 2, 0.9, 0.5, 1, {3, 2, 1}, 0.1}, {1, 1, 0.8, 0.5, 1, {}, -1}, {2, 1, 0.8, 0.5, 1, {4}, -1}};
        v2.conversion = c;
        results::RankSweep w;
        w.put({16, 384, 3.5, std::nullopt});
        w.put({48, 640, 2.5, std::nullopt});
        v2.sweep = w;
        analysis::AttentionMap m;
        m.tokenIds = {1};
        m.tokenTexts = {"a"};
        m.probs = {1};
        m.rowEntropy = {0};
        m.promptTokens = 1;
        v2.attentionMaps = {m};
        const fs::path v2file = test::outputDir() / "session_v1" / "damage-source-v2.h5";
        fs::create_directories(v2file.parent_path());
        results::saveSession(v2file, v2);
        QVERIFY(results::loadSession(v2file).conversion); // undamaged, it loads
        for (const auto& k : cases) {
            const fs::path file =
                copyToOutput(k.schema1 ? dataDir() / "workbench-v1.h5" : v2file, "damaged.h5");
            {
                H5::H5File f(file.string(), H5F_ACC_RDWR);
                k.damage(f);
            }
            try {
                results::loadSession(file);
                QFAIL(qPrintable(QStringLiteral("accepted: %1").arg(QLatin1String(k.name))));
            } catch (const FormatError& e) {
                const std::string what = e.what();
                QVERIFY2(what.find(file.string()) != std::string::npos &&
                             what.find(k.field) != std::string::npos,
                         qPrintable(QStringLiteral("%1: %2").arg(QLatin1String(k.name),
                                                                 QString::fromStdString(what))));
            }
        }
    }
};

} // namespace tst_session_v1

TRANSMLA_TEST_MAIN(tst_session_v1, tst_session_v1::TestSessionV1)
#include "tst_session_v1.moc"
