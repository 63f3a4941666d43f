// CSV export of each analysis result (RFC 4180: comma separated, quoted when needed, '\n' rows),
// numbers at full double precision so a spreadsheet sees exactly what the session holds.
// Every file is written atomically.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/attention_map.h"
#include "analysis/budget.h"
#include "analysis/spectrum.h"
#include "eval/loss.h"

namespace transmla::io {

struct Session;

// One field, quoted when it holds a comma, quote, CR or LF.
std::string csvField(const std::string& s);

// source,layer,head,index,singular_value,energy,cumulative_energy   (one row per singular value)
void writeSpectraCsv(const std::filesystem::path& file, const analysis::SpectraResult& r);
// label,kind,...,bytes_per_token, then cache_bytes_T<n> per context and max_context_<gpu> per preset.
void writeBudgetsCsv(const std::filesystem::path& file, const std::vector<analysis::KvBudget>& budgets,
                     const std::vector<int64_t>& contexts = {2048, 8192, 32768, 131072}, int64_t batch = 1);
// query,key,query_token,key_token,probability   (causal: only key <= query rows)
void writeAttentionCsv(const std::filesystem::path& file, const analysis::AttentionMap& m);
// doc,nll_sum,tokens,answer_nll_sum,answer_tokens
void writeLossCsv(const std::filesystem::path& file, const eval::LossResult& r);

// Every result of a session into `dir` (created): spectra.csv, budgets.csv,
// attention_L<l>_H<h>_<i>.csv, loss_<label>.csv. Returns the files written.
std::vector<std::filesystem::path> writeSessionCsv(const std::filesystem::path& dir, const Session& s);

} // namespace transmla::io
