// A small command-line parser: positionals, `--key value`, `--key=value` and boolean `--flag`s.
#pragma once
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace transmla::cli {

class Args {
public:
    // flags: the option names that take no value.
    Args(int argc, char** argv, int first, const std::set<std::string>& flags) {
        for (int i = first; i < argc; ++i) {
            std::string a = argv[i];
            if (a.rfind("--", 0) == 0 && a.size() > 2) {
                std::string key = a.substr(2);
                auto eq = key.find('=');
                if (eq != std::string::npos) {
                    options_[key.substr(0, eq)] = key.substr(eq + 1);
                } else if (flags.count(key)) {
                    options_[key] = "1";
                } else {
                    if (i + 1 >= argc) throw std::invalid_argument("option --" + key + " needs a value");
                    options_[key] = argv[++i];
                }
            } else {
                positionals_.push_back(a);
            }
        }
    }
    const std::vector<std::string>& positionals() const { return positionals_; }
    bool has(const std::string& key) const { return options_.count(key) > 0; }
    std::optional<std::string> get(const std::string& key) const {
        auto it = options_.find(key);
        if (it == options_.end()) return std::nullopt;
        return it->second;
    }
    std::string get(const std::string& key, const std::string& fallback) const {
        return get(key).value_or(fallback);
    }
    long long getInt(const std::string& key, long long fallback) const {
        auto v = get(key);
        if (!v) return fallback;
        try {
            size_t pos = 0;
            long long n = std::stoll(*v, &pos);
            if (pos != v->size()) throw std::invalid_argument("");
            return n;
        } catch (const std::exception&) {
            throw std::invalid_argument("option --" + key + " expects an integer, got '" + *v + "'");
        }
    }
    double getDouble(const std::string& key, double fallback) const {
        auto v = get(key);
        if (!v) return fallback;
        try {
            size_t pos = 0;
            const double x = std::stod(*v, &pos);
            if (pos != v->size()) throw std::invalid_argument("");
            return x;
        } catch (const std::exception&) {
            throw std::invalid_argument("option --" + key + " expects a number, got '" + *v + "'");
        }
    }
    // Rejects options the command does not know, so that typos are not silently ignored.
    void allowOnly(const std::set<std::string>& known) const {
        for (const auto& [k, v] : options_)
            if (!known.count(k)) throw std::invalid_argument("unknown option --" + k);
    }

private:
    std::vector<std::string> positionals_;
    std::map<std::string, std::string> options_;
};

} // namespace transmla::cli
