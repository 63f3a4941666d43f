#include "progress_bar.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <list>
#include <memory>
#include <string>

namespace transmla::cli {

namespace {

std::string clockText(double seconds) { // m:ss, h:mm:ss from an hour on
    const long s = long(seconds + 0.5);
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
    return buf;
}

std::string secondsText(double seconds) {
    char buf[32];
    std::snprintf(buf, sizeof buf, seconds < 60 ? "%.1f s" : "%.0f s", seconds);
    return buf;
}

// A stage ends when it reaches its total, when the same name counts from lower again (a second
// evaluation), or when the printer is dropped (end of the command, or an error unwinding it). Stages may
// interleave (calibrate / convert alternate per layer): switching between them ends neither.
class Printer {
public:
    Printer(std::ostream& out, bool terminal, std::function<double()> now)
        : out_(out), terminal_(terminal), now_(std::move(now)) {}
    ~Printer() {
        while (!active_.empty())
            finish(active_.front());
    }

    void report(int64_t done, int64_t total, const std::string& stage) {
        const double t = now_();
        auto it =
            std::find_if(active_.begin(), active_.end(), [&](const Stage& s) { return s.name == stage; });
        if (it != active_.end() && done < it->done) {
            finish(*it);
            it = active_.end();
        }
        if (it == active_.end()) {
            if (stage == lastEnded_ && done >= total) return; // a finished stage reported again
            active_.push_back({stage, done, total, t});
            it = std::prev(active_.end());
        }
        it->done = done;
        it->total = total;
        if (total > 0 && done >= total) {
            finish(*it);
            return;
        }
        // Redrawn at most ten times a second (a terminal over ssh is slow), and when the stage changes.
        if (terminal_ && (lastDraw_ < 0 || t - lastDraw_ >= 0.1 || stage != drawn_)) {
            lastDraw_ = t;
            drawn_ = stage;
            out_ << "\r\033[K" << barLine(*it, t, false) << std::flush;
        }
    }

private:
    struct Stage {
        std::string name;
        int64_t done = 0, total = 0;
        double started = 0;
    };

    void finish(const Stage& s) {
        const double t = now_();
        if (terminal_)
            out_ << "\r\033[K" << barLine(s, t, true) << "\n" << std::flush;
        else
            out_ << s.name << " " << s.done << "/" << s.total << " " << secondsText(t - s.started) << "\n"
                 << std::flush;
        lastEnded_ = s.name;
        drawn_.clear();
        active_.erase(
            std::find_if(active_.begin(), active_.end(), [&](const Stage& x) { return x.name == s.name; }));
    }

    // "convert [##########..............] 10/24  41%  ETA 0:12", finished: the stage's time instead.
    static std::string barLine(const Stage& s, double t, bool final) {
        constexpr int kWidth = 24;
        const double frac = s.total > 0 ? std::min(1.0, double(s.done) / double(s.total)) : 0.0;
        const int filled = int(frac * kWidth);
        std::string line = s.name + " [" + std::string(size_t(filled), '#') +
                           std::string(size_t(kWidth - filled), '.') + "] " + std::to_string(s.done) + "/" +
                           std::to_string(s.total);
        char pct[16];
        std::snprintf(pct, sizeof pct, " %3d%%", int(frac * 100));
        line += pct;
        const double elapsed = t - s.started;
        if (final)
            line += "  " + secondsText(elapsed);
        else if (s.done > 0)
            line += "  ETA " + clockText(elapsed / double(s.done) * double(s.total - s.done));
        else
            line += "  ETA --:--";
        return line;
    }

    std::ostream& out_;
    const bool terminal_;
    std::function<double()> now_;
    std::list<Stage> active_; // in the order they started
    std::string lastEnded_, drawn_;
    double lastDraw_ = -1;
};

} // namespace

ProgressFn progressPrinter(std::ostream& out, bool terminal, std::function<double()> now) {
    if (!now) {
        const auto t0 = std::chrono::steady_clock::now();
        now = [t0] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
    }
    auto printer = std::make_shared<Printer>(out, terminal, std::move(now));
    return [printer](int64_t done, int64_t total, const std::string& stage) {
        printer->report(done, total, stage);
    };
}

ProgressFn stderrProgress(bool quiet) {
    if (quiet) return {};
    return progressPrinter(std::cerr, isatty(STDERR_FILENO) != 0);
}

} // namespace transmla::cli
