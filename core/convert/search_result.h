// What a held-out search over conversions returns (convert/search.h runs it): plain values,
// torch-free, so the workbench's views can plot them.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace transmla::convert {

struct Candidate {
    int64_t kvLoraRank = -1, qkRopeHeadDim = 0, freqFold = 0; // as asked (-1: full rank)
    std::string pcaActivations = "original";                  // pcaActivationsName (settings.h)
    int64_t rank = 0;                                         // as converted (largest layer rank)
    int64_t kvBytesPerToken = 0;                              // 16-bit, all layers
    double heldOutLoss = 0;                                   // mean NLL on the held-out rows
    std::string skipped;                                      // non-empty: not valid for the model (why)
    bool onFront = false;
};

struct SearchResult {
    std::vector<Candidate> candidates;
    std::vector<size_t> front; // indices into candidates, by increasing KV bytes (decreasing loss)
    double originalLoss = 0;   // the unconverted model on the same held-out rows
    int64_t heldOutTokens = 0; // predicted tokens per evaluation
    double seconds = 0;
    size_t best() const; // the lowest held-out loss among the evaluated candidates (ties: fewer bytes)
    nlohmann::json toJson() const;
    std::string csv() const; // one row per candidate
};

// Non-dominated points when both coordinates are minimised (cost = KV bytes, loss = held-out NLL):
// a point is dropped when another is no worse in both and better in one. Exact duplicates keep the
// first. Returned by increasing cost.
std::vector<size_t> paretoFront(const std::vector<double>& cost, const std::vector<double>& loss);

} // namespace transmla::convert
