// Faults with real files and real HDF5: a disk that fills up during a session save or an export
// (RLIMIT_FSIZE in a forked child: write() fails with EFBIG, as it would with ENOSPC, and it works as
// root, unlike chmod), a cancel at every phase of convert + export, a model folder rewritten while
// it is open, and running out of memory. Nothing the user had may be lost or left half-written.
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <cmath>
#include <fstream>
#include <map>

#include "io/folder_snapshot.h"
#include "results/session.h"
#include "testutil.h"
#include "util/error.h"
#include "util/error_text.h"
#include "workbench/workbench.h"

// Its own namespace: the suites compile together in unity batches (tests/testmain.h).
namespace tst_faults {

using namespace transmla;
namespace fs = std::filesystem;

namespace {

fs::path demoDir() {
    return test::resourcesDir() / "models" / "tiny-llama-gqa";
}

fs::path freshDir(const std::string& name) {
    const fs::path d = test::outputDir() / "faults" / name;
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

// Every file under `dir` with its bytes (relative path -> content).
std::map<std::string, std::string> contents(const fs::path& dir) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) out[fs::relative(e.path(), dir).string()] = test::readFile(e.path());
    return out;
}

std::vector<std::string> entries(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir))
        out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

struct ChildOutcome {
    int code = -1;       // 0: threw transmla::Error, 1: returned, 2: other exception, -1: killed
    std::string message; // what() of the exception
};

// Runs `work` in a forked child whose files may not grow past `maxFileBytes` (SIGXFSZ ignored, so
// the write fails with EFBIG instead of killing it). One thread, and an alarm against hangs.
ChildOutcome runWithFileLimit(rlim_t maxFileBytes, const std::function<void()>& work) {
    int fds[2];
    if (::pipe(fds) != 0) return {};
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        ::alarm(120);
        ::signal(SIGXFSZ, SIG_IGN);
        at::set_num_threads(1);
        const rlimit lim{maxFileBytes, maxFileBytes};
        ::setrlimit(RLIMIT_FSIZE, &lim);
        int code = 1;
        std::string msg;
        try {
            work();
        } catch (const Error& e) {
            code = 0, msg = e.what();
        } catch (const std::exception& e) {
            code = 2, msg = e.what();
        }
        [[maybe_unused]] const ssize_t n = ::write(fds[1], msg.data(), msg.size());
        ::_exit(code);
    }
    ::close(fds[1]);
    ChildOutcome o;
    char buf[4096];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
        o.message.append(buf, size_t(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    o.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return o;
}

bool contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

convert::ConvertSettings fastSettings() {
    convert::ConvertSettings s;
    s.kvLoraRank = 32;
    s.latentNorm = convert::LatentNorm::Calibrated; // what a DeepSeek-V3 export needs
    s.calibration.samples = 4;
    s.calibration.seqLen = 32;
    return s;
}

workbench::JobOptions fastOptions() {
    workbench::JobOptions o;
    o.resourcesDir = test::resourcesDir();
    o.spectra = false;
    o.attention = false;
    return o;
}

} // namespace

class TestFaults : public QObject {
    Q_OBJECT
    fs::path model_; // a private copy of the demo model (some tests rewrite it)
    workbench::ConversionResult converted_;

private slots:
    void initTestCase() {
        model_ = freshDir("model") / "tiny";
        fs::copy(demoDir(), model_);
        converted_ = workbench::runConversion(model_, fastSettings(), fastOptions());
        QVERIFY(converted_.models);
    }

    void sessionSaveOnFullDisk() {
        const fs::path dir = freshDir("session-full");
        const fs::path file = dir / "s.h5";
        results::Session old;
        old.settings = {{"kept", "yes"}};
        results::saveSession(file, old);
        const std::string before = test::readFile(file);
        results::Session big;
        analysis::AttentionMap m;
        m.tokenIds.assign(200, 1);
        m.tokenTexts.assign(200, "t");
        m.probs.assign(200 * 200, 0.25); // 320 KB of doubles: past the limit
        m.rowEntropy.assign(200, 1.0);
        big.attentionMaps = {m};
        const ChildOutcome o = runWithFileLimit(64 << 10, [&] { results::saveSession(file, big); });
        QVERIFY2(o.code == 0,
                 qPrintable(
                     QStringLiteral("child exit %1: %2").arg(o.code).arg(QString::fromStdString(o.message))));
        QVERIFY2(contains(o.message, file.string()) && contains(o.message, "cannot write session"),
                 o.message.c_str());
        QCOMPARE(test::readFile(file), before);                   // the old file, byte for byte
        QCOMPARE(entries(dir), std::vector<std::string>{"s.h5"}); // no temporary left
        QCOMPARE(results::loadSession(file).settings.at("kept"), std::string("yes"));
    }

    void exportOnFullDisk() {
        const fs::path dir = freshDir("export-full");
        const fs::path out = dir / "mla";
        workbench::exportConverted(converted_, out, false);
        const auto before = contents(out);
        QVERIFY(before.count("model.safetensors") && before.count("config.json"));
        const ChildOutcome o =
            runWithFileLimit(64 << 10, [&] { workbench::exportConverted(converted_, out, true); });
        QVERIFY2(o.code == 0,
                 qPrintable(
                     QStringLiteral("child exit %1: %2").arg(o.code).arg(QString::fromStdString(o.message))));
        QVERIFY2(contains(o.message, out.string() + ": export failed") && contains(o.message, "disk full"),
                 o.message.c_str());
        QVERIFY(contents(out) == before);                        // the old export, byte for byte
        QCOMPARE(entries(dir), std::vector<std::string>{"mla"}); // no .tmp- or .old- folder left
    }

    void exportToUnwritablePlace() {
        const fs::path dir = freshDir("export-unwritable");
        std::ofstream(dir / "a-file") << "not a folder";
        const fs::path out = dir / "a-file" / "mla"; // fails as root too: the parent is a file
        try {
            workbench::exportConverted(converted_, out, false);
            QFAIL("export below a regular file succeeded");
        } catch (const Error& e) {
            QVERIFY2(contains(e.what(), out.string()), e.what());
        }
        QCOMPARE(entries(dir), std::vector<std::string>{"a-file"});
        QCOMPARE(test::readFile(dir / "a-file"), std::string("not a folder"));
    }

    // Every phase convert + export reports, cancelled in turn: Cancelled, and no output of any kind.
    void cancelAtEveryPhase() {
        std::vector<std::string> phases;
        const Progress record{[&](int64_t, int64_t, const std::string& stage) {
                                  if (std::find(phases.begin(), phases.end(), stage) == phases.end())
                                      phases.push_back(stage);
                              },
                              nullptr};
        const fs::path dir = freshDir("cancel");
        const auto full = workbench::runConversion(model_, fastSettings(), fastOptions(), record);
        workbench::exportConverted(full, dir / "complete", false, record);
        QVERIFY2(phases.size() >= 3 && phases.front() == "load" && phases.back() == "export",
                 qPrintable(QString::fromStdString(phases.front() + " .. " + phases.back())));
        std::string list;
        for (const auto& p : phases)
            list += " " + p;
        qInfo("phases cancelled in turn:%s", list.c_str());
        fs::remove_all(dir / "complete");
        for (const std::string& phase : phases) {
            const Progress cancelAt{[&](int64_t, int64_t, const std::string& stage) {
                                        if (stage == phase) throw Cancelled();
                                    },
                                    nullptr};
            bool cancelled = false;
            try {
                const auto r = workbench::runConversion(model_, fastSettings(), fastOptions(), cancelAt);
                workbench::exportConverted(r, dir / "out", false, cancelAt);
            } catch (const Cancelled&) {
                cancelled = true;
            }
            QVERIFY2(cancelled, phase.c_str());
            QVERIFY2(entries(dir).empty(), phase.c_str()); // no output folder, no temporary
        }
    }

    void modelRewrittenWhileOpen() {
        workbench::verifyModelUnchanged(converted_); // as loaded
        const fs::path weights = model_ / "model.safetensors";
        // Touched, same bytes: not a change.
        fs::last_write_time(weights, fs::last_write_time(weights) + std::chrono::seconds(5));
        workbench::verifyModelUnchanged(converted_);
        // One byte of tensor data rewritten in place (size and header unchanged).
        std::string bytes = test::readFile(weights);
        const size_t at = bytes.size() - 3;
        const char original = bytes[at];
        bytes[at] = char(original ^ 0x01);
        std::ofstream(weights, std::ios::binary | std::ios::in | std::ios::out)
            .seekp(std::streamoff(at))
            .put(bytes[at]);
        const fs::path out = freshDir("changed") / "mla";
        try {
            workbench::exportConverted(converted_, out, false);
            QFAIL("export of a model whose weights changed on disk");
        } catch (const FormatError& e) {
            QVERIFY2(contains(e.what(), weights.string()) && contains(e.what(), "content changed"), e.what());
        }
        QVERIFY(!fs::exists(out));
        std::ofstream(weights, std::ios::binary | std::ios::in | std::ios::out)
            .seekp(std::streamoff(at))
            .put(original);
        workbench::verifyModelUnchanged(converted_); // restored: same content again

        const std::string config = test::readFile(model_ / "config.json");
        std::ofstream(model_ / "config.json", std::ios::binary) << config << ' ';
        QVERIFY_THROWS_EXCEPTION(FormatError, workbench::verifyModelUnchanged(converted_));
        std::ofstream(model_ / "config.json", std::ios::binary) << config;
        workbench::verifyModelUnchanged(converted_);

        fs::copy_file(weights, model_ / "model-extra.safetensors");
        try {
            workbench::verifyModelUnchanged(converted_);
            QFAIL("a new shard went unnoticed");
        } catch (const FormatError& e) {
            QVERIFY2(contains(e.what(), "model-extra.safetensors") && contains(e.what(), "appeared"),
                     e.what());
        }
        fs::remove(model_ / "model-extra.safetensors");
        workbench::verifyModelUnchanged(converted_);
    }

    // The CLI's convert keeps a stat-only snapshot (no hashing of a large checkpoint): any change of
    // size or time during the run is reported before the export is committed.
    void statSnapshotSeesModification() {
        const fs::path weights = model_ / "model.safetensors";
        const io::FolderSnapshot snap = io::FolderSnapshot::takeStat(model_);
        snap.verifyUnchanged();
        const auto before = fs::last_write_time(weights);
        fs::last_write_time(weights, before + std::chrono::seconds(7));
        try {
            snap.verifyUnchanged();
            QFAIL("a modified weight file went unnoticed");
        } catch (const FormatError& e) {
            QVERIFY2(contains(e.what(), weights.string()) && contains(e.what(), "modified"), e.what());
        }
        fs::last_write_time(weights, before);
        snap.verifyUnchanged();
    }

    // A real allocation failure of LibTorch's CPU allocator and of operator new: a one-line message
    // with the suggestion, not a backtrace or std::terminate.
    void outOfMemoryIsExplained() {
        try {
            const at::Tensor t = at::empty({int64_t(1) << 50}, at::kByte); // 1 PiB
            QFAIL("a 1 PiB tensor was allocated");
        } catch (const std::exception& e) {
            QVERIFY2(isOutOfMemory(e), e.what());
            const std::string msg = userMessage(e);
            QVERIFY2(contains(msg, "out of memory: try a smaller batch_tokens") &&
                         contains(msg, "device cpu"),
                     msg.c_str());
            QCOMPARE(std::count(msg.begin(), msg.end(), '\n'), 1L); // the message and the suggestion
        }
        try {
            std::vector<char> v(size_t(1) << 62);
            QFAIL("4 EiB were allocated");
        } catch (const std::exception& e) {
            QVERIFY(isOutOfMemory(e));
            QVERIFY2(contains(userMessage(e), "memory allocation failed") &&
                         contains(userMessage(e), "dtype bf16"),
                     userMessage(e).c_str());
        }
        const ArgumentError other("rank 0 out of range [1, 64]");
        QVERIFY(!isOutOfMemory(other));
        QCOMPARE(userMessage(other), std::string(other.what()));
    }
};

} // namespace tst_faults

TRANSMLA_TEST_MAIN(tst_faults, tst_faults::TestFaults)
#include "tst_faults.moc"
