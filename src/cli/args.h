#pragma once
// A small command-line parser: positional words, `--name value`, `--name=value`, repeatable
// options and boolean flags. Each subcommand declares what it accepts, so an unknown option
// or a missing value is a usage error (exit 2) naming the option.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace jc::cli {

class Args {
public:
    Args(std::vector<std::string> words, std::set<std::string> valueOptions, std::set<std::string> flags);

    const std::vector<std::string>& positional() const { return m_positional; }
    std::string positionalAt(size_t i, const char* what) const;  // throws UsageError naming `what`
    bool flag(const std::string& name) const { return m_flags.count(name) > 0; }
    std::optional<std::string> opt(const std::string& name) const;
    std::string optOr(const std::string& name, const std::string& fallback) const;
    std::string required(const std::string& name) const;  // throws UsageError
    std::vector<std::string> all(const std::string& name) const;
    int intOpt(const std::string& name, int fallback, int min, int max) const;
    void maxPositional(size_t n) const;

private:
    std::vector<std::string> m_positional;
    std::map<std::string, std::vector<std::string>> m_values;
    std::set<std::string> m_flags;
};

}  // namespace jc::cli
