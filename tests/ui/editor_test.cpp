// Drives the finding editor headlessly: an inspector creates a finding (typed Chinese, template
// facts, region cascade), autosave writes it within a second, Ctrl+S saves at once, evidence is
// attached from a path, and the finding is submitted — asserted on the store itself.
#include <fstream>

#include <stb_image_write.h>

#include "store/reference_data.h"
#include "ui_harness.h"

using namespace jc;
using namespace jc::test;

namespace {

struct Row {
    std::string id, title, status, narrative, region, assignee;
    Json values;
};

std::vector<Row> findings(const fs::path& dir) {
    Store store((dir / "jiancha.db").string());
    auto q = store.db().prepare(
        "SELECT id, title, status, coalesce(narrative, ''), coalesce(region_code, ''), coalesce(assignee, ''), "
        "coalesce(field_values, '{}') FROM finding WHERE deleted = 0 ORDER BY created_at");
    std::vector<Row> out;
    while (q.step())
        out.push_back({q.getText(0), q.getText(1), q.getText(2), q.getText(3), q.getText(4), q.getText(5), Json::parse(q.getText(6))});
    return out;
}

// The titles of the stored findings (polled while the client writes).
std::vector<std::string> titles(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& r : findings(dir)) out.push_back(r.title);
    return out;
}

// A new finding in the editor: wage arrears (its template's form below), `title` typed.
void newWageArrearsFinding(UiHarness& h, const std::string& title) {
    h.click("nav.new_finding");
    h.settle();
    h.click("##editor.category");
    h.click("##editor.category.wage_arrears");
    h.settle();
    h.click("editor.title");
    h.type(title);
}

std::string firstTownship(const fs::path& dir, const std::string& county) {
    Store store((dir / "jiancha.db").string());
    auto t = regionChildren(store.db(), county);
    REQUIRE_FALSE(t.empty());
    return t.front().code;
}

}  // namespace

TEST_CASE("an inspector records a finding in the editor and submits it", "[ui][editor]") {
    TempDir dir("editor");
    seedStore(dir.path);
    std::string township = firstTownship(dir.path, "620702");
    ui::ShellOptions opt;
    UiHarness h(dir.path, "张伟", opt);
    ImGui::GetIO().DisplaySize = ImVec2(1366, 2000);  // the whole form without scrolling
    h.settle();

    newWageArrearsFinding(h, "拖欠农民工工资：堃喆建筑公司欠薪四个月");
    h.click("##editor.narrative");
    h.type("经查，堃喆建筑工程有限公司承建的滨河新区安置房项目拖欠35名农民工工资。");
    h.click("form.employer");
    h.type("堃喆建筑工程有限公司");
    h.click("form.project");
    h.type("滨河新区安置房项目");

    h.click("form.workers_affected");
    h.type("35");
    h.click("form.amount_owed");
    h.type("420000");
    h.click("form.months_overdue");
    h.type("4");
    h.click("editor.misconduct.inaction");
    h.click("editor.region.level2");
    h.settle();
    h.click("editor.region.620702");
    h.settle();
    h.click("editor.region.level3");
    h.settle();
    h.click("editor.region." + township);
    // The employer is not on file yet: created from the unit picker, and selected.
    h.click("editor.subject_unit");
    h.settle();
    h.click("editor.subject_unit.new_name");
    h.type("堃喆建筑工程有限公司");
    h.click("editor.subject_unit.create");
    h.settle();
    h.key('S', true);  // Ctrl+S: save now
    h.settle();

    auto rows = findings(dir.path);
    REQUIRE(rows.size() == 1);
    {
        Store store((dir.path / "jiancha.db").string());
        auto& q = store.db().cached("SELECT u.name, u.region_code FROM finding f JOIN unit u ON u.id = f.subject_unit_id");
        REQUIRE(q.step());
        CHECK(q.getText(0) == "堃喆建筑工程有限公司");
        CHECK(q.getText(1) == township);  // the finding's township, given to the new unit
        q.reset();
    }
    CHECK(rows[0].title == "拖欠农民工工资：堃喆建筑公司欠薪四个月");
    CHECK(rows[0].status == "draft");
    CHECK(rows[0].assignee == "张伟");
    CHECK(rows[0].narrative.find("滨河新区安置房项目") != std::string::npos);
    CHECK(rows[0].region == township);
    CHECK(rows[0].values["employer"] == "堃喆建筑工程有限公司");
    CHECK(rows[0].values["workers_affected"] == 35);
    INFO("values " << rows[0].values.dump());
    CHECK(rows[0].values["amount_owed"] == 42000000);  // fen
    CHECK(rows[0].values["months_overdue"] == 4);

    // Evidence chosen in the file chooser: copied into the blob store, thumbnail decoded off the frame.
    fs::path photo = dir.path / "现场照片.png";
    {
        std::vector<unsigned char> px(64 * 48 * 3, 200);
        REQUIRE(stbi_write_png(photo.c_str(), 64, 48, 3, px.data(), 64 * 3));
    }
    h.click("evidence.new_caption");
    h.type("工地公示牌");
    h.click("evidence.choose");
    h.settle();
    h.pickFiles(dir.path, {"现场照片.png"});
    {
        Store store((dir.path / "jiancha.db").string());
        CHECK(store.db().queryInt("SELECT count(*) FROM evidence WHERE owner_id = '" + rows[0].id + "' AND caption = '工地公示牌'") == 1);
    }
    INFO("names " << h.knownNames());
    CHECK(h.find("evidence.thumb.现场照片.png").has_value());

    h.click("editor.action.submit");
    h.settle();
    rows = findings(dir.path);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].status == "submitted");
    CHECK(ui::i18n().missingLookups() == 0);
}

TEST_CASE("autosave writes what was typed within a second, without Ctrl+S", "[ui][editor][autosave]") {
    TempDir dir("autosave");
    seedStore(dir.path);
    UiHarness h(dir.path, "张伟");
    h.settle();
    h.click("nav.new_finding");
    h.settle();
    h.type("食品安全：监察局抽查");
    h.runUntil([&] { return titles(dir.path) == std::vector<std::string>{"食品安全：监察局抽查"}; }, 1.0);
    h.shell().jobs().waitIdle();
    auto rows = findings(dir.path);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].title == "食品安全：监察局抽查");

    // Keep typing: each burst reaches the store within a second of the last keystroke.
    h.type("（續）監察");
    h.runUntil([&] { return titles(dir.path) == std::vector<std::string>{"食品安全：监察局抽查（續）監察"}; }, 1.0);
    h.shell().jobs().waitIdle();
    rows = findings(dir.path);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].title == "食品安全：监察局抽查（續）監察");
}

TEST_CASE("an invalid template value is shown beside its field and kept out of the store", "[ui][editor]") {
    TempDir dir("invalid");
    seedStore(dir.path);
    UiHarness h(dir.path, "张伟");
    ImGui::GetIO().DisplaySize = ImVec2(1366, 2000);
    h.settle();
    newWageArrearsFinding(h, "欠薪案件");
    h.click("form.workers_affected");
    h.type("三十五");  // not a number
    h.key('S', true);
    h.settle();
    CHECK(h.find("form.workers_affected.issue").has_value());
    auto rows = findings(dir.path);
    REQUIRE(rows.size() == 1);
    CHECK_FALSE(rows[0].values.contains("workers_affected"));
    h.click("form.months_overdue");
    h.type("9999");  // above the template's maximum (600)
    h.key('S', true);
    h.settle();
    CHECK(h.find("form.months_overdue.issue").has_value());
    rows = findings(dir.path);
    CHECK_FALSE(rows[0].values.contains("months_overdue"));
    CHECK(rows[0].title == "欠薪案件");
}
