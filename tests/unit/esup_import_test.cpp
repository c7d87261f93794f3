// 电子监察 import: the same approval records from UTF-8, UTF-8 with BOM, GB18030 and XLSX (written
// by libxlsxwriter); a malformed file changes nothing; a re-import doubles nothing; deadlines in
// working days across the National Day week; red / yellow cards, the proposed warning and the
// on-time approval rate per unit; a published calendar year moves open deadlines.
#include "app/esup_import.h"

#include <iconv.h>
#include <xlsxwriter.h>

#include <catch2/catch.hpp>

#include "app/calendar_commands.h"
#include "app/esup_queries.h"
#include "app/queries.h"
#include "app/setup.h"
#include "core/error.h"
#include "support/gb18030.h"
#include "support/temp_dir.h"

using namespace jc;

namespace {
const std::vector<std::vector<std::string>> kRows = {
    {"事项名称", "办件编号", "办理单位", "申请人", "受理时间", "承诺时限（工作日）", "办结时间", "状态"},
    // National Day week: 29, 30 Sep, (1–7 Oct off), 8, 9 Oct and the make-up Saturday 10 Oct.
    {"食品经营许可证核发", "SP2026-0001", "甘州区市场监督管理局", "张三", "2026-09-28 09:30", "5", "", "在办"},
    // Mid-Autumn (25 September) and National Day: due 12 October, finished a day late.
    {"建设工程规划许可", "GH2026-0002", "甘州区自然资源局", "李四", "2026-09-21 10:00", "10", "2026-10-13 16:00",
     "办结"},
    {"个体工商户登记", "GS2026-0003", "甘州区市场监督管理局", "王五", "2026-10-09 08:30", "1", "2026-10-09 17:00",
     "办结"},
    {"不动产登记，\"加急\"", "BDC2026-0004", "甘州区自然资源局", "吉𠮷祥", "2026-10-14 11:00", "5", "", "在办"},
    {"道路运输经营许可", "YS2026-0005", "甘州区交通运输局", "", "2026-10-19 15:20", "20", "", "在办"},
    {"取水许可", "QS2026-0006", "甘州区水务局", "赵六", "2026-09-21 09:00", "20", "", "在办"},
};

std::string csvCell(const std::string& c) {
    if (c.find_first_of(",\"\n") == std::string::npos) return c;
    std::string q = "\"";
    for (char ch : c) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
}

std::string csv(const std::vector<std::vector<std::string>>& rows, const char* eol = "\r\n") {
    std::string out;
    for (const auto& r : rows) {
        for (size_t i = 0; i < r.size(); ++i) out += (i ? "," : "") + csvCell(r[i]);
        out += eol;
    }
    return out;
}

using test::toGb18030;

// The same table as an XLSX workbook; 受理时间 of the first record is a real date-time cell and
// the working days are numbers, as the approval system's Excel export has them.
std::string writeXlsx(const test::TempDir& dir) {
    std::string path = (dir.path / "approvals.xlsx").string();
    lxw_workbook* wb = workbook_new(path.c_str());
    lxw_worksheet* ws = workbook_add_worksheet(wb, "办件");
    lxw_format* dt = workbook_add_format(wb);
    format_set_num_format(dt, "yyyy-mm-dd hh:mm");
    for (size_t r = 0; r < kRows.size(); ++r)
        for (size_t c = 0; c < kRows[r].size(); ++c) {
            const std::string& v = kRows[r][c];
            auto row = static_cast<lxw_row_t>(r);
            auto col = static_cast<lxw_col_t>(c);
            if (v.empty()) continue;
            if (r > 0 && c == 5)
                worksheet_write_number(ws, row, col, std::stod(v), nullptr);
            else if (r == 1 && c == 4) {
                lxw_datetime when = {2026, 9, 28, 9, 30, 0};
                worksheet_write_datetime(ws, row, col, &when, dt);
            } else
                worksheet_write_string(ws, row, col, v.c_str(), nullptr);
        }
    workbook_add_worksheet(wb, "说明");  // a second sheet is ignored
    REQUIRE(workbook_close(wb) == LXW_NO_ERROR);
    return path;
}

struct Hq {
    test::TempDir dir;
    std::unique_ptr<Store> store;
    std::unique_ptr<AppContext> ctx;
    Hq() {
        store = std::make_unique<Store>((dir.path / "jiancha.db").string());
        initStore(*store, InitOptions{"王局", Role::HqAdmin, {}, {}});
        ctx = std::make_unique<AppContext>(
            AppContext{*store, loadActor(*store, "王局"), calendarFromStore(*store), Date{2026, 10, 20}});
    }
    ApprovalImportResult import(const std::string& path, TextEncoding enc = TextEncoding::Auto) {
        ApprovalImportOptions opt;
        opt.encoding = enc;
        opt.regionCode = "620702";
        return commitApprovalImport(*ctx, previewApprovalImport(*ctx, path, opt), false);
    }
    // Every approval by 办件编号, without ids, import bookkeeping and times of writing.
    std::map<std::string, Json> records() {
        std::map<std::string, Json> out;
        auto s = store->db().prepare("SELECT * FROM approval WHERE deleted = 0");
        while (s.step()) {
            Json r = rowToFields(entityDef("approval"), s);
            for (const char* k : {"id", "created_at", "updated_at", "unit_id", "source", "created_by"}) r.erase(k);
            out[r["case_number"].get<std::string>()] = r;
        }
        return out;
    }
    int64_t count(const std::string& table) { return store->db().queryInt("SELECT count(*) FROM " + table); }
};
}  // namespace

TEST_CASE("UTF-8, UTF-8 with BOM, GB18030 and XLSX files import to the same approval records", "[esup]") {
    test::TempDir files;
    const std::string text = csv(kRows);
    std::vector<std::pair<std::string, std::string>> inputs = {
        {"utf8", files.write("utf8.csv", text).string()},
        {"utf8-bom", files.write("bom.csv", "\xEF\xBB\xBF" + csv(kRows, "\n")).string()},
        {"gb18030", files.write("gb.csv", toGb18030(text)).string()},
        {"xlsx", writeXlsx(files)},
    };
    std::map<std::string, Json> first;
    for (const auto& [encoding, path] : inputs) {
        INFO(encoding);
        Hq hq;
        ApprovalImportOptions opt;
        opt.regionCode = "620702";
        auto preview = previewApprovalImport(*hq.ctx, path, opt);
        CHECK(preview.encoding == encoding);
        CHECK(preview.errors.empty());
        CHECK(preview.newCount == 6);
        CHECK(hq.count("approval") == 0);  // a preview writes nothing
        auto res = commitApprovalImport(*hq.ctx, preview, false);
        CHECK(res.created == 6);
        CHECK(res.unitsCreated == 4);
        auto recs = hq.records();
        REQUIRE(recs.size() == 6);
        CHECK(recs["BDC2026-0004"]["item_name"] == "不动产登记，\"加急\"");
        CHECK(recs["BDC2026-0004"]["applicant"] == "吉𠮷祥");
        CHECK(recs["SP2026-0001"]["received_at"] == "2026-09-28T01:30:00.000Z");  // 09:30 China time
        CHECK(recs["YS2026-0005"]["applicant"].is_null());
        if (first.empty())
            first = recs;
        else
            CHECK(recs == first);
    }
    // The working-day deadlines, National Day week included.
    CHECK(first["SP2026-0001"]["deadline"] == "2026-10-10");
    CHECK(first["GH2026-0002"]["deadline"] == "2026-10-12");
    CHECK(first["GS2026-0003"]["deadline"] == "2026-10-10");
    CHECK(first["BDC2026-0004"]["deadline"] == "2026-10-21");
}

TEST_CASE("lights, late finishes, the proposed warning and the on-time rate per unit", "[esup]") {
    test::TempDir files;
    Hq hq;
    hq.import(files.write("a.csv", csv(kRows)).string());
    std::map<std::string, std::string> light;
    for (const auto& r : listApprovals(*hq.ctx)) light[r.caseNumber] = r.light;
    CHECK(light["SP2026-0001"] == "red");   // due 10 Oct, open on 20 Oct
    CHECK(light["GH2026-0002"] == "late");  // due 12 Oct, finished 13 Oct
    CHECK(light["GS2026-0003"] == "done");
    CHECK(light["BDC2026-0004"] == "yellow");  // one working day left
    CHECK(light["YS2026-0005"] == "green");    // due 16 Nov
    CHECK(light["QS2026-0006"] == "yellow");   // due 26 Oct: 4 of 20 working days left (20%)
    auto counts = approvalCounts(*hq.ctx);
    CHECK(counts.red == 1);
    CHECK(counts.yellow == 2);
    CHECK(counts.redUnwarned == 1);
    ApprovalFilter red;
    red.light = "red";
    REQUIRE(listApprovals(*hq.ctx, red).size() == 1);
    std::string redId = listApprovals(*hq.ctx, red)[0].id;

    // The red record proposes a warning to its unit, pre-filled; one confirmation issues it.
    WarningInput w = proposeApprovalWarning(*hq.ctx, redId);
    CHECK(w.linkedEntity == "approval");
    CHECK(w.linkedId == redId);
    CHECK(w.reason.find("SP2026-0001") != std::string::npos);
    CHECK(w.reason.find("甘州区市场监督管理局") != std::string::npos);
    CHECK(w.reason.find("已超期 7 个工作日") != std::string::npos);  // 12–16, 19, 20 Oct
    std::string wid = issueApprovalWarning(*hq.ctx, redId);
    FieldMap wr = hq.store->require("warning", wid);
    CHECK(wr["linked_entity"] == "approval");
    CHECK(wr["target_unit_id"] == listApprovals(*hq.ctx, red)[0].unitId);
    CHECK(listApprovals(*hq.ctx, red)[0].warningId == wid);
    CHECK_THROWS_WITH(proposeApprovalWarning(*hq.ctx, redId), Catch::Contains("已有效能告诫"));
    CHECK(approvalCounts(*hq.ctx).redUnwarned == 0);
    std::string yellowId;
    for (const auto& r : listApprovals(*hq.ctx))
        if (r.light == "yellow") yellowId = r.id;
    CHECK_THROWS_WITH(proposeApprovalWarning(*hq.ctx, yellowId), Catch::Contains("未超期"));

    std::map<std::string, UnitOnTimeRate> rates;
    for (const auto& u : approvalOnTimeRates(*hq.ctx)) rates[u.unitName] = u;
    CHECK(rates["甘州区市场监督管理局"].onTime == 1);
    CHECK(rates["甘州区市场监督管理局"].openOverdue == 1);
    CHECK(rates["甘州区市场监督管理局"].rate == Approx(0.5));
    CHECK(rates["甘州区自然资源局"].late == 1);
    CHECK(rates["甘州区自然资源局"].rate == Approx(0.0));
    CHECK(rates["甘州区交通运输局"].finished == 0);
}

TEST_CASE("a re-import doubles nothing and the same 办件编号 updates its record", "[esup]") {
    test::TempDir files;
    Hq hq;
    std::string path = files.write("a.csv", csv(kRows)).string();
    hq.import(path);
    const int64_t outbox = hq.count("outbox"), units = hq.count("unit");
    auto again = hq.import(path);
    CHECK(again.created == 0);
    CHECK(again.updated == 0);
    CHECK(again.unchanged == 6);
    CHECK(hq.count("approval") == 6);
    CHECK(hq.count("unit") == units);
    CHECK(hq.count("outbox") == outbox);  // nothing to sync either

    auto changed = kRows;
    changed[1][6] = "2026-10-09 16:00";  // SP2026-0001 finished after all
    changed[1][7] = "办结";
    auto res = hq.import(files.write("b.csv", csv(changed)).string());
    CHECK(res.created == 0);
    CHECK(res.updated == 1);
    CHECK(hq.count("approval") == 6);
    CHECK(hq.records()["SP2026-0001"]["finished_at"] == "2026-10-09T08:00:00.000Z");
}

TEST_CASE("a malformed file or a file with bad rows changes nothing", "[esup]") {
    test::TempDir files;
    Hq hq;
    hq.import(files.write("a.csv", csv(kRows)).string());
    auto before = hq.records();
    const int64_t outbox = hq.count("outbox");
    auto unchanged = [&] {
        CHECK(hq.records() == before);
        CHECK(hq.count("outbox") == outbox);
    };

    auto bad = kRows;
    bad[1][1] = "SP2026-0001-X";
    bad[2][4] = "九月二十一日";                                                     // not a date
    bad[3][5] = "三天";                                                             // not a number of working days
    bad.push_back({"事项", "GS2026-0003", "单位", "", "2026-10-09", "1", "", ""});  // duplicate 办件编号
    ApprovalImportOptions opt;
    auto p = previewApprovalImport(*hq.ctx, files.write("bad.csv", csv(bad)).string(), opt);
    REQUIRE(p.errors.size() == 3);
    CHECK(p.errors[0].line == 3);
    CHECK(p.errors[0].reason.find("受理时间") != std::string::npos);
    CHECK(p.errors[1].line == 4);
    CHECK(p.errors[1].reason.find("承诺时限") != std::string::npos);
    CHECK(p.errors[2].line == 8);
    CHECK(p.errors[2].reason.find("重复") != std::string::npos);
    CHECK_THROWS_WITH(commitApprovalImport(*hq.ctx, p, false), Catch::Contains("没有导入任何数据"));
    unchanged();

    // A missing column, a broken quote, bytes that are not UTF-8 when UTF-8 is chosen, a damaged XLSX.
    auto noColumn = kRows;
    for (auto& r : noColumn) r.erase(r.begin() + 1);
    CHECK_THROWS_WITH(previewApprovalImport(*hq.ctx, files.write("nocol.csv", csv(noColumn)).string(), opt),
                      Catch::Contains("办件编号"));
    CHECK_THROWS_WITH(
        previewApprovalImport(*hq.ctx, files.write("quote.csv", csv(kRows) + "\"未闭合,x\n").string(), opt),
        Catch::Contains("第 8 行"));
    ApprovalImportOptions utf8;
    utf8.encoding = TextEncoding::Utf8;
    CHECK_THROWS_WITH(previewApprovalImport(*hq.ctx, files.write("gb.csv", toGb18030(csv(kRows))).string(), utf8),
                      Catch::Contains("不是有效的 UTF-8"));
    std::string xlsx = writeXlsx(files);
    std::ifstream in(xlsx, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    CHECK_THROWS_AS(
        previewApprovalImport(*hq.ctx, files.write("cut.xlsx", bytes.substr(0, bytes.size() / 2)).string(), opt),
        ValidationError);
    unchanged();
}

TEST_CASE("a saved column mapping serves the next file with other headers", "[esup]") {
    test::TempDir files;
    Hq hq;
    auto renamed = kRows;
    renamed[0] = {"业务名称", "受理号", "承办部门", "申请人名称", "收件时间", "法定时限", "完成时间", "办理状态"};
    std::string path = files.write("other.csv", csv(renamed)).string();
    ApprovalImportOptions opt;
    CHECK_THROWS_WITH(previewApprovalImport(*hq.ctx, path, opt), Catch::Contains("事项名称"));
    opt.mapping = {{"item_name", "业务名称"},   {"case_number", "受理号"},   {"unit_name", "承办部门"},
                   {"applicant", "申请人名称"}, {"received_at", "收件时间"}, {"promised_workdays", "法定时限"},
                   {"finished_at", "完成时间"}, {"status", "办理状态"}};
    auto res = commitApprovalImport(*hq.ctx, previewApprovalImport(*hq.ctx, path, opt), false, "政务大厅导出");
    CHECK(res.created == 6);
    CHECK(importMappingNames(*hq.store) == std::vector<std::string>{"政务大厅导出"});
    ApprovalImportOptions byName;
    byName.mappingName = "政务大厅导出";
    auto p = previewApprovalImport(*hq.ctx, path, byName);
    CHECK(p.errors.empty());
    CHECK(p.unchangedCount == 6);
}

TEST_CASE("publishing 2027 moves the deadlines that counted 2027 by rule", "[esup][calendar]") {
    test::TempDir files;
    Hq hq;
    hq.ctx->todayOverride = Date{2026, 12, 21};
    hq.import(files
                  .write("dec.csv", csv({kRows[0],
                                         {"药品经营许可", "YP2026-0100", "甘州区市场监督管理局", "", "2026-12-20 10:00",
                                          "15", "", "在办"}}))
                  .string());
    auto rows = listApprovals(*hq.ctx);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].deadline == "2027-01-11");
    CHECK(rows[0].byRule == "2027 按规则推算");
    Json arrangement = {{"year", 2027},
                        {"holidays", {{"2027-01-01", "元旦"}, {"2027-01-02", "元旦"}, {"2027-01-03", "元旦"}}},
                        {"makeup_workdays", {{"2027-01-09", "元旦"}}}};
    auto res = publishCalendarYear(*hq.ctx, arrangement);
    CHECK(res.approvalsMoved == 1);
    rows = listApprovals(*hq.ctx);
    CHECK(rows[0].deadline == "2027-01-09");
    CHECK(rows[0].byRule.empty());
    auto years = calendarYears(*hq.store, *hq.ctx->calendar, 2026, 2028);
    CHECK(years[0].source == "official");
    CHECK(years[1].source == "official");
    CHECK(years[1].published);
    CHECK(years[2].source == "by_rule");
    // A make-up day on a weekday is refused, and nothing is written.
    Json bad = arrangement;
    bad["makeup_workdays"] = {{"2027-01-08", "x"}};
    CHECK_THROWS_WITH(publishCalendarYear(*hq.ctx, bad), Catch::Contains("2027-01-08"));
    CHECK(hq.count("calendar_year") == 1);
}
