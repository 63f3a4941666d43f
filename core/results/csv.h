// CSV export of each result of a session (through io::CsvWriter: RFC 4180, full double precision,
// atomic files).
#pragma once
#include <cstdint>
#include <filesystem>
#include <vector>

#include "results/session.h"

namespace transmla::results {

// source,layer,head,index,singular_value,energy,cumulative_energy   (one row per singular value)
void writeSpectraCsv(const std::filesystem::path& file, const analysis::SpectraResult& r);
// label,kind,...,bytes_per_token, then cache_bytes_T<n> per context and max_context_<gpu> per preset.
void writeBudgetsCsv(const std::filesystem::path& file, const std::vector<analysis::KvBudget>& budgets,
                     const std::vector<int64_t>& contexts = {2048, 8192, 32768, 131072}, int64_t batch = 1);
// query,key,query_token,key_token,probability   (causal: only key <= query rows)
void writeAttentionCsv(const std::filesystem::path& file, const analysis::AttentionMap& m);
// doc,nll_sum,tokens,answer_nll_sum,answer_tokens
void writeLossCsv(const std::filesystem::path& file, const eval::LossResult& r);
// model,kv_lora_rank,kv_bytes_per_token,mean_nll,problems   (the baseline first, as "gqa")
void writeSweepCsv(const std::filesystem::path& file, const RankSweep& sweep);

// Every result of a session into `dir` (created): spectra.csv, budgets.csv,
// attention_L<l>_H<h>_<i>.csv, loss_<label>.csv, sweep.csv with
// sweep_loss_gqa.csv and sweep_loss_r<R>.csv (per problem). Returns the files written.
std::vector<std::filesystem::path> writeSessionCsv(const std::filesystem::path& dir, const Session& s);

} // namespace transmla::results
