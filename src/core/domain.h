#pragma once
// Code lists of the supervision domain (DESIGN.md §2). Stored values are the stable
// English codes; zh/en labels are for display and for CLI input in either language.
#include <span>
#include <string>
#include <string_view>

namespace jc {

struct CodeLabel {
    const char* code;
    const char* zh;
    const char* en;
};

enum class Role { Inspector, Lead, HqAdmin };
std::string_view roleCode(Role r);
const char* roleLabel(Role r);  // 检查员 / Inspector, in the current language (core/i18n.h)
// An audit log's action ("passphrase_change", "device_enroll" …) in the current language
// (string table key admin.action.<code>), or the code itself when the tables have no words for it.
std::string auditActionLabel(std::string_view action);
// Only white space, including the full-width space (U+3000) a Chinese IME types: a comment, label
// or value like this counts as missing.
bool isBlank(std::string_view s);
Role parseRole(std::string_view s);  // "inspector" | "lead" | "hq_admin"; throws ValidationError

std::span<const CodeLabel> areas();             // 8 supervision areas (监察领域)
std::span<const CodeLabel> categories();        // 6 hot-spot case categories (专项类别)
std::span<const CodeLabel> misconductTypes();   // 6 misconduct types (行为类型)
std::span<const CodeLabel> complaintChannels(); // walk_in, hotline, web, letter
std::span<const CodeLabel> severities();        // low, medium, high, critical
std::span<const CodeLabel> unitKinds();         // department, enterprise, township_gov, …
std::span<const CodeLabel> warningLevels();     // reminder, warning, serious

// Finds a code in a list by its code or either label; throws ValidationError naming the list.
const CodeLabel& findCode(std::span<const CodeLabel> list, std::string_view codeOrLabel, std::string_view listName);
bool hasCode(std::span<const CodeLabel> list, std::string_view code);

}  // namespace jc
