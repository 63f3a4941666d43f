#include "workbench/session_state.h"

namespace transmla::workbench {

namespace {
// The labels under which a conversion's losses are kept (shared with schema-1 files).
constexpr const char* kLossBefore = "original";
constexpr const char* kLossAfter = "converted";
constexpr const char* kWikiBefore = "wikitext2 original";
constexpr const char* kWikiAfter = "wikitext2 converted";
} // namespace

results::Session toSession(const WorkbenchState& st) {
    results::Session s;
    s.model = results::referenceModel(st.modelDir);
    s.convertSettings = st.result ? st.result->settings : st.settings;
    s.lossProblems = st.lossProblems;
    s.budgets = st.budgets;
    if (const auto& r = st.result) {
        results::ConversionRecord c;
        c.settings = r->settings;
        c.ropeDim = r->ropeDim;
        c.maxRank = r->maxRank;
        c.freqFold = r->freqFold;
        c.kvBytesPerTokenBefore = r->kvBytesPerTokenBefore;
        c.kvBytesPerTokenAfter = r->kvBytesPerTokenAfter;
        c.secondsTotal = r->secondsTotal;
        c.layers = r->layers;
        c.modelContentHash = r->modelContentHash;
        c.calibrationFile = r->calibrationFile;
        c.exportProblem = r->exportProblem;
        c.lossFullRank = r->lossFullRank;
        s.conversion = std::move(c);
        s.spectra = r->spectra;
        if (r->attentionBefore) s.attentionMaps.push_back(*r->attentionBefore);
        if (r->attentionAfter) s.attentionMaps.push_back(*r->attentionAfter);
        if (r->lossBefore) s.putLoss(kLossBefore, *r->lossBefore);
        if (r->lossAfter) s.putLoss(kLossAfter, *r->lossAfter);
        if (r->wikitextBefore) s.putLoss(kWikiBefore, *r->wikitextBefore);
        if (r->wikitextAfter) s.putLoss(kWikiAfter, *r->wikitextAfter);
    }
    s.sweep = st.sweep;
    return s;
}

WorkbenchState fromSession(const results::Session& s) {
    WorkbenchState st;
    st.modelDir = s.model.path;
    if (s.convertSettings)
        st.settings = *s.convertSettings;
    else if (s.conversion)
        st.settings = s.conversion->settings;
    st.lossProblems = int(s.lossProblems);
    st.budgets = s.budgets;
    if (const auto& c = s.conversion) {
        ConversionResult r;
        r.modelDir = s.model.path;
        r.settings = c->settings;
        r.ropeDim = c->ropeDim;
        r.maxRank = c->maxRank;
        r.freqFold = c->freqFold;
        r.kvBytesPerTokenBefore = c->kvBytesPerTokenBefore;
        r.kvBytesPerTokenAfter = c->kvBytesPerTokenAfter;
        r.secondsTotal = c->secondsTotal;
        r.layers = c->layers;
        r.modelContentHash = c->modelContentHash;
        r.calibrationFile = c->calibrationFile;
        r.exportProblem = c->exportProblem;
        r.lossFullRank = c->lossFullRank;
        r.budgets = s.budgets;
        r.spectra = s.spectra;
        for (const auto& m : s.attentionMaps)
            (m.form == analysis::ModelForm::Mla ? r.attentionAfter : r.attentionBefore) = m;
        auto loss = [&](const char* label) {
            const eval::LossResult* l = s.findLoss(label);
            return l ? std::optional(*l) : std::nullopt;
        };
        r.lossBefore = loss(kLossBefore);
        r.lossAfter = loss(kLossAfter);
        r.wikitextBefore = loss(kWikiBefore);
        r.wikitextAfter = loss(kWikiAfter);
        st.result = std::move(r);
    }
    st.sweep = s.sweep;
    return st;
}

} // namespace transmla::workbench
