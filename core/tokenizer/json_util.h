// Small helpers for reading tokenizer.json sections with errors that name the file and field.
#pragma once
#include <nlohmann/json.hpp>

#include <string>

#include "util/error.h"

namespace transmla::tok {

using Json = nlohmann::json;

struct LoadContext {
    std::string file; // shown in every FormatError
};

[[noreturn]] inline void unsupported(const LoadContext& ctx, const std::string& field,
                                     const std::string& what) {
    throw FormatError(ctx.file, field, "unsupported '" + what + "'");
}

// The "type" member of a component object (field names the component, e.g. "normalizer").
inline std::string typeOf(const LoadContext& ctx, const Json& j, const std::string& field) {
    if (!j.is_object()) throw FormatError(ctx.file, field, "expected an object");
    auto it = j.find("type");
    if (it == j.end() || !it->is_string()) throw FormatError(ctx.file, field + ".type", "missing");
    return it->get<std::string>();
}

inline std::string getString(const LoadContext& ctx, const Json& j, const std::string& key,
                             const std::string& field, const std::string& fallback = std::string(),
                             bool required = false) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        if (required) throw FormatError(ctx.file, field + "." + key, "missing");
        return fallback;
    }
    if (!it->is_string()) throw FormatError(ctx.file, field + "." + key, "expected a string");
    return it->get<std::string>();
}

inline bool getBool(const LoadContext& ctx, const Json& j, const std::string& key, const std::string& field,
                    bool fallback) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return fallback;
    if (!it->is_boolean()) throw FormatError(ctx.file, field + "." + key, "expected true or false");
    return it->get<bool>();
}

inline long long getInt(const LoadContext& ctx, const Json& j, const std::string& key,
                        const std::string& field, long long fallback) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return fallback;
    if (!it->is_number_integer()) throw FormatError(ctx.file, field + "." + key, "expected an integer");
    return it->get<long long>();
}

// The {"String": s} / {"Regex": r} pattern object of Replace and Split; returns a regex source.
inline std::string patternRegex(const LoadContext& ctx, const Json& j, const std::string& field,
                                bool& isLiteral, std::string& literal) {
    auto it = j.find("pattern");
    if (it == j.end() || !it->is_object()) throw FormatError(ctx.file, field + ".pattern", "missing");
    if (auto s = it->find("String"); s != it->end() && s->is_string()) {
        isLiteral = true;
        literal = s->get<std::string>();
        return std::string();
    }
    if (auto r = it->find("Regex"); r != it->end() && r->is_string()) {
        isLiteral = false;
        return r->get<std::string>();
    }
    throw FormatError(ctx.file, field + ".pattern", "expected {\"String\": ...} or {\"Regex\": ...}");
}

} // namespace transmla::tok
