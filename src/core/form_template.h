#pragma once
// Form templates (DESIGN.md §2): the typed case facts of one category (parcel, households,
// compensation due / paid …), versioned. HQ edits them, clients render them, and a finding's
// field_values are checked against the template version they were recorded with.
//
// Templates arrive as JSON (assets/templates/<category>.json, sync), so parsing is strict: an
// unknown type, a duplicate key, a choice without options or a misspelt attribute is refused with
// a ValidationError naming the template and the field. The JSON shape:
//
//   {"category": "land_acquisition", "version": 1, "title": "征收征用土地案件要素",
//    "title_en": "Land acquisition facts",
//    "fields": [{"key": "area_mu", "label_zh": "面积（亩）", "label_en": "Area (mu)",
//                "type": "number", "required": true, "min": 0},
//               {"key": "use", "label_zh": "用途", "type": "choice",
//                "options": [{"code": "farm", "zh": "耕地", "en": "Farmland"}, "其他"]}]}
//
// Field attributes: key ([a-z][a-z0-9_]*), label_zh, label_en (defaults to label_zh), type,
// required, options (choice / multi_choice: {code, zh, en} objects or plain strings, which are
// their own code and labels), min / max (number; money in integer fen), integer (number only),
// max_length (text / multiline, in characters), hint_zh / hint_en (help text under the input).
//
// Values (a JSON object key -> value): text / multiline -> string, number -> number,
// money -> integer fen (分), date -> "YYYY-MM-DD", choice -> option code, multi_choice -> array
// of option codes, region -> GB/T 2260 code (2–12 digits), unit / person -> UUID, yes_no -> bool.
// null, "" and [] mean "not filled in".
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain.h"
#include "core/entities.h"

namespace jc {

enum class FormFieldType { Text, Multiline, Number, Money, Date, Choice, MultiChoice, Region, Unit, Person, YesNo };

std::span<const CodeLabel> formFieldTypes();  // every type: code ("text", "multi_choice" …) and zh/en names
std::string_view formFieldTypeCode(FormFieldType t);
std::optional<FormFieldType> parseFormFieldType(std::string_view code);
// Money is stored as integer fen and read in yuan: 123456 → "1234.56", -50 → "-0.50".
std::string formatYuan(int64_t fen);

// Text limits when a field does not set max_length (characters, not bytes).
inline constexpr int kFormTextDefaultChars = 500;
inline constexpr int kFormMultilineDefaultChars = 20'000;

struct FormOption {
    std::string code, zh, en;
    bool operator==(const FormOption&) const = default;
};

struct FormField {
    std::string key;
    std::string labelZh, labelEn;
    FormFieldType type = FormFieldType::Text;
    bool required = false;
    std::vector<FormOption> options;  // choice and multi_choice
    std::optional<double> min, max;   // number; money in integer fen
    bool integer = false;             // number: whole numbers only (households, workers, months)
    int maxLength = 0;                // text / multiline, characters; 0 = the default limit
    std::string hintZh, hintEn;

    bool isTextLike() const { return type == FormFieldType::Text || type == FormFieldType::Multiline; }
    int effectiveMaxLength() const;
    const FormOption* option(std::string_view code) const;
    bool operator==(const FormField&) const = default;
};

// One problem with one value, in both languages for the form renderer and the CLI.
struct FieldIssue {
    std::string key;  // the field's key ("" when the values are not an object at all)
    std::string messageZh;
    std::string messageEn;
};

struct FormTemplate {
    std::string category;  // case category code (domain.h categories()), [a-z0-9_]+
    int version = 1;       // >= 1; a finding records the version it was filled in with
    std::string title;     // Chinese title
    std::string titleEn;   // English title ("" = use the Chinese one)
    std::vector<FormField> fields;

    static FormTemplate fromJson(const Json& j);  // throws ValidationError naming the bad field
    Json toJson() const;                          // fromJson(toJson()) == *this

    const FormField* field(std::string_view key) const;
    // Every problem with `values`, in template order, then unknown keys; empty when valid.
    std::vector<FieldIssue> validateValues(const Json& values) const;
    // Keys of text and multiline fields (what full-text search indexes).
    std::vector<std::string> textKeys() const;
    // The searchable text of `values`: text values and the Chinese labels of chosen options,
    // one per line. Values of the wrong type are skipped.
    std::string searchText(const Json& values) const;

    bool operator==(const FormTemplate&) const = default;
};

// Reads every *.json file in `dir` (in file-name order). Throws StorageError when the directory
// or a file cannot be read, ValidationError naming the file for a malformed template or a
// (category, version) pair defined twice.
std::vector<FormTemplate> loadTemplates(const std::string& dir);

// The highest version for `category`, or nullptr.
const FormTemplate* latestTemplate(std::span<const FormTemplate> templates, std::string_view category);

}  // namespace jc
