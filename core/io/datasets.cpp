#include "io/datasets.h"

#include <fstream>

#include <nlohmann/json.hpp>

#include "util/error.h"

namespace transmla::io {

std::vector<Gsm8kProblem> loadGsm8k(const std::filesystem::path& file, int64_t limit) {
    std::ifstream in(file);
    if (!in) throw FormatError(file.string(), "", "cannot open");
    std::vector<Gsm8kProblem> out;
    std::string line;
    int64_t lineNo = 0;
    while ((limit < 0 || int64_t(out.size()) < limit) && std::getline(in, line)) {
        ++lineNo;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        const std::string where = "line " + std::to_string(lineNo);
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(line);
        } catch (const nlohmann::json::exception& e) {
            throw FormatError(file.string(), where, std::string("invalid JSON: ") + e.what());
        }
        if (!j.is_object() || !j.contains("question") || !j["question"].is_string() ||
            !j.contains("answer") || !j["answer"].is_string())
            throw FormatError(file.string(), where, "expected {\"question\": string, \"answer\": string}");
        out.push_back({j["question"].get<std::string>(), j["answer"].get<std::string>()});
    }
    if (out.empty()) throw FormatError(file.string(), "", "no problems in the file");
    return out;
}

std::vector<std::string> loadTexts(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw FormatError(file.string(), "", "cannot open");
    std::vector<std::string> out;
    std::string line, para;
    if (file.extension() == ".jsonl") {
        int64_t lineNo = 0;
        while (std::getline(in, line)) {
            ++lineNo;
            if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
            nlohmann::json j;
            try {
                j = nlohmann::json::parse(line);
            } catch (const nlohmann::json::exception& e) {
                throw FormatError(file.string(), "line " + std::to_string(lineNo), e.what());
            }
            if (j.contains("question") && j.contains("answer"))
                out.push_back(
                    Gsm8kProblem{j["question"].get<std::string>(), j["answer"].get<std::string>()}.text());
            else if (j.contains("text") && j["text"].is_string())
                out.push_back(j["text"].get<std::string>());
            else
                throw FormatError(file.string(), "line " + std::to_string(lineNo),
                                  "expected {\"text\"} or {\"question\",\"answer\"}");
        }
    } else {
        while (std::getline(in, line)) {
            if (line.find_first_not_of(" \t\r") == std::string::npos) {
                if (!para.empty()) out.push_back(std::move(para));
                para.clear();
            } else {
                para += line + "\n";
            }
        }
        if (!para.empty()) out.push_back(std::move(para));
    }
    if (out.empty()) throw FormatError(file.string(), "", "no text in the file");
    return out;
}

void checkTextFile(const std::filesystem::path& file) {
    std::error_code ec;
    const auto status = std::filesystem::status(file, ec);
    if (!std::filesystem::exists(status)) throw FormatError(file.string(), "", "not found");
    if (!std::filesystem::is_regular_file(status)) throw FormatError(file.string(), "", "not a regular file");
    std::ifstream in(file, std::ios::binary);
    if (!in) throw FormatError(file.string(), "", "cannot be read (permissions?)");
    char buf[4096];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        for (std::streamsize i = 0; i < in.gcount(); ++i)
            if (buf[i] != ' ' && buf[i] != '\n' && buf[i] != '\r' && buf[i] != '\t') return;
        if (!in) break;
    }
    if (in.bad()) throw FormatError(file.string(), "", "cannot be read");
    throw FormatError(file.string(), "", "is empty (no text to calibrate on)");
}

std::filesystem::path calibrationFile(const std::string& source, const std::filesystem::path& resourcesDir) {
    if (source == "gsm8k") return resourcesDir / "data" / "gsm8k" / "train.jsonl";
    if (source == "wikitext2") return wikitext2File(resourcesDir, "valid");
    return source;
}

std::filesystem::path wikitext2File(const std::filesystem::path& resourcesDir, const char* split) {
    return resourcesDir / "data" / "wikitext2" / (std::string(split) + ".txt");
}

} // namespace transmla::io
