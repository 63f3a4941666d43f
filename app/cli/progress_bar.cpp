#include "progress_bar.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

namespace transmla::cli {

namespace {

std::string clockText(double seconds) { // m:ss, h:mm:ss from an hour on
    const long s = long(seconds + 0.5);
    char buf[32];
    if (s >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
    return buf;
}

std::string secondsText(double seconds) {
    char buf[32];
    std::snprintf(buf, sizeof buf, seconds < 60 ? "%.1f s" : "%.0f s", seconds);
    return buf;
}

// One stage at a time. A stage ends when it reaches its total, when another stage (or the same name
// counting from lower again) is reported, or when the printer is dropped (end of the command, or an
// error unwinding it).
class Printer {
public:
    Printer(std::ostream& out, bool terminal, std::function<double()> now)
        : out_(out), terminal_(terminal), now_(std::move(now)) {}
    ~Printer() { endStage(); }

    void report(int64_t done, int64_t total, const std::string& stage) {
        const double t = now_();
        if (stage != stage_ || done < done_) {
            endStage();
            stage_ = stage;
            started_ = t;
            ended_ = false;
            lastDraw_ = -1;
        }
        done_ = done;
        total_ = total;
        if (ended_) return; // a finished stage reported again
        if (total > 0 && done >= total) {
            endStage();
            return;
        }
        // Redrawn at most ten times a second: a terminal over ssh is slow.
        if (terminal_ && (lastDraw_ < 0 || t - lastDraw_ >= 0.1)) {
            lastDraw_ = t;
            draw(t, false);
        }
    }

private:
    void endStage() {
        if (stage_.empty() || ended_) return;
        ended_ = true;
        draw(now_(), true);
    }

    void draw(double t, bool final) {
        const double elapsed = t - started_;
        std::string line = stage_;
        if (terminal_) {
            constexpr int kWidth = 24;
            const double frac = total_ > 0 ? std::min(1.0, double(done_) / double(total_)) : 0.0;
            const int filled = int(frac * kWidth);
            line += " [" + std::string(size_t(filled), '#') + std::string(size_t(kWidth - filled), '.') + "] ";
            line += std::to_string(done_) + "/" + std::to_string(total_);
            char pct[16];
            std::snprintf(pct, sizeof pct, " %3d%%", int(frac * 100));
            line += pct;
            if (final) line += "  " + secondsText(elapsed);
            else if (done_ > 0) line += "  ETA " + clockText(elapsed / double(done_) * double(total_ - done_));
            else line += "  ETA --:--";
            out_ << "\r\033[K" << line << (final ? "\n" : "") << std::flush;
            return;
        }
        out_ << line << " " << done_ << "/" << total_ << " " << secondsText(elapsed) << "\n" << std::flush;
    }

    std::ostream& out_;
    const bool terminal_;
    std::function<double()> now_;
    std::string stage_;
    int64_t done_ = 0, total_ = 0;
    double started_ = 0, lastDraw_ = -1;
    bool ended_ = true;
};

} // namespace

ProgressFn progressPrinter(std::ostream& out, bool terminal, std::function<double()> now) {
    if (!now) {
        const auto t0 = std::chrono::steady_clock::now();
        now = [t0] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
    }
    auto printer = std::make_shared<Printer>(out, terminal, std::move(now));
    return [printer](int64_t done, int64_t total, const std::string& stage) { printer->report(done, total, stage); };
}

ProgressFn stderrProgress(bool quiet) {
    if (quiet) return {};
    return progressPrinter(std::cerr, isatty(STDERR_FILENO) != 0);
}

} // namespace transmla::cli
