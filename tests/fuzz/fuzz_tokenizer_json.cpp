// tokenizer.json loading: any bytes load or throw transmla::Error; what loads must encode text.
#include "fuzz_util.h"
#include "tokenizer/tokenizer.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string path = fuzzFile(data, size, "-tokenizer.json");
    try {
        auto t = transmla::tok::Tokenizer::load(path);
        auto ids = t.encode("Question: 12 apples, 3 pears?\nAnswer: 15", true);
        (void)t.decode(ids);
    } catch (const transmla::Error&) {
    }
    return 0;
}
