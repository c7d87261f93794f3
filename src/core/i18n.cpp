#include "core/i18n.h"

#include <atomic>
#include <mutex>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/assets.h"
#include "core/error.h"

namespace jc {

Language parseLanguage(std::string_view code) { return code.rfind("en", 0) == 0 ? Language::En : Language::Zh; }

Language languageFromEnvironment() {
    for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"})
        if (const char* v = std::getenv(name); v && *v) return parseLanguage(v);
    return Language::Zh;
}

namespace {
Json readJson(const std::filesystem::path& p) {
    std::ifstream in(p);
    if (!in) throw StorageError("cannot read the string table " + p.string());
    std::stringstream ss;
    ss << in.rdbuf();
    Json j = Json::parse(ss.str(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw ValidationError(p.string() + " is not a JSON object of strings");
    return j;
}
}  // namespace

void I18n::load(const std::filesystem::path& dir) { setTables(readJson(dir / "zh_CN.json"), readJson(dir / "en.json")); }

void I18n::setTables(const Json& zh, const Json& en) {
    auto fill = [](const Json& j, Table& t, const char* name) {
        Table out;
        for (auto it = j.begin(); it != j.end(); ++it) {
            if (!it->is_string()) throw ValidationError(std::string(name) + ": value of '" + it.key() + "' is not a string");
            out[it.key()] = it->get<std::string>();
        }
        t = std::move(out);
    };
    fill(zh, m_zh, "zh_CN.json");
    fill(en, m_en, "en.json");
    m_ids[0].clear();
    m_ids[1].clear();
}

const char* I18n::tr(std::string_view key) const {
    const Table& t = table();
    if (auto it = t.find(key); it != t.end()) return it->second.c_str();
    auto it = m_missing.find(key);
    if (it == m_missing.end()) it = m_missing.emplace(std::string(key), std::string(key)).first;
    return it->second.c_str();
}

const char* I18n::trId(std::string_view key) const {
    auto& cache = m_ids[m_lang == Language::En ? 1 : 0];
    auto it = cache.find(key);
    if (it == cache.end()) it = cache.emplace(std::string(key), std::string(tr(key)) + "###" + std::string(key)).first;
    return it->second.c_str();
}

std::string I18n::format(std::string_view key, std::initializer_list<std::string_view> args) const {
    std::string_view src = tr(key);
    std::string out;
    out.reserve(src.size() + 16);
    for (size_t i = 0; i < src.size(); ++i) {
        if (src[i] == '{' && i + 2 < src.size() && src[i + 2] == '}' && src[i + 1] >= '0' && src[i + 1] <= '9') {
            size_t n = static_cast<size_t>(src[i + 1] - '0');
            if (n < args.size()) out += *(args.begin() + n);
            i += 2;
            continue;
        }
        out += src[i];
    }
    return out;
}

bool I18n::has(Language l, std::string_view key) const {
    const Table& t = l == Language::En ? m_en : m_zh;
    return t.find(key) != t.end();
}

std::vector<std::string> I18n::keys(Language l) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : (l == Language::En ? m_en : m_zh)) out.push_back(k);
    return out;
}

std::string I18n::allText() const {
    std::string s;
    for (const auto* t : {&m_zh, &m_en})
        for (const auto& [k, v] : *t) s += v;
    return s;
}

I18n& i18n() {
    static I18n instance;
    return instance;
}

namespace {
std::atomic<bool> g_tablesReady{false};
std::mutex g_tablesMutex;
}  // namespace

bool loadStringTables() noexcept {
    if (g_tablesReady.load(std::memory_order_acquire)) return true;
    std::lock_guard<std::mutex> lock(g_tablesMutex);
    try {
        if (!i18n().loaded()) i18n().load(assetsDir() / "i18n");
        g_tablesReady.store(true, std::memory_order_release);
        return true;
    } catch (const std::exception&) {
        return false;  // texts show as their keys; the caller's next use of the assets reports why
    }
}

const char* entityLabel(const std::string& entity) {
    static const std::map<std::string, const char*, std::less<>> keys = {{"finding", "entity.finding"},
                                                                         {"complaint", "entity.complaint"},
                                                                         {"rectification", "entity.rectification"},
                                                                         {"warning", "entity.warning"},
                                                                         {"evidence", "entity.evidence"},
                                                                         {"approval", "entity.approval"},
                                                                         {"evaluation", "entity.evaluation"},
                                                                         {"focus", "entity.focus"},
                                                                         {"campaign", "entity.campaign"},
                                                                         {"unit", "entity.unit"},
                                                                         {"user", "entity.user"},
                                                                         {"conflict", "entity.conflict"},
                                                                         {"person", "entity.person"},
                                                                         {"team", "entity.team"}};
    auto it = keys.find(entity);
    return it == keys.end() ? entity.c_str() : tr(it->second);
}

const char* codeLabel(std::span<const CodeLabel> list, std::string_view code) {
    for (const auto& c : list)
        if (code == c.code) return i18n().label(c);
    // Unknown codes are shown as stored; keep a stable copy for the returned pointer.
    static std::map<std::string, std::string, std::less<>> unknown;
    auto it = unknown.find(code);
    if (it == unknown.end()) it = unknown.emplace(std::string(code), std::string(code)).first;
    return it->second.c_str();
}

}  // namespace jc
