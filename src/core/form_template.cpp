#include "core/form_template.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "core/dates.h"
#include "core/error.h"
#include "core/i18n.h"
#include "core/utf8.h"
#include "core/uuid.h"

namespace jc {

std::string formatYuan(int64_t fen) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s%lld.%02lld", fen < 0 ? "-" : "", static_cast<long long>(std::llabs(fen) / 100),
                  static_cast<long long>(std::llabs(fen) % 100));
    return buf;
}

namespace {
using T = FormFieldType;

// Same order as the enum.
const CodeLabel kTypes[] = {
    {"text", "单行文本", "Text"},
    {"multiline", "多行文本", "Multi-line text"},
    {"number", "数值", "Number"},
    {"money", "金额", "Money"},
    {"date", "日期", "Date"},
    {"choice", "单选", "Choice"},
    {"multi_choice", "多选", "Multiple choice"},
    {"region", "行政区划", "Region"},
    {"unit", "单位", "Unit"},
    {"person", "人员", "Person"},
    {"yes_no", "是/否", "Yes / no"},
};

constexpr size_t kMaxFields = 200;
constexpr size_t kMaxOptions = 500;
constexpr size_t kMaxKeyBytes = 64;
constexpr size_t kMaxLabelBytes = 300;

// [SECTION] Small helpers

bool isChoice(T t) {
    return t == T::Choice || t == T::MultiChoice;
}
bool isNumeric(T t) {
    return t == T::Number || t == T::Money;
}

bool validIdent(const std::string& s, bool letterFirst) {
    if (s.empty() || s.size() > kMaxKeyBytes) return false;
    if (letterFirst && !(s[0] >= 'a' && s[0] <= 'z')) return false;
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

bool isRegionCode(const std::string& s) {
    return s.size() >= 2 && s.size() <= 12 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A bound as users read it: money in yuan with two decimals, numbers without a trailing ".0".
std::string formatBound(const FormField& f, double v) {
    if (f.type == T::Money) return formatYuan(std::llround(v));
    char buf[64];
    if (v == std::floor(v) && std::fabs(v) < 1e15) {
        std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
    } else {
        std::snprintf(buf, sizeof buf, "%g", v);
    }
    return buf;
}

// [SECTION] Parsing

class Parser {
public:
    explicit Parser(const Json& root) : m_root(root) {}

    FormTemplate run() {
        if (!m_root.is_object()) fail("expected a JSON object");
        checkMembers(m_root, {"category", "version", "title", "title_en", "fields"}, "");
        FormTemplate t;
        t.category = requireString(m_root, "category", "");
        if (!validIdent(t.category, false)) fail("\"category\" must be a code of a-z, 0-9 and _");
        m_where = "form template '" + t.category + "'";
        auto v = m_root.find("version");
        if (v == m_root.end() || !v->is_number_integer() || v->get<int64_t>() < 1 || v->get<int64_t>() > 1'000'000)
            fail("\"version\" must be a whole number >= 1");
        t.version = v->get<int>();
        m_where += " v" + std::to_string(t.version);
        t.title = requireString(m_root, "title", "");
        t.titleEn = optionalString(m_root, "title_en", "");
        auto fs = m_root.find("fields");
        if (fs == m_root.end() || !fs->is_array()) fail("\"fields\" must be an array");
        if (fs->size() > kMaxFields) fail("more than " + std::to_string(kMaxFields) + " fields");
        std::set<std::string> keys;
        for (size_t i = 0; i < fs->size(); ++i) {
            FormField f = parseField((*fs)[i], i);
            if (!keys.insert(f.key).second) fail("field #" + std::to_string(i + 1) + ": duplicate key '" + f.key + "'");
            t.fields.push_back(std::move(f));
        }
        return t;
    }

private:
    [[noreturn]] void fail(const std::string& what) const { throw ValidationError(m_where + ": " + what); }

    void checkMembers(const Json& obj, std::initializer_list<const char*> allowed, const std::string& ctx) const {
        for (auto it = obj.begin(); it != obj.end(); ++it) {
            bool ok = std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return it.key() == a; });
            if (!ok) fail(ctx + "unknown attribute \"" + it.key() + "\"");
        }
    }

    std::string requireString(const Json& obj, const char* name, const std::string& ctx) const {
        auto it = obj.find(name);
        if (it == obj.end() || !it->is_string() || isBlank(it->get<std::string>()))
            fail(ctx + "\"" + name + "\" must be a non-empty string");
        if (it->get_ref<const std::string&>().size() > kMaxLabelBytes)
            fail(ctx + "\"" + name + "\" is longer than " + std::to_string(kMaxLabelBytes) + " bytes");
        return it->get<std::string>();
    }

    std::string optionalString(const Json& obj, const char* name, const std::string& ctx) const {
        auto it = obj.find(name);
        if (it == obj.end() || it->is_null()) return {};
        return requireString(obj, name, ctx);
    }

    FormField parseField(const Json& j, size_t index) const {
        std::string ctx = "field #" + std::to_string(index + 1) + ": ";
        if (!j.is_object()) fail(ctx + "must be an object");
        auto k = j.find("key");
        if (k == j.end() || !k->is_string() || !validIdent(k->get<std::string>(), true))
            fail(ctx + "\"key\" must be a code starting with a-z, then a-z, 0-9 or _ (at most 64)");
        FormField f;
        f.key = k->get<std::string>();
        ctx = "field #" + std::to_string(index + 1) + " '" + f.key + "': ";
        checkMembers(j,
                     {"key", "label_zh", "label_en", "type", "required", "options", "min", "max", "integer",
                      "max_length", "hint_zh", "hint_en"},
                     ctx);
        f.labelZh = requireString(j, "label_zh", ctx);
        f.labelEn = optionalString(j, "label_en", ctx);
        if (f.labelEn.empty()) f.labelEn = f.labelZh;
        f.hintZh = optionalString(j, "hint_zh", ctx);
        f.hintEn = optionalString(j, "hint_en", ctx);

        auto ty = j.find("type");
        if (ty == j.end() || !ty->is_string()) fail(ctx + "\"type\" is missing");
        auto type = parseFormFieldType(ty->get<std::string>());
        if (!type) {
            std::string known;
            for (const auto& c : kTypes) known += (known.empty() ? "" : ", ") + std::string(c.code);
            fail(ctx + "unknown type '" + ty->get<std::string>() + "' (known: " + known + ")");
        }
        f.type = *type;

        if (auto r = j.find("required"); r != j.end()) {
            if (!r->is_boolean()) fail(ctx + "\"required\" must be true or false");
            f.required = r->get<bool>();
        }
        parseOptions(j, f, ctx);
        parseBounds(j, f, ctx);
        if (auto ml = j.find("max_length"); ml != j.end()) {
            if (!f.isTextLike()) fail(ctx + "\"max_length\" applies only to text and multiline fields");
            if (!ml->is_number_integer() || ml->get<int64_t>() < 1 || ml->get<int64_t>() > kLongTextLimit)
                fail(ctx + "\"max_length\" must be a whole number from 1 to " + std::to_string(kLongTextLimit));
            f.maxLength = ml->get<int>();
        }
        return f;
    }

    void parseOptions(const Json& j, FormField& f, const std::string& ctx) const {
        auto o = j.find("options");
        if (!isChoice(f.type)) {
            if (o != j.end()) fail(ctx + "\"options\" apply only to choice and multi_choice fields");
            return;
        }
        if (o == j.end() || !o->is_array() || o->empty())
            fail(ctx + "a " + std::string(formFieldTypeCode(f.type)) + " field needs a non-empty \"options\" list");
        if (o->size() > kMaxOptions) fail(ctx + "more than " + std::to_string(kMaxOptions) + " options");
        std::set<std::string> codes;
        for (size_t i = 0; i < o->size(); ++i) {
            const Json& e = (*o)[i];
            std::string octx = ctx + "option #" + std::to_string(i + 1) + ": ";
            FormOption opt;
            if (e.is_string()) {
                if (isBlank(e.get<std::string>()) || e.get_ref<const std::string&>().size() > kMaxLabelBytes)
                    fail(octx + "must be a non-empty string of at most " + std::to_string(kMaxLabelBytes) + " bytes");
                opt.code = opt.zh = opt.en = e.get<std::string>();
            } else if (e.is_object()) {
                checkMembers(e, {"code", "zh", "en"}, octx);
                opt.code = requireString(e, "code", octx);
                opt.zh = optionalString(e, "zh", octx);
                opt.en = optionalString(e, "en", octx);
                if (opt.zh.empty()) opt.zh = opt.code;
                if (opt.en.empty()) opt.en = opt.zh;
            } else {
                fail(octx + "must be a string or an object {code, zh, en}");
            }
            if (!codes.insert(opt.code).second) fail(ctx + "duplicate option code '" + opt.code + "'");
            f.options.push_back(std::move(opt));
        }
    }

    void parseBounds(const Json& j, FormField& f, const std::string& ctx) const {
        for (const char* name : {"min", "max"}) {
            auto b = j.find(name);
            if (b == j.end() || b->is_null()) continue;
            if (!isNumeric(f.type)) fail(ctx + "\"" + name + "\" applies only to number and money fields");
            if (!b->is_number()) fail(ctx + "\"" + name + "\" must be a number");
            if (f.type == T::Money && !b->is_number_integer())
                fail(ctx + "\"" + name + "\" of a money field must be whole fen (分)");
            (std::string_view(name) == "min" ? f.min : f.max) = b->get<double>();
        }
        if (f.min && f.max && *f.min > *f.max) fail(ctx + "\"min\" is greater than \"max\"");
        if (auto in = j.find("integer"); in != j.end()) {
            if (f.type != T::Number) fail(ctx + "\"integer\" applies only to number fields");
            if (!in->is_boolean()) fail(ctx + "\"integer\" must be true or false");
            f.integer = in->get<bool>();
        }
    }

    const Json& m_root;
    std::string m_where = "form template";
};

// [SECTION] Value checks

bool isEmptyValue(const Json& v) {
    if (v.is_null()) return true;
    if (v.is_string()) return isBlank(v.get<std::string>());
    if (v.is_array()) return v.empty();
    return false;
}

struct IssueSink {
    const FormField& f;
    std::vector<FieldIssue>& out;
    void add(const std::string& zh, const std::string& en) {
        out.push_back({f.key, "「" + f.labelZh + "」" + zh, f.labelEn + " " + en});
    }
};

void checkValue(const FormField& f, const Json& v, IssueSink& s) {
    switch (f.type) {
        case T::Text:
        case T::Multiline: {
            if (!v.is_string()) return s.add("应为文本", "must be text");
            int limit = f.effectiveMaxLength();
            if (utf8Chars(v.get<std::string>()) > static_cast<size_t>(limit))
                s.add("不能超过 " + std::to_string(limit) + " 个字",
                      "must be at most " + std::to_string(limit) + " characters");
            return;
        }
        case T::Number:
        case T::Money: {
            if (f.type == T::Money && !v.is_number_integer()) {
                if (v.is_number()) return s.add("金额应精确到分（整数分）", "must be a whole number of fen");
                return s.add("应为金额", "must be an amount of money");
            }
            if (!v.is_number()) return s.add("应为数字", "must be a number");
            double d = v.get<double>();
            if (f.integer && d != std::floor(d)) return s.add("应为整数", "must be a whole number");
            std::string unit = f.type == T::Money ? " 元" : "";
            std::string unitEn = f.type == T::Money ? " yuan" : "";
            if (f.min && d < *f.min)
                s.add("不能小于 " + formatBound(f, *f.min) + unit,
                      "must be at least " + formatBound(f, *f.min) + unitEn);
            if (f.max && d > *f.max)
                s.add("不能大于 " + formatBound(f, *f.max) + unit,
                      "must be at most " + formatBound(f, *f.max) + unitEn);
            return;
        }
        case T::Date:
            if (!v.is_string() || !Date::tryParse(v.get<std::string>()))
                s.add("应为日期（YYYY-MM-DD）", "must be a date (YYYY-MM-DD)");
            return;
        case T::Choice:
            if (!v.is_string()) return s.add("应为一个选项", "must be one option code");
            if (!f.option(v.get<std::string>()))
                s.add("没有选项“" + v.get<std::string>() + "”", "has no option '" + v.get<std::string>() + "'");
            return;
        case T::MultiChoice: {
            if (!v.is_array()) return s.add("应为选项列表", "must be a list of option codes");
            std::set<std::string> seen;
            for (const auto& e : v) {
                if (!e.is_string()) return s.add("应为选项列表", "must be a list of option codes");
                const std::string& c = e.get_ref<const std::string&>();
                if (!f.option(c))
                    s.add("没有选项“" + c + "”", "has no option '" + c + "'");
                else if (!seen.insert(c).second)
                    s.add("选项“" + c + "”重复", "lists option '" + c + "' twice");
            }
            return;
        }
        case T::Region:
            if (!v.is_string() || !isRegionCode(v.get<std::string>()))
                s.add("应为行政区划代码（2–12 位数字）", "must be a GB/T 2260 region code (2-12 digits)");
            return;
        case T::Unit:
        case T::Person:
            if (!v.is_string() || !isUuid(v.get<std::string>()))
                s.add(f.type == T::Unit ? "应为单位记录" : "应为人员记录",
                      f.type == T::Unit ? "must be the id of a unit" : "must be the id of a person");
            return;
        case T::YesNo:
            if (!v.is_boolean()) s.add("应为“是”或“否”", "must be yes or no");
            return;
    }
}
}  // namespace

// [SECTION] Public API

std::span<const CodeLabel> formFieldTypes() {
    return kTypes;
}

std::string_view formFieldTypeCode(FormFieldType t) {
    return kTypes[static_cast<size_t>(t)].code;
}

std::optional<FormFieldType> parseFormFieldType(std::string_view code) {
    for (size_t i = 0; i < std::size(kTypes); ++i)
        if (code == kTypes[i].code) return static_cast<FormFieldType>(i);
    return std::nullopt;
}

int FormField::effectiveMaxLength() const {
    if (maxLength > 0) return maxLength;
    return type == T::Multiline ? kFormMultilineDefaultChars : kFormTextDefaultChars;
}

const FormOption* FormField::option(std::string_view code) const {
    for (const auto& o : options)
        if (o.code == code) return &o;
    return nullptr;
}

FormTemplate FormTemplate::fromJson(const Json& j) {
    return Parser(j).run();
}

Json FormTemplate::toJson() const {
    Json fs = Json::array();
    for (const auto& f : fields) {
        Json o = {{"key", f.key},
                  {"label_zh", f.labelZh},
                  {"label_en", f.labelEn},
                  {"type", formFieldTypeCode(f.type)},
                  {"required", f.required}};
        if (!f.options.empty()) {
            Json opts = Json::array();
            for (const auto& op : f.options) opts.push_back({{"code", op.code}, {"zh", op.zh}, {"en", op.en}});
            o["options"] = std::move(opts);
        }
        for (auto [name, bound] : {std::pair{"min", f.min}, std::pair{"max", f.max}}) {
            if (!bound) continue;
            if (f.type == T::Money)
                o[name] = static_cast<int64_t>(std::llround(*bound));
            else
                o[name] = *bound;
        }
        if (f.integer) o["integer"] = true;
        if (f.maxLength > 0) o["max_length"] = f.maxLength;
        if (!f.hintZh.empty()) o["hint_zh"] = f.hintZh;
        if (!f.hintEn.empty()) o["hint_en"] = f.hintEn;
        fs.push_back(std::move(o));
    }
    Json j = {{"category", category}, {"version", version}, {"title", title}};
    if (!titleEn.empty()) j["title_en"] = titleEn;
    j["fields"] = std::move(fs);
    return j;
}

const FormField* FormTemplate::field(std::string_view key) const {
    for (const auto& f : fields)
        if (f.key == key) return &f;
    return nullptr;
}

std::vector<FieldIssue> FormTemplate::validateValues(const Json& values) const {
    std::vector<FieldIssue> out;
    if (!values.is_null() && !values.is_object()) {
        out.push_back({"", "表单值必须是一个对象", "form values must be a JSON object"});
        return out;
    }
    static const Json kEmpty = Json::object();
    const Json& vals = values.is_null() ? kEmpty : values;
    for (const auto& f : fields) {
        IssueSink sink{f, out};
        auto it = vals.find(f.key);
        if (it == vals.end() || isEmptyValue(*it)) {
            if (f.required) sink.add("为必填项", "is required");
            continue;
        }
        checkValue(f, *it, sink);
    }
    for (auto it = vals.begin(); it != vals.end(); ++it) {
        if (field(it.key())) continue;
        out.push_back(
            {it.key(), "模板“" + title + "”中没有字段“" + it.key() + "”",
             "unknown field '" + it.key() + "' (not in template " + category + " v" + std::to_string(version) + ")"});
    }
    return out;
}

std::vector<std::string> FormTemplate::textKeys() const {
    std::vector<std::string> keys;
    for (const auto& f : fields)
        if (f.isTextLike()) keys.push_back(f.key);
    return keys;
}

std::string FormTemplate::searchText(const Json& values) const {
    if (!values.is_object()) return {};
    std::string out;
    auto append = [&](const std::string& s) {
        if (s.empty()) return;
        if (!out.empty()) out += '\n';
        out += s;
    };
    for (const auto& f : fields) {
        auto it = values.find(f.key);
        if (it == values.end()) continue;
        if (f.isTextLike() && it->is_string()) {
            append(it->get<std::string>());
        } else if (f.type == T::Choice && it->is_string()) {
            if (const auto* o = f.option(it->get<std::string>())) append(o->zh);
        } else if (f.type == T::MultiChoice && it->is_array()) {
            for (const auto& e : *it)
                if (const auto* o = e.is_string() ? f.option(e.get<std::string>()) : nullptr) append(o->zh);
        }
    }
    return out;
}

std::vector<FormTemplate> loadTemplates(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".json" && it->is_regular_file()) files.push_back(it->path());
    if (ec) throw StorageError(trf("template.err_dir", {dir, ec.message()}));
    std::sort(files.begin(), files.end());

    std::vector<FormTemplate> out;
    for (const auto& p : files) {
        std::ifstream in(p, std::ios::binary);
        if (!in) throw StorageError(trf("template.err_file_unreadable", {p.string()}));
        Json j = Json::parse(in, nullptr, false);
        if (j.is_discarded()) throw ValidationError(trf("template.err_file_json", {p.string()}));
        try {
            out.push_back(FormTemplate::fromJson(j));
        } catch (const ValidationError& e) {
            throw ValidationError(trf("template.err_file_bad", {p.string(), e.what()}));
        }
        for (size_t i = 0; i + 1 < out.size(); ++i)
            if (out[i].category == out.back().category && out[i].version == out.back().version)
                throw ValidationError(trf("template.err_file_dup",
                                          {p.string(), out.back().category, std::to_string(out.back().version)}));
    }
    return out;
}

const FormTemplate* latestTemplate(std::span<const FormTemplate> templates, std::string_view category) {
    const FormTemplate* best = nullptr;
    for (const auto& t : templates)
        if (t.category == category && (!best || t.version > best->version)) best = &t;
    return best;
}

}  // namespace jc
