// Wall-clock seconds per stage of a long job (load, loss before, convert...), in the order they ran,
// so that one run tells where the time goes (the workbench's first conversion, the benchmarks).
// Torch-free: views and the CLI print it. GPU work is timed correctly only where the stage ends by
// reading a result back (a loss, eigenvalues), which every stage of a conversion does.
#pragma once
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace transmla {

struct StageSeconds {
    std::string stage;
    double seconds = 0;
};

class StageClock {
public:
    StageClock() : last_(std::chrono::steady_clock::now()) {}
    // The time since the previous lap (or construction) is booked to `stage`.
    void lap(const std::string& stage, std::vector<StageSeconds>& into) {
        const auto now = std::chrono::steady_clock::now();
        into.push_back({stage, std::chrono::duration<double>(now - last_).count()});
        last_ = now;
    }
    void restart() { last_ = std::chrono::steady_clock::now(); }

private:
    std::chrono::steady_clock::time_point last_;
};

// "load 5.21 s, loss before 1.02 s, ... (total 30.4 s)".
inline std::string formatStages(const std::vector<StageSeconds>& stages) {
    std::string out;
    double total = 0;
    char buf[64];
    for (const auto& s : stages) {
        std::snprintf(buf, sizeof buf, "%.2f s", s.seconds);
        out += (out.empty() ? "" : ", ") + s.stage + " " + buf;
        total += s.seconds;
    }
    std::snprintf(buf, sizeof buf, " (total %.2f s)", total);
    return out + buf;
}

} // namespace transmla
