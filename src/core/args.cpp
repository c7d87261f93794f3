#include "core/args.h"

#include <algorithm>

#include "core/error.h"
#include "core/i18n.h"

namespace jc {

Args::Args(std::vector<std::string> words, std::set<std::string> valueOptions, std::set<std::string> flags)
    : Args(words, valueOptions, flags, nullptr) {}

Args Args::extract(std::vector<std::string>& words, std::set<std::string> valueOptions, std::set<std::string> flags) {
    std::vector<std::string> rest;
    Args taken(words, valueOptions, flags, &rest);
    words = std::move(rest);
    return taken;
}

Args::Args(const std::vector<std::string>& words, const std::set<std::string>& valueOptions,
           const std::set<std::string>& flags, std::vector<std::string>* rest) {
    loadStringTables();
    for (size_t i = 0; i < words.size(); ++i) {
        const std::string& w = words[i];
        if (w.size() < 3 || w.rfind("--", 0) != 0) {
            (rest ? *rest : m_positional).push_back(w);
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
            if (hasValue) throw UsageError(trf("args.no_value", {"--" + name}));
            m_flags.insert(name);
        } else if (valueOptions.count(name)) {
            if (!hasValue) {
                if (i + 1 >= words.size()) throw UsageError(trf("args.needs_value", {"--" + name}));
                value = words[++i];
            }
            m_values[name].push_back(value);
        } else if (rest) {
            rest->push_back(w);
        } else {
            throw UsageError(trf("args.unknown_option", {"--" + name}));
        }
    }
}

Args::Args(int argc, char** argv, std::set<std::string> valueOptions, std::set<std::string> flags)
    : Args(std::vector<std::string>(argv + (argc > 0 ? 1 : 0), argv + (argc > 0 ? argc : 0)), std::move(valueOptions),
           std::move(flags)) {}

std::string Args::positionalAt(size_t i, const char* what) const {
    if (i >= m_positional.size()) throw UsageError(trf("args.missing_argument", {what}));
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
    if (!v) throw UsageError(trf("args.missing_option", {"--" + name}));
    return *v;
}

std::vector<std::string> Args::all(const std::string& name) const {
    auto it = m_values.find(name);
    return it == m_values.end() ? std::vector<std::string>{} : it->second;
}

namespace {
// The whole of `text` as a number by `parse` (std::stoi, std::stod), or nullopt.
template <class T, class Parse>
std::optional<T> parseWhole(const std::string& text, Parse parse) {
    size_t used = 0;
    try {
        T v = parse(text, &used);
        if (used == text.size()) return v;
    } catch (const std::exception&) {
    }
    return std::nullopt;
}
}  // namespace

int Args::intOpt(const std::string& name, int fallback, int min, int max) const {
    auto v = opt(name);
    if (!v) return fallback;
    auto n = parseWhole<int>(*v, [](const std::string& s, size_t* used) { return std::stoi(s, used); });
    if (!n || *n < min || *n > max)
        throw UsageError(trf("args.bad_int", {"--" + name, *v, std::to_string(min), std::to_string(max)}));
    return *n;
}

double Args::doubleOpt(const std::string& name, double fallback, double min, double max) const {
    auto v = opt(name);
    if (!v) return fallback;
    auto d = parseWhole<double>(*v, [](const std::string& s, size_t* used) { return std::stod(s, used); });
    auto shown = [](double x) {
        std::string s = std::to_string(x);
        while (s.size() > 1 && s.back() == '0') s.pop_back();
        if (s.back() == '.') s.pop_back();
        return s;
    };
    if (!d || !(*d >= min && *d <= max))
        throw UsageError(trf("args.bad_number", {"--" + name, *v, shown(min), shown(max)}));
    return *d;
}

void Args::maxPositional(size_t n) const {
    if (m_positional.size() > n) throw UsageError(trf("args.unexpected", {m_positional[n]}));
}

bool wantsHelp(const std::vector<std::string>& words) {
    for (const auto& w : words)
        if (w == "--help" || w == "-h") return true;
    return false;
}

std::vector<std::string> splitList(const std::string& s) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= s.size()) {
        size_t comma = std::min(s.find(',', start), s.size());
        if (comma > start) out.push_back(s.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

}  // namespace jc
