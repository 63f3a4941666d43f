// Progress reporting and cancellation for long work (load, calibrate, convert, evaluate).
// Core calls report(done, total, stage); the GUI wraps it in a worker thread, the CLI prints it.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "util/error.h"

namespace transmla {

class CancelToken {
public:
    void cancel() { cancelled_.store(true, std::memory_order_relaxed); }
    bool isCancelled() const { return cancelled_.load(std::memory_order_relaxed); }
    void throwIfCancelled() const {
        if (isCancelled()) throw Cancelled();
    }

private:
    std::atomic<bool> cancelled_{false};
};

// done/total in the stage's own unit (layers, documents, tokens).
using ProgressFn = std::function<void(int64_t done, int64_t total, const std::string& stage)>;

struct Progress {
    ProgressFn report;
    const CancelToken* cancel = nullptr;

    void operator()(int64_t done, int64_t total, const std::string& stage) const {
        if (cancel) cancel->throwIfCancelled();
        if (report) report(done, total, stage);
    }
    void checkCancel() const {
        if (cancel) cancel->throwIfCancelled();
    }
};

} // namespace transmla
