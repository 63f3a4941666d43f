// The safetensors header parser: any bytes must give a FormatError or a valid file, never a crash.
#include "fuzz_util.h"
#include "io/safetensors.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string path = fuzzFile(data, size, ".safetensors");
    try {
        transmla::io::SafetensorsFile f(path);
        for (const auto& t : f.tensors())
            (void)t.numel();
    } catch (const transmla::Error&) {
    }
    return 0;
}
