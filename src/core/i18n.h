#pragma once
// String tables (DESIGN.md §6), shared by the window and the command line: every text a person
// reads comes from assets/i18n/<lang>.json by key, zh_CN by default, English selectable at run
// time. A table is a flat JSON object {"key": "text"}; texts may hold {0}, {1} … placeholders
// (trf()). Keys are dotted, [a-z0-9_.]+, grouped by screen or command ("nav.home", "cli.…").
//
// tr() never fails: a key missing from the table shows as the key itself (and is counted), so
// a screen with a bad key still works; the i18n tests fail instead. Not thread-safe: load and
// switch language before other threads read, or from the UI thread only.
#include <filesystem>
#include <initializer_list>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/i18n.h"
#include "core/domain.h"
#include "core/entities.h"

namespace jc {

enum class Language { Zh, En };
Language parseLanguage(std::string_view code);  // anything but "en…" is Chinese
// The language the environment asks for: LC_ALL, else LC_MESSAGES, else LANG (POSIX order);
// English only when that value starts with "en", Chinese otherwise (also for C / POSIX).
Language languageFromEnvironment();

class I18n {
public:
    // Reads <dir>/zh_CN.json and <dir>/en.json; throws StorageError / ValidationError naming the file.
    void load(const std::filesystem::path& dir);
    // Tables given directly (tests). Non-string values are refused with ValidationError.
    void setTables(const Json& zh, const Json& en);
    bool loaded() const { return !m_zh.empty(); }

    void setLanguage(Language l) { m_lang = l; }
    Language language() const { return m_lang; }
    bool english() const { return m_lang == Language::En; }

    // The text for `key` in the current language. The pointer stays valid until the next load().
    const char* tr(std::string_view key) const;
    // "text###key": a label whose ImGui ID does not change with the language.
    const char* trId(std::string_view key) const;
    // tr() with {0}, {1} … replaced by `args`.
    std::string format(std::string_view key, std::initializer_list<std::string_view> args) const;
    // The label of a domain code in the current language.
    const char* label(const CodeLabel& c) const { return english() ? c.en : c.zh; }

    bool has(Language l, std::string_view key) const;
    std::vector<std::string> keys(Language l) const;
    // Every text of both tables (the glyph atlas must cover them all).
    std::string allText() const;
    int missingLookups() const { return static_cast<int>(m_missing.size()); }

private:
    using Table = std::map<std::string, std::string, std::less<>>;
    const Table& table() const { return m_lang == Language::En ? m_en : m_zh; }
    Table m_zh, m_en;
    Language m_lang = Language::Zh;
    mutable Table m_missing;                  // key -> key (stable storage for tr())
    mutable std::map<std::string, std::string, std::less<>> m_ids[2];  // key -> "text###key"
};

// The process-wide tables (the window's views, the command line, the server's admin commands).
I18n& i18n();
// Loads the process-wide tables from assetsDir()/i18n once (later calls do nothing; safe from
// any thread). False when they cannot be read (texts then show as their keys). tr() and trf()
// call it, so a message raised in app or core reads in the user's language in any program.
bool loadStringTables() noexcept;
inline const char* tr(std::string_view key) {
    loadStringTables();
    return i18n().tr(key);
}
inline std::string trf(std::string_view key, std::initializer_list<std::string_view> args) {
    loadStringTables();
    return i18n().format(key, args);
}
// A record kind for people ("finding" → 检查发现 / finding); unknown kinds come back as given.
const char* entityLabel(const std::string& entity);
// The label of `code` in `list` in the current language, or the code itself when unknown.
const char* codeLabel(std::span<const CodeLabel> list, std::string_view code);

}  // namespace jc
