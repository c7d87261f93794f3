#include "cli/args.h"

#include "core/error.h"

namespace jc::cli {

Args::Args(std::vector<std::string> words, std::set<std::string> valueOptions, std::set<std::string> flags) {
    for (size_t i = 0; i < words.size(); ++i) {
        const std::string& w = words[i];
        if (w.size() < 3 || w.rfind("--", 0) != 0) {
            m_positional.push_back(w);
            continue;
        }
        std::string name = w.substr(2), value;
        bool hasValue = false;
        if (auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
            hasValue = true;
        }
        if (flags.count(name)) {
            if (hasValue) throw UsageError("option --" + name + " takes no value");
            m_flags.insert(name);
        } else if (valueOptions.count(name)) {
            if (!hasValue) {
                if (i + 1 >= words.size()) throw UsageError("option --" + name + " needs a value");
                value = words[++i];
            }
            m_values[name].push_back(value);
        } else {
            throw UsageError("unknown option --" + name + " (see --help)");
        }
    }
}

std::string Args::positionalAt(size_t i, const char* what) const {
    if (i >= m_positional.size()) throw UsageError(std::string("missing ") + what + " (see --help)");
    return m_positional[i];
}

std::optional<std::string> Args::opt(const std::string& name) const {
    auto it = m_values.find(name);
    if (it == m_values.end()) return std::nullopt;
    return it->second.back();
}

std::string Args::optOr(const std::string& name, const std::string& fallback) const { return opt(name).value_or(fallback); }

std::string Args::required(const std::string& name) const {
    auto v = opt(name);
    if (!v) throw UsageError("missing required option --" + name + " (see --help)");
    return *v;
}

std::vector<std::string> Args::all(const std::string& name) const {
    auto it = m_values.find(name);
    return it == m_values.end() ? std::vector<std::string>{} : it->second;
}

int Args::intOpt(const std::string& name, int fallback, int min, int max) const {
    auto v = opt(name);
    if (!v) return fallback;
    size_t used = 0;
    int n = 0;
    try {
        n = std::stoi(*v, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != v->size() || n < min || n > max)
        throw UsageError("--" + name + " must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    return n;
}

void Args::maxPositional(size_t n) const {
    if (m_positional.size() > n) throw UsageError("unexpected argument '" + m_positional[n] + "' (see --help)");
}

}  // namespace jc::cli
