#include <iostream>

#include "args.h"
#include "commands.h"
#include "model/summary.h"

namespace transmla::cli {

int cmdInspect(int argc, char** argv) {
    Args args(argc, argv, 1, {"json", "help", "tensors"});
    if (args.has("help") || args.positionals().size() != 1) {
        std::cout << "Usage: transmla inspect MODEL_DIR [--json] [--tensors]\n"
                     "Prints the architecture summary of a Hugging Face checkpoint folder.\n";
        return args.has("help") ? 0 : 1;
    }
    args.allowOnly({"json", "help", "tensors"});
    const model::ModelSummary s = model::summarizeModel(args.positionals()[0]);
    if (args.has("json")) {
        nlohmann::json j = s.toJson();
        if (args.has("tensors")) {
            j["tensors"] = nlohmann::json::array();
            for (const auto& t : s.tensors)
                j["tensors"].push_back({{"name", t.name}, {"dtype", t.dtype}, {"shape", t.shape}});
        }
        std::cout << j.dump(2) << "\n";
    } else {
        std::cout << s.toText();
        if (args.has("tensors"))
            for (const auto& t : s.tensors) {
                std::cout << "  " << t.name << " " << t.dtype << " [";
                for (size_t i = 0; i < t.shape.size(); ++i)
                    std::cout << (i ? ", " : "") << t.shape[i];
                std::cout << "]\n";
            }
    }
    return 0;
}

} // namespace transmla::cli
