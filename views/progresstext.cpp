#include "progresstext.h"

#include <cmath>

namespace transmla::views {

QString ProgressText::stage(const QString& key) {
    // Keys as core emits them (see workbench.h, loss.cpp, calibration.cpp, spectra.cpp, model.cpp).
    static const char* const kStages[][2] = {
        {"read model", QT_TR_NOOP("reading the model")},
        {"load", QT_TR_NOOP("loading weights")},
        {"loss before", QT_TR_NOOP("GSM8K loss before")},
        {"loss after", QT_TR_NOOP("GSM8K loss after")},
        {"loss full rank", QT_TR_NOOP("GSM8K loss of the full-rank model")},
        {"perplexity before", QT_TR_NOOP("WikiText-2 perplexity before")},
        {"perplexity after", QT_TR_NOOP("WikiText-2 perplexity after")},
        {"heal local", QT_TR_NOOP("healing (per layer)")},
        {"heal e2e", QT_TR_NOOP("healing (end to end)")},
        {"evaluate", QT_TR_NOOP("evaluating")},
        {"activation spectra", QT_TR_NOOP("activation spectra")},
        {"weight spectra", QT_TR_NOOP("weight spectra")},
        {"calibrate", QT_TR_NOOP("calibrating layers")},
        {"convert", QT_TR_NOOP("converting layers")},
        {"attention", QT_TR_NOOP("attention maps")},
        {"rank sweep", QT_TR_NOOP("rank sweep")},
        {"re-truncate", QT_TR_NOOP("re-truncating layers")},   // a rank change (pipeline.cpp)
        {"search", QT_TR_NOOP("held-out search: candidates")}, // Pareto / r_R choice (search.cpp)
        {"export", QT_TR_NOOP("exporting")},
        {"GQA prefill", QT_TR_NOOP("GQA cache: prefilling the context")},
        {"GQA decode", QT_TR_NOOP("GQA cache: decoding")},
        {"MLA prefill", QT_TR_NOOP("MLA latent cache: prefilling the context")},
        {"MLA decode", QT_TR_NOOP("MLA latent cache: decoding")},
    };
    for (const auto& s : kStages)
        if (key == QLatin1String(s[0])) return tr(s[1]);
    return key;
}

QString ProgressText::remaining(double seconds) {
    if (seconds < 60) return tr("about %1 s left").arg(std::max(1, int(std::lround(seconds))));
    return tr("about %1 min left").arg(int(std::lround(seconds / 60)));
}

double ProgressClock::update(qint64 done, qint64 total, const QString& stage) {
    if (stage != stage_ || done < startDone_) {
        stage_ = stage;
        startDone_ = done;
        timer_.start();
        return -1;
    }
    const qint64 steps = done - startDone_;
    if (steps <= 0 || total <= done) return -1;
    const double perStep = double(timer_.elapsed()) / 1000.0 / double(steps);
    return perStep * double(total - done);
}

} // namespace transmla::views
