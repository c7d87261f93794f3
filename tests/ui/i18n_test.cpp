// String tables: both languages have exactly the same keys, no text is empty, placeholders match,
// and every key the UI sources use (tr / trId / trf and the label helpers) exists in both.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "app/paths.h"
#include "ui/shell/i18n.h"

using namespace jc;
using namespace jc::ui;
namespace fs = std::filesystem;

namespace {

fs::path sourceRoot() { return fs::path(JIANCHA_TEST_FIXTURES).parent_path().parent_path(); }

std::string readAll(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Literal keys inside the argument list of calls that take i18n keys (balanced parentheses,
// so ternaries like tr(a ? "x.y" : "x.z") are covered), and `return "x.y";` of key helpers.
std::set<std::pair<std::string, std::string>> usedKeys() {
    std::set<std::pair<std::string, std::string>> used;
    const std::regex call(R"(\b(tr|trId|trf|label|row|stat|codeCombo)\()");
    const std::regex key(R"re("([a-z][a-z0-9_]*\.[a-z0-9_.]*[a-z0-9_])")re");
    const std::regex ret(R"re(return\s+"([a-z][a-z0-9_]*\.[a-z0-9_]+)")re");
    for (const auto& e : fs::recursive_directory_iterator(sourceRoot() / "src/ui")) {
        if (!e.is_regular_file()) continue;
        auto ext = e.path().extension();
        if (ext != ".cpp" && ext != ".h") continue;
        std::string s = readAll(e.path());
        std::string file = e.path().filename().string();
        for (auto it = std::sregex_iterator(s.begin(), s.end(), call); it != std::sregex_iterator(); ++it) {
            size_t i = static_cast<size_t>(it->position() + it->length()), j = i;
            int depth = 1;
            while (j < s.size() && depth > 0) {
                if (s[j] == '(') ++depth;
                else if (s[j] == ')') --depth;
                else if (s[j] == '"') {
                    for (++j; j < s.size() && s[j] != '"'; ++j)
                        if (s[j] == '\\') ++j;
                }
                ++j;
            }
            std::string args = s.substr(i, j - i);
            for (auto k = std::sregex_iterator(args.begin(), args.end(), key); k != std::sregex_iterator(); ++k)
                used.insert({(*k)[1].str(), file});
        }
        for (auto k = std::sregex_iterator(s.begin(), s.end(), ret); k != std::sregex_iterator(); ++k)
            used.insert({(*k)[1].str(), file});
    }
    return used;
}

std::multiset<std::string> placeholders(const std::string& text) {
    std::multiset<std::string> out;
    static const std::regex ph(R"(\{[0-9]\})");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), ph); it != std::sregex_iterator(); ++it) out.insert(it->str());
    return out;
}

}  // namespace

TEST_CASE("zh_CN and en string tables have the same keys", "[i18n]") {
    I18n t;
    t.load(assetsDir() / "i18n");
    auto zh = t.keys(Language::Zh), en = t.keys(Language::En);
    REQUIRE(zh.size() > 200);
    for (const auto& k : zh) {
        INFO("key " << k);
        CHECK(t.has(Language::En, k));
    }
    for (const auto& k : en) {
        INFO("key " << k);
        CHECK(t.has(Language::Zh, k));
    }
}

TEST_CASE("every text is non-empty and placeholders match across languages", "[i18n]") {
    I18n t;
    t.load(assetsDir() / "i18n");
    for (const auto& k : t.keys(Language::Zh)) {
        t.setLanguage(Language::Zh);
        std::string zh = t.tr(k);
        t.setLanguage(Language::En);
        std::string en = t.tr(k);
        INFO("key " << k);
        CHECK_FALSE(zh.empty());
        CHECK_FALSE(en.empty());
        CHECK(placeholders(zh) == placeholders(en));
    }
}

TEST_CASE("every key used in src/ui exists in both languages", "[i18n]") {
    I18n t;
    t.load(assetsDir() / "i18n");
    auto used = usedKeys();
    REQUIRE(used.size() > 100);
    for (const auto& [k, file] : used) {
        INFO("key " << k << " used in " << file);
        CHECK(t.has(Language::Zh, k));
        CHECK(t.has(Language::En, k));
    }
}

TEST_CASE("lookups, ids and formatting", "[i18n]") {
    I18n t;
    t.setTables({{"a.b", "保存"}, {"a.f", "共 {0} 条，{1}"}}, {{"a.b", "Save"}, {"a.f", "{0} rows, {1}"}});
    CHECK(std::string(t.tr("a.b")) == "保存");
    CHECK(std::string(t.trId("a.b")) == "保存###a.b");
    CHECK(t.format("a.f", {"100,000", "好"}) == "共 100,000 条，好");
    CHECK(std::string(t.tr("missing.key")) == "missing.key");
    CHECK(t.missingLookups() == 1);
    t.setLanguage(Language::En);
    CHECK(std::string(t.tr("a.b")) == "Save");
    CHECK(std::string(t.trId("a.b")) == "Save###a.b");
    CHECK(t.format("a.f", {"3"}) == "3 rows, ");
    CHECK_THROWS(t.setTables({{"x", 1}}, Json::object()));
}
