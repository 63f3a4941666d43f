// The HDF5 session reader: any bytes must give a FormatError (or a valid session), never a crash, a
// hang or a leak in our code. The bytes go through a file, as a user's session file would.
#include "fuzz_util.h"
#include "results/session.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string path = fuzzFile(data, size, ".h5");
    try {
        const transmla::results::Session s = transmla::results::loadSession(path);
        for (const auto& m : s.attentionMaps)
            if (!m.probs.empty()) (void)m.at(m.tokens() - 1, m.tokens() - 1);
    } catch (const transmla::Error&) {
    }
    return 0;
}
