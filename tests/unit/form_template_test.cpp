// Category form templates: HQ-authored JSON is parsed strictly, and the values an inspector
// types are checked field by field with messages in both languages.
#include "core/form_template.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>

#include "core/error.h"
#include "core/i18n.h"
#include "core/uuid.h"
#include "support/temp_dir.h"

using namespace jc;
namespace fs = std::filesystem;

namespace {
Json sampleJson() {
    return Json::parse(R"J({
      "category": "land_acquisition", "version": 2, "title": "征地案件要素", "title_en": "Land facts",
      "fields": [
        {"key": "parcel", "label_zh": "地块", "label_en": "Parcel", "type": "text", "required": true, "max_length": 10},
        {"key": "notes", "label_zh": "备注", "type": "multiline"},
        {"key": "area_mu", "label_zh": "面积（亩）", "label_en": "Area (mu)", "type": "number", "required": true,
         "min": 0, "max": 1000},
        {"key": "households", "label_zh": "户数", "type": "number", "integer": true, "min": 0},
        {"key": "due", "label_zh": "应付补偿款", "label_en": "Compensation due", "type": "money", "min": 0,
         "max": 100000000},
        {"key": "paid_on", "label_zh": "支付日期", "type": "date"},
        {"key": "land_type", "label_zh": "土地类型", "type": "choice",
         "options": [{"code": "farmland", "zh": "耕地", "en": "Farmland"}, "其他"]},
        {"key": "issues", "label_zh": "问题", "type": "multi_choice",
         "options": [{"code": "late", "zh": "拖延支付"}, {"code": "short", "zh": "少付", "en": "Short"}]},
        {"key": "village", "label_zh": "村", "type": "region"},
        {"key": "unit", "label_zh": "征地单位", "type": "unit"},
        {"key": "official", "label_zh": "责任人", "type": "person"},
        {"key": "forced", "label_zh": "是否强制", "type": "yes_no", "required": true}
      ]})J");
}

FormTemplate sample() {
    return FormTemplate::fromJson(sampleJson());
}

Json validValues() {
    return {{"parcel", "东沟3号地"},   {"area_mu", 12.5},         {"households", 14},   {"due", 1234500},
            {"paid_on", "2026-03-01"}, {"land_type", "farmland"}, {"issues", {"late"}}, {"village", "130102001"},
            {"unit", newUuidV7()},     {"official", newUuidV7()}, {"forced", false}};
}

std::set<std::string> issueKeys(const std::vector<FieldIssue>& issues) {
    std::set<std::string> keys;
    for (const auto& i : issues) keys.insert(i.key);
    return keys;
}

// Parses the sample with one field replaced or modified, expecting a ValidationError.
std::string parseError(const std::function<void(Json&)>& edit) {
    Json j = sampleJson();
    edit(j);
    try {
        FormTemplate::fromJson(j);
    } catch (const ValidationError& e) {
        return e.what();
    }
    return "(no error)";
}

using test::TempDir;
}  // namespace

TEST_CASE("a template is parsed with its typed fields", "[form_template]") {
    FormTemplate t = sample();
    CHECK(t.category == "land_acquisition");
    CHECK(t.version == 2);
    CHECK(t.title == "征地案件要素");
    CHECK(t.titleEn == "Land facts");
    REQUIRE(t.fields.size() == 12);
    const FormField* area = t.field("area_mu");
    REQUIRE(area);
    CHECK(area->type == FormFieldType::Number);
    CHECK(area->required);
    CHECK(*area->min == 0);
    CHECK(*area->max == 1000);
    CHECK(t.field("notes")->labelEn == "备注");  // English label falls back to Chinese
    const FormField* lt = t.field("land_type");
    REQUIRE(lt->options.size() == 2);
    CHECK(lt->options[1].code == "其他");  // a plain string is its own code and labels
    CHECK(lt->options[1].en == "其他");
    CHECK(t.field("issues")->options[0].en == "拖延支付");
    CHECK(t.field("parcel")->effectiveMaxLength() == 10);
    CHECK(t.field("notes")->effectiveMaxLength() == kFormMultilineDefaultChars);
    CHECK(t.field("nope") == nullptr);
}

TEST_CASE("toJson and fromJson round trip", "[form_template]") {
    FormTemplate t = sample();
    Json j = t.toJson();
    CHECK(j["fields"][4]["min"].is_number_integer());  // money bounds stay integer fen
    CHECK(FormTemplate::fromJson(j) == t);
    CHECK(FormTemplate::fromJson(Json::parse(j.dump())) == t);
}

TEST_CASE("malformed templates are refused naming the bad field", "[form_template]") {
    CHECK_THAT(parseError([](Json& j) { j["fields"][2]["type"] = "numbr"; }),
               Catch::Contains("'area_mu'") && Catch::Contains("unknown type 'numbr'"));
    CHECK_THAT(parseError([](Json& j) { j["fields"][1]["key"] = "parcel"; }),
               Catch::Contains("duplicate key 'parcel'"));
    CHECK_THAT(parseError([](Json& j) { j["fields"][6].erase("options"); }),
               Catch::Contains("'land_type'") && Catch::Contains("options"));
    CHECK_THAT(parseError([](Json& j) { j["fields"][6]["options"] = Json::array(); }), Catch::Contains("'land_type'"));
    CHECK_THAT(parseError([](Json& j) { j["fields"][6]["options"].push_back("其他"); }),
               Catch::Contains("duplicate option code '其他'"));
    CHECK_THAT(parseError([](Json& j) { j["fields"][0]["options"] = {"a"}; }),
               Catch::Contains("'parcel'") && Catch::Contains("options"));
    CHECK_THAT(parseError([](Json& j) { j["fields"][4]["min"] = 0.5; }),
               Catch::Contains("'due'") && Catch::Contains("fen"));
    CHECK_THAT(parseError([](Json& j) { j["fields"][2]["min"] = 2000; }), Catch::Contains("'area_mu'"));
    CHECK_THAT(parseError([](Json& j) { j["fields"][2]["max_length"] = 3; }), Catch::Contains("'area_mu'"));
    CHECK_THAT(parseError([](Json& j) { j["fields"][0]["requried"] = true; }),
               Catch::Contains("'parcel'") && Catch::Contains("requried"));
    CHECK_THAT(parseError([](Json& j) { j["fields"][0]["required"] = "yes"; }), Catch::Contains("'parcel'"));
    CHECK_THAT(parseError([](Json& j) { j["fields"][0]["key"] = "Parcel Name"; }), Catch::Contains("field #1"));
    CHECK_THAT(parseError([](Json& j) { j["fields"][0].erase("label_zh"); }), Catch::Contains("label_zh"));
    CHECK_THAT(parseError([](Json& j) { j["fields"][0].erase("type"); }), Catch::Contains("type"));
    CHECK_THAT(parseError([](Json& j) { j["fields"][0]["max_length"] = 0; }), Catch::Contains("max_length"));
    CHECK_THAT(parseError([](Json& j) { j["fields"][3]["integer"] = 1; }), Catch::Contains("'households'"));
    CHECK_THAT(parseError([](Json& j) { j["version"] = 0; }), Catch::Contains("version"));
    CHECK_THAT(parseError([](Json& j) { j.erase("title"); }), Catch::Contains("title"));
    CHECK_THAT(parseError([](Json& j) { j["fields"] = "x"; }), Catch::Contains("fields"));
    CHECK_THAT(parseError([](Json& j) { j["category"] = "征地"; }), Catch::Contains("category"));
    CHECK_THAT(parseError([](Json& j) { j = Json::array(); }), Catch::Contains("object"));
}

TEST_CASE("valid values have no issues", "[form_template]") {
    CHECK(sample().validateValues(validValues()).empty());
    Json minimal = {{"parcel", "地"}, {"area_mu", 0}, {"forced", true}};
    CHECK(sample().validateValues(minimal).empty());
}

TEST_CASE("required fields must be filled in, false is an answer, blank is not", "[form_template]") {
    FormTemplate t = sample();
    auto issues = t.validateValues(Json::object());
    CHECK(issueKeys(issues) == std::set<std::string>{"parcel", "area_mu", "forced"});
    for (const auto& i : issues) {
        CHECK_FALSE(i.messageZh.empty());
        CHECK_THAT(i.messageEn, Catch::Contains("required"));
    }
    CHECK_THAT(issues[0].messageZh, Catch::Contains("地块") && Catch::Contains("必填"));

    Json v = validValues();
    v["parcel"] = "  \xE3\x80\x80";
    v["area_mu"] = nullptr;
    CHECK(issueKeys(t.validateValues(v)) == std::set<std::string>{"parcel", "area_mu"});
}

TEST_CASE("each type refuses a value of the wrong kind", "[form_template]") {
    FormTemplate t = sample();
    const std::pair<const char*, Json> wrong[] = {
        {"parcel", 5},   {"notes", Json::object()}, {"area_mu", "12"},     {"households", 2.5}, {"due", 12.34},
        {"due", "100"},  {"paid_on", "2026-02-30"}, {"paid_on", 20260301}, {"land_type", 1},    {"issues", "late"},
        {"issues", {1}}, {"village", "13a"},        {"village", "1"},      {"village", 130102}, {"unit", "not-a-uuid"},
        {"official", 7}, {"forced", "否"},
    };
    for (const auto& [key, value] : wrong) {
        Json v = validValues();
        v[key] = value;
        INFO(key << " = " << value.dump());
        auto issues = t.validateValues(v);
        REQUIRE(issues.size() == 1);
        CHECK(issues[0].key == key);
        CHECK_FALSE(issues[0].messageZh.empty());
        CHECK_FALSE(issues[0].messageEn.empty());
    }
}

TEST_CASE("numbers and money must be within range, money messages are in yuan", "[form_template]") {
    FormTemplate t = sample();
    Json v = validValues();
    v["area_mu"] = -1;
    v["due"] = 100000001;
    auto issues = t.validateValues(v);
    REQUIRE(issues.size() == 2);
    CHECK(issues[0].key == "area_mu");
    CHECK_THAT(issues[0].messageEn, Catch::Contains("at least 0"));
    CHECK(issues[1].key == "due");
    CHECK_THAT(issues[1].messageZh, Catch::Contains("1000000.00 元"));
    CHECK_THAT(issues[1].messageEn, Catch::Contains("1000000.00 yuan"));
    v = validValues();
    v["area_mu"] = 1000;  // bounds are inclusive
    v["due"] = 100000000;
    CHECK(t.validateValues(v).empty());
}

TEST_CASE("choices must be known option codes, each listed once", "[form_template]") {
    FormTemplate t = sample();
    Json v = validValues();
    v["land_type"] = "耕地";  // a label is not a code
    v["issues"] = {"late", "late", "bribery"};
    auto issues = t.validateValues(v);
    REQUIRE(issues.size() == 3);
    CHECK(issues[0].key == "land_type");
    CHECK_THAT(issues[0].messageEn, Catch::Contains("耕地"));
    CHECK(issues[1].key == "issues");
    CHECK(issues[2].key == "issues");
    CHECK_THAT(issues[2].messageEn, Catch::Contains("bribery"));
    v = validValues();
    v["land_type"] = "其他";
    v["issues"] = Json::array();
    CHECK(t.validateValues(v).empty());
}

TEST_CASE("text length is counted in characters, so Chinese text gets its full allowance", "[form_template]") {
    FormTemplate t = sample();  // parcel: max_length 10
    Json v = validValues();
    std::string ten;
    for (int i = 0; i < 10; ++i) ten += "字";
    v["parcel"] = ten;  // 30 bytes
    CHECK(t.validateValues(v).empty());
    v["parcel"] = ten + "字";
    auto issues = t.validateValues(v);
    REQUIRE(issues.size() == 1);
    CHECK_THAT(issues[0].messageZh, Catch::Contains("10"));
}

TEST_CASE("unknown keys and non-object values are reported", "[form_template]") {
    FormTemplate t = sample();
    Json v = validValues();
    v["parcle"] = "typo";
    auto issues = t.validateValues(v);
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].key == "parcle");
    CHECK_THAT(issues[0].messageEn, Catch::Contains("unknown field 'parcle'"));
    auto bad = t.validateValues(Json::array());
    REQUIRE(bad.size() == 1);
    CHECK(bad[0].key.empty());
}

TEST_CASE("text-like keys and searchable text for full-text indexing", "[form_template]") {
    FormTemplate t = sample();
    CHECK(t.textKeys() == std::vector<std::string>{"parcel", "notes"});
    Json v = validValues();
    v["notes"] = "村委会代领补偿款";
    v["issues"] = {"late", "short"};
    std::string text = t.searchText(v);
    CHECK_THAT(text, Catch::Contains("东沟3号地") && Catch::Contains("村委会代领补偿款") && Catch::Contains("耕地") &&
                         Catch::Contains("少付"));
    CHECK_THAT(text, !Catch::Contains("130102001"));
}

TEST_CASE("the shipped templates cover the six categories with their facts", "[form_template]") {
    auto ts = loadTemplates(JIANCHA_SOURCE_ASSETS "/templates");
    REQUIRE(ts.size() == 6);
    std::set<std::string> cats;
    for (const auto& t : ts) {
        INFO(t.category);
        cats.insert(t.category);
        CHECK(hasCode(categories(), t.category));
        CHECK(t.version == 1);
        CHECK(static_cast<unsigned char>(t.title[0]) >= 0x80);  // Chinese first
        CHECK_FALSE(t.titleEn.empty());
        bool anyRequired = false;
        for (const auto& f : t.fields) {
            anyRequired |= f.required;
            CHECK(static_cast<unsigned char>(f.labelZh[0]) >= 0x80);
            CHECK(f.labelEn != f.labelZh);
        }
        CHECK(anyRequired);
        CHECK(FormTemplate::fromJson(t.toJson()) == t);
    }
    CHECK(cats.size() == 6);

    auto typeOf = [&](const char* cat, const char* key) {
        const FormTemplate* t = latestTemplate(ts, cat);
        REQUIRE(t);
        const FormField* f = t->field(key);
        REQUIRE(f);
        return f->type;
    };
    CHECK(typeOf("land_acquisition", "parcel") == FormFieldType::Text);
    CHECK(typeOf("land_acquisition", "area_mu") == FormFieldType::Number);
    CHECK(typeOf("land_acquisition", "households_affected") == FormFieldType::Number);
    CHECK(typeOf("land_acquisition", "compensation_due") == FormFieldType::Money);
    CHECK(typeOf("land_acquisition", "compensation_paid") == FormFieldType::Money);
    CHECK(typeOf("demolition", "households") == FormFieldType::Number);
    CHECK(typeOf("demolition", "forced_demolition") == FormFieldType::YesNo);
    CHECK(typeOf("restructuring", "workers_affected") == FormFieldType::Number);
    CHECK(typeOf("restructuring", "wages_owed") == FormFieldType::Money);
    CHECK(typeOf("wage_arrears", "employer") == FormFieldType::Text);
    CHECK(typeOf("wage_arrears", "amount_owed") == FormFieldType::Money);
    CHECK(typeOf("wage_arrears", "months_overdue") == FormFieldType::Number);
    CHECK(typeOf("pollution", "pollutant") == FormFieldType::Text);
    CHECK(typeOf("pollution", "discharge_point") == FormFieldType::Text);
    CHECK(typeOf("pollution", "monitoring_values") == FormFieldType::Multiline);
    CHECK(typeOf("food_drug", "product") == FormFieldType::Text);
    CHECK(typeOf("food_drug", "establishment") == FormFieldType::Text);
    CHECK(typeOf("food_drug", "hazard") == FormFieldType::Multiline);

    const FormTemplate* land = latestTemplate(ts, "land_acquisition");
    Json values = {{"parcel", "东沟村3组"},     {"land_type", "farmland"},       {"area_mu", 36.5},
                   {"households_affected", 21}, {"compensation_due", 153300000}, {"compensation_paid", 90000000}};
    CHECK(land->validateValues(values).empty());
    values["households_affected"] = 21.5;
    CHECK(issueKeys(land->validateValues(values)) == std::set<std::string>{"households_affected"});
}

TEST_CASE("loading a template directory fails clearly on a bad file", "[form_template]") {
    CHECK_THROWS_AS(loadTemplates("/nonexistent/templates"), StorageError);

    TempDir dir;
    dir.write("a.json", sampleJson().dump());
    dir.write("readme.txt", "not a template");
    CHECK(loadTemplates(dir.path.string()).size() == 1);

    Json other = sampleJson();
    other["version"] = 3;
    dir.write("b.json", other.dump());
    auto ts = loadTemplates(dir.path.string());
    REQUIRE(ts.size() == 2);
    CHECK(latestTemplate(ts, "land_acquisition")->version == 3);
    CHECK(latestTemplate(ts, "pollution") == nullptr);

    dir.write("c.json", sampleJson().dump());  // v2 again
    CHECK_THROWS_WITH(loadTemplates(dir.path.string()),
                      Catch::Contains("c.json") && Catch::Contains("已由另一个文件定义"));
    i18n().setLanguage(Language::En);
    CHECK_THROWS_WITH(loadTemplates(dir.path.string()),
                      Catch::Contains("c.json") && Catch::Contains("already defined"));
    i18n().setLanguage(Language::Zh);
    fs::remove(dir.path / "c.json");

    dir.write("d.json", "{\"category\": ");
    CHECK_THROWS_WITH(loadTemplates(dir.path.string()), Catch::Contains("d.json") && Catch::Contains("JSON"));
    Json bad = sampleJson();
    bad["version"] = 4;
    bad["fields"][0]["type"] = "numbr";
    dir.write("d.json", bad.dump());
    CHECK_THROWS_WITH(loadTemplates(dir.path.string()), Catch::Contains("d.json") && Catch::Contains("numbr"));
}

TEST_CASE("field type codes round trip", "[form_template]") {
    CHECK(formFieldTypes().size() == 11);
    for (const auto& c : formFieldTypes()) {
        auto t = parseFormFieldType(c.code);
        REQUIRE(t);
        CHECK(formFieldTypeCode(*t) == c.code);
    }
    CHECK(formFieldTypeCode(FormFieldType::MultiChoice) == "multi_choice");
    CHECK(formFieldTypeCode(FormFieldType::YesNo) == "yes_no");
    CHECK_FALSE(parseFormFieldType("checkbox"));
}
