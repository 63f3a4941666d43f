#include "io/csv.h"

#include <cstdio>

#include "util/atomic_file.h"

namespace transmla::io {

std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string csvNumber(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

CsvWriter::CsvWriter(const std::vector<std::string>& header) {
    row(header);
}

void CsvWriter::row(const std::vector<std::string>& fields) {
    for (size_t i = 0; i < fields.size(); ++i) {
        if (i) text_ += ',';
        text_ += csvField(fields[i]);
    }
    text_ += '\n';
}

void CsvWriter::save(const std::filesystem::path& file) const {
    AtomicFile out(file);
    out.write(text_.data(), text_.size());
    out.commit();
}

} // namespace transmla::io
