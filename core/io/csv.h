// CSV files (RFC 4180: comma separated, quoted when needed, '\n' rows), numbers at full double
// precision so that a spreadsheet sees exactly what was computed, every file written atomically.
// The low-level writer only: what the columns of each result are is results/csv.h's business (and
// each plot view's, for what it shows).
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace transmla::io {

// One field, quoted when it holds a comma, quote, CR or LF.
std::string csvField(const std::string& s);
// %.17g: round-trips every double.
std::string csvNumber(double v);

// Rows of fields (quoted as needed) under a header; written to a temporary beside `file` and renamed
// over it when complete, so a failed write leaves the old file intact. Throws Error naming the file.
class CsvWriter {
public:
    explicit CsvWriter(const std::vector<std::string>& header);
    // Fields as they are: numbers formatted by the caller (csvNumber, std::to_string), text quoted here.
    void row(const std::vector<std::string>& fields);
    void save(const std::filesystem::path& file) const;
    const std::string& text() const { return text_; }

private:
    std::string text_;
};

} // namespace transmla::io
