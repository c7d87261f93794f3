#pragma once
// The one command-line parser of the client, the server and the benchmarks: positional words,
// `--name value`, `--name=value`, repeatable options and boolean flags. Each (sub)command
// declares what it accepts, so an unknown option or a missing value is a UsageError (exit 2)
// naming the option, in the current language (core/i18n.h). Help texts are written by hand
// in the string tables, not generated, so they read well in Chinese and English.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace jc {

class Args {
public:
    // `valueOptions` and `flags` are names without the leading "--".
    Args(std::vector<std::string> words, std::set<std::string> valueOptions, std::set<std::string> flags);
    Args(int argc, char** argv, std::set<std::string> valueOptions, std::set<std::string> flags);

    // Takes the options named in `valueOptions` and `flags` out of `words`, wherever they stand,
    // and leaves every other word (the subcommand, its arguments and its own options) in
    // `words` in order: global options may come before or after a subcommand, whose own Args
    // then parses the rest. A missing value is a UsageError as above; unknown options are kept.
    static Args extract(std::vector<std::string>& words, std::set<std::string> valueOptions,
                        std::set<std::string> flags);

    const std::vector<std::string>& positional() const { return m_positional; }
    std::string positionalAt(size_t i, const char* what) const;  // throws UsageError naming `what`
    bool flag(const std::string& name) const { return m_flags.count(name) > 0; }
    std::optional<std::string> opt(const std::string& name) const;
    std::string optOr(const std::string& name, const std::string& fallback) const;
    std::string required(const std::string& name) const;  // throws UsageError
    std::vector<std::string> all(const std::string& name) const;
    int intOpt(const std::string& name, int fallback, int min, int max) const;
    double doubleOpt(const std::string& name, double fallback, double min, double max) const;
    void maxPositional(size_t n) const;

private:
    // With `rest`, positional words and unknown options go there instead of being kept or refused.
    Args(const std::vector<std::string>& words, const std::set<std::string>& valueOptions,
         const std::set<std::string>& flags, std::vector<std::string>* rest);

    std::vector<std::string> m_positional;
    std::map<std::string, std::vector<std::string>> m_values;
    std::set<std::string> m_flags;
};

// The items of a comma-separated list ("a,b,,c" -> a, b, c): empty items are dropped.
std::vector<std::string> splitList(const std::string& s);

// True when `words` hold --help or -h.
bool wantsHelp(const std::vector<std::string>& words);

}  // namespace jc
