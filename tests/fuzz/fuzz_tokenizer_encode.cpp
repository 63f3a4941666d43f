// Encoding arbitrary bytes with the demo model's byte-level BPE tokenizer: valid UTF-8 round-trips
// exactly through decode; invalid UTF-8 is rejected with transmla::Error.
#include <cstdlib>

#include "tokenizer/tokenizer.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const auto tokenizer = transmla::tok::Tokenizer::load(TRANSMLA_FUZZ_TOKENIZER);
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const auto ids = tokenizer.encode(text, false);
        if (tokenizer.decode(ids) != text) std::abort(); // byte-level BPE is lossless
    } catch (const transmla::Error&) {
    }
    return 0;
}
