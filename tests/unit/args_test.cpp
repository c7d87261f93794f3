// The one argument parser: options, flags, repeatable values, limits, and usage errors that
// name the option in the user's language.
#include <catch2/catch.hpp>

#include "core/args.h"
#include "core/error.h"
#include "core/i18n.h"

using namespace jc;

namespace {
std::string usageMessage(std::vector<std::string> words) {
    try {
        Args a(std::move(words), {"title", "limit", "ratio"}, {"json"});
        a.maxPositional(1);
        a.required("title");
        a.intOpt("limit", 1, 1, 100);
        a.doubleOpt("ratio", 1, 0, 1);
    } catch (const UsageError& e) {
        return e.what();
    }
    return "(accepted)";
}
}  // namespace

TEST_CASE("options, flags, repeats and positionals", "[args]") {
    Args a({"ID", "--title", "拆迁补偿", "--field=a=1", "--field", "b=2", "--json", "--limit", "7"}, {"title", "field", "limit"},
           {"json"});
    CHECK(a.positionalAt(0, "ID") == "ID");
    CHECK(a.required("title") == "拆迁补偿");
    CHECK(a.all("field") == std::vector<std::string>{"a=1", "b=2"});
    CHECK(a.flag("json"));
    CHECK(a.intOpt("limit", 1, 1, 10) == 7);
    CHECK(a.optOr("missing", "x") == "x");
    CHECK(wantsHelp({"list", "-h"}));
    CHECK_FALSE(wantsHelp({"list"}));
    char prog[] = "bench", o1[] = "--rows", v1[] = "1000", f[] = "--quick";
    char* argv[] = {prog, o1, v1, f};
    Args b(4, argv, {"rows"}, {"quick"});
    CHECK(b.intOpt("rows", 0, 1, 1'000'000) == 1000);
    CHECK(b.flag("quick"));
}

TEST_CASE("global options are taken out wherever they stand, the rest stays in order", "[args]") {
    std::vector<std::string> words{"--as", "alice", "finding", "list", "--status", "open", "--json", "--data-dir=/tmp/d", "ID"};
    Args g = Args::extract(words, {"as", "data-dir"}, {"json"});
    CHECK(g.required("as") == "alice");
    CHECK(g.required("data-dir") == "/tmp/d");
    CHECK(g.flag("json"));
    CHECK(g.positional().empty());
    CHECK(words == std::vector<std::string>{"finding", "list", "--status", "open", "ID"});
    std::vector<std::string> bare{"status"};
    CHECK_FALSE(Args::extract(bare, {"as"}, {"json"}).opt("as"));
    CHECK(bare == std::vector<std::string>{"status"});
    std::vector<std::string> missing{"status", "--as"};
    CHECK_THROWS_AS(Args::extract(missing, {"as"}, {}), UsageError);
}

TEST_CASE("usage errors name the option in the user's language", "[args]") {
    loadStringTables();
    i18n().setLanguage(Language::En);
    CHECK(usageMessage({"--bogus"}) == "unknown option --bogus; see --help for the options of this command");
    CHECK(usageMessage({"--title"}).find("option --title needs a value") == 0);
    CHECK(usageMessage({"--json=1"}).find("option --json takes no value") == 0);
    CHECK(usageMessage({}).find("missing required option --title") == 0);
    CHECK(usageMessage({"--title", "t", "--limit", "0"}) == "--limit must be a whole number from 1 to 100, got '0'");
    CHECK(usageMessage({"--title", "t", "--ratio", "1.5"}) == "--ratio must be a number from 0 to 1, got '1.5'");
    CHECK(usageMessage({"a", "b", "--title", "t"}).find("unexpected argument 'b'") == 0);
    CHECK(usageMessage({"--title", "t"}) == "(accepted)");
    i18n().setLanguage(Language::Zh);
    CHECK(usageMessage({"--bogus"}).find("不认识的选项 --bogus") == 0);
    CHECK(usageMessage({}).find("缺少必填选项 --title") == 0);
}

TEST_CASE("the language comes from LC_ALL, LC_MESSAGES, then LANG", "[args][i18n]") {
    ::unsetenv("LC_ALL");
    ::unsetenv("LC_MESSAGES");
    ::setenv("LANG", "C.UTF-8", 1);
    CHECK(languageFromEnvironment() == Language::Zh);
    ::setenv("LANG", "en_US.UTF-8", 1);
    CHECK(languageFromEnvironment() == Language::En);
    ::setenv("LC_MESSAGES", "zh_CN.UTF-8", 1);
    CHECK(languageFromEnvironment() == Language::Zh);
    ::setenv("LC_ALL", "en_GB.UTF-8", 1);
    CHECK(languageFromEnvironment() == Language::En);
    ::unsetenv("LC_ALL");
    ::unsetenv("LC_MESSAGES");
}
