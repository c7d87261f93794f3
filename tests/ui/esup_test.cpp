// 电子监察 in the window: HQ previews an approval export (bad rows listed, nothing written), fixes
// the mapping once and imports; the list shows the red and yellow cards; the red record proposes
// a 效能告诫, pre-filled, and one click issues it, linked to the record.
#include <fstream>

#include "app/esup_import.h"
#include "ui_harness.h"

using namespace jc;
using namespace jc::test;

namespace {
const char* kCsv =
    "业务名称,办件编号,办理单位,申请人,受理时间,承诺时限（工作日）,办结时间,状态\n"
    "食品经营许可证核发,SP2026-0001,甘州区市场监督管理局,张三,2026-09-28 09:30,5,,在办\n"
    "建设工程规划许可,GH2026-0002,甘州区自然资源局,李四,2026-09-21 10:00,10,2026-10-12 16:00,办结\n"
    "不动产登记,BDC2026-0004,甘州区自然资源局,吉𠮷祥,2026-10-14 11:00,5,,在办\n"
    "道路运输经营许可,YS2026-0005,甘州区交通运输局,,2026-10-19 15:20,20,,在办\n";

int64_t count(const fs::path& dir, const std::string& sql) {
    Store store((dir / "jiancha.db").string());
    return store.db().queryInt(sql);
}
}  // namespace

TEST_CASE("HQ imports approval records with a preview and issues the warning a red record proposes", "[ui][esup]") {
    TempDir dir("esup");
    seedStore(dir.path);
    auto file = dir.write("办件导出.csv", kCsv);
    ui::ShellOptions opt;
    opt.today = Date{2026, 10, 20};
    opt.syncEnabled = false;
    UiHarness h(dir.path, "总部管理员", opt);
    h.settle();
    h.click("nav.esup");
    h.settle();
    // The file from the chooser (the built-in browser here): choosing it previews it.
    h.click("esup.choose");
    h.settle();
    h.pickFiles(file.parent_path(), {"办件导出.csv"});
    CHECK(h.find("esup.file_name"));
    // 事项名称 has another header in this file: no column for it, so the preview says so.
    CHECK(count(dir.path, "SELECT count(*) FROM approval") == 0);
    CHECK_FALSE(h.find("esup.commit").has_value());

    REQUIRE(h.find("esup.preview_error").has_value());
    // A mapping saved earlier (by the CLI or a previous import) names the column; choose it.
    {
        Store store((dir.path / "jiancha.db").string());
        saveImportMapping(store, "政务大厅", {{"item_name", "业务名称"}});
    }
    h.shell().dataChanged();
    h.settle();
    h.click("##esup.mapping");
    h.click("esup.mapping.政务大厅");
    h.click("esup.preview");
    h.settle();
    REQUIRE(h.find("esup.commit").has_value());
    CHECK(count(dir.path, "SELECT count(*) FROM approval") == 0);  // the preview wrote nothing
    h.click("esup.commit");
    h.settle();
    CHECK(count(dir.path, "SELECT count(*) FROM approval WHERE deleted = 0") == 4);

    // The list: SP2026-0001 is red (due 10 October); it proposes a warning.
    REQUIRE(h.find("esup.card_red").has_value());
    h.click("esup.propose.SP2026-0001");
    h.settle();
    REQUIRE(h.find("esup.issue").has_value());
    h.click("esup.issue");
    h.settle();
    CHECK(count(dir.path,
                "SELECT count(*) FROM warning WHERE linked_entity = 'approval' AND reason LIKE '%SP2026-0001%'") == 1);
    CHECK_FALSE(h.find("esup.propose.SP2026-0001").has_value());
    CHECK(ui::i18n().missingLookups() == 0);
}
