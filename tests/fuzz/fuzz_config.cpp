// config.json: any JSON text must give a model description or a FormatError naming the field.
#include <nlohmann/json.hpp>

#include "io/model_config.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    nlohmann::json j = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return 0;
    try {
        const auto c = transmla::io::parseModelConfig(j, "config.json");
        (void)c.kvCacheBytesPerToken(2);
    } catch (const transmla::Error&) {
    }
    return 0;
}
