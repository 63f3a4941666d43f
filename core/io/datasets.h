// Text datasets: GSM8K jsonl ({"question","answer"} per line) and plain text files.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace transmla::io {

struct Gsm8kProblem {
    std::string question, answer;
    // The evaluation text, as ../shared/README.md defines it.
    std::string text() const { return "Question: " + question + "\nAnswer: " + answer; }
    std::string prompt() const { return "Question: " + question + "\nAnswer:"; }
};

// limit < 0: all. Errors name the file and the line.
std::vector<Gsm8kProblem> loadGsm8k(const std::filesystem::path& file, int64_t limit = -1);

// Calibration texts: a .jsonl file gives one text per line (GSM8K-style or {"text"}), any other
// file is split into paragraphs at blank lines.
std::vector<std::string> loadTexts(const std::filesystem::path& file);

// Cheap checks before any work starts (no parsing): throws FormatError naming the file when it
// does not exist, is not a regular file, cannot be read, or holds nothing but whitespace.
void checkTextFile(const std::filesystem::path& file);

// The file a calibration source names: "gsm8k" the bundled GSM8K train split, "wikitext2" the
// bundled WikiText-2 validation split, anything else a path. Not checked (see checkTextFile).
std::filesystem::path calibrationFile(const std::string& source, const std::filesystem::path& resourcesDir);
// The bundled WikiText-2 split ("valid" or "test").
std::filesystem::path wikitext2File(const std::filesystem::path& resourcesDir, const char* split);

} // namespace transmla::io
