// Internal to results/session*.cpp: one writer and one reader per group of the session schema
// (results/session.h documents the layout). `version` is the file's schema version.
#pragma once
#include "io/hdf5.h"
#include "results/session.h"

namespace transmla::results::detail {

void writeSettings(H5::Group& g, const convert::ConvertSettings& s);
convert::ConvertSettings readSettings(const io::h5::Reader& r, const H5::Group& g, const std::string& where);

void writeModel(H5::H5File& f, const Session& s);
void readModel(const io::h5::Reader& r, const H5::H5File& f, Session& s);

void writeSpectra(H5::H5File& f, const analysis::SpectraResult& sp);
analysis::SpectraResult readSpectra(const io::h5::Reader& r, const H5::Group& g);

void writeBudgets(H5::H5File& f, const std::vector<analysis::KvBudget>& budgets);
std::vector<analysis::KvBudget> readBudgets(const io::h5::Reader& r, const H5::Group& g);

void writeAttention(H5::Group& parent, const std::string& name, const analysis::AttentionMap& m);
analysis::AttentionMap readAttention(const io::h5::Reader& r, const H5::Group& g, const std::string& where,
                                     int version);

void writeLoss(H5::Group& parent, const std::string& name, const std::string& label,
               const eval::LossResult& l);
NamedLoss readLoss(const io::h5::Reader& r, const H5::Group& g, const std::string& where);

void writeConversion(H5::H5File& f, const ConversionRecord& c);
ConversionRecord readConversion(const io::h5::Reader& r, const H5::Group& g);

void writeSweep(H5::H5File& f, const RankSweep& s);
RankSweep readSweep(const io::h5::Reader& r, const H5::Group& g);

// Schema 1 kept the workbench's report, settings and sweep in /settings and /settings_numeric, the
// CLI's sweep in /losses, and the converted model's attention under a " (MLA)" model-name suffix:
// moves them into the typed fields (session_v1.cpp). Errors name `file` and the key.
void upgradeSchema1(const io::h5::Reader& r, Session& s);

} // namespace transmla::results::detail
