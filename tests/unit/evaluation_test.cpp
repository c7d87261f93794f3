// Efficiency evaluation (core/evaluation.h, app/evaluation.h) on a real store: a hand-computed
// example of three units and four indicators gives exactly the expected raw values, scores,
// totals, ranks and grades; a scheme whose weights do not sum to 100 is refused with a message
// that names them and writes nothing; publishing makes version 1, re-running the draft and
// publishing again makes version 2 and keeps version 1; published results are read-only.
#include <catch2/catch.hpp>

#include <set>

#include "core/i18n.h"
#include "app/context.h"
#include "app/evaluation.h"
#include "app/org_commands.h"
#include "app/setup.h"
#include "core/error.h"
#include "store/writer.h"
#include "support/hq_admin_store.h"

using namespace jc;

namespace {

struct HqStore : test::HqAdminStore {
    std::string a, b, c;

    HqStore() : HqAdminStore("eval", Date{2026, 12, 2}) {
        a = createUnit(ctx, "甘州区人力资源和社会保障局", "department", "620702");
        b = createUnit(ctx, "甘州区住房和城乡建设局", "department", "620702");
        c = createUnit(ctx, "党寨镇人民政府", "township_gov", "620702101");
    }

    void complaint(const std::string& unit, const std::string& receivedAt, bool replied) {
        FieldMap f = {{"campaign_id", campaign},       {"title", "投诉"},         {"channel", "hotline"},
                      {"received_at", receivedAt},     {"first_contact_handler", "王局"}, {"content", "反映办事拖延"},
                      {"respondent_unit_id", unit},    {"status", replied ? "replied" : "investigating"}};
        if (replied) f["reply"] = "已答复", f["reply_at"] = "2026-11-20T02:00:00.000Z";
        insert("complaint", f);
    }
    void overdueRectification(const std::string& unit) {
        std::string fid = insert("finding", {{"campaign_id", campaign}, {"category", "wage_arrears"},
                                             {"title", "拖欠工资"}, {"status", "rectification_ordered"}});
        insert("rectification", {{"finding_id", fid}, {"required_action", "限期支付"}, {"deadline", "2026-11-10"},
                                   {"status", "ordered"}, {"responsible_unit_id", unit}});
    }
    void warning(const std::string& unit) {
        insert("warning", {{"target_unit_id", unit}, {"reason", "办事拖延"}, {"level", "warning"},
                                                       {"issued_by", "王局"}, {"issued_at", "2026-11-03T01:00:00.000Z"}});
    }
};

// Three units, four indicators (see the table in the test below).
Json scheme() {
    return Json::parse(R"({
      "indicators": [
        {"source": "complaint_response_rate", "weight": 40, "rule": {"kind": "linear", "floor": 50, "target": 100}},
        {"source": "rectifications_overdue", "weight": 20, "rule": {"kind": "rank"}},
        {"source": "warnings_received", "weight": 10, "rule": {"kind": "linear", "floor": 3, "target": 0}},
        {"source": "manual", "code": "public_review", "label": "群众评议", "weight": 30,
         "rule": {"kind": "linear", "floor": 0, "target": 100}}
      ],
      "grades": {"excellent": 70, "good": 60, "fair": 40}
    })");
}

}  // namespace

TEST_CASE("a hand-computed evaluation of three units and four indicators", "[evaluation]") {
    HqStore h;
    // Unit A: 4 complaints, 3 replied (75% → (75−50)/50 = 50 points); no overdue rectification
    // (best rank: 100); 1 warning ((1−3)/(0−3) = 66.67); 群众评议 80.
    // → 0.4·50 + 0.2·100 + 0.1·66.667 + 0.3·80 = 70.67  → rank 1, 优秀 (≥ 70)
    for (int i = 0; i < 4; ++i) h.complaint(h.a, "2026-10-1" + std::to_string(i) + "T02:00:00.000Z", i < 3);
    h.warning(h.a);
    // Unit B: 5 of 5 replied (100); 2 overdue (worst rank: 0); no warning (100); 群众评议 60.
    // → 40 + 0 + 10 + 18 = 68.00  → rank 2, 良好 (≥ 60)
    for (int i = 0; i < 5; ++i) h.complaint(h.b, "2026-11-0" + std::to_string(i + 1) + "T02:00:00.000Z", true);
    h.overdueRectification(h.b);
    h.overdueRectification(h.b);
    // Unit C: 1 of 2 replied (50% → 0); 1 overdue (middle rank: 50); 3 warnings (0); 群众评议 90.
    // → 0 + 10 + 0 + 27 = 37.00  → rank 3, 较差 (< 40)
    h.complaint(h.c, "2026-12-01T01:00:00.000Z", true);
    h.complaint(h.c, "2026-10-01T00:00:00.000Z", false);  // 08:00 on 1 October in China: inside Q4
    h.overdueRectification(h.c);
    for (int i = 0; i < 3; ++i) h.warning(h.c);
    // Outside the period or the campaign: never counted.
    h.complaint(h.a, "2026-09-30T15:59:00.000Z", false);  // 23:59 on 30 September in China
    h.insert("complaint", {{"title", "别的专项"}, {"channel", "web"},
                                                       {"received_at", "2026-11-05T02:00:00.000Z"},
                                                       {"first_contact_handler", "王局"}, {"content", "…"},
                                                       {"respondent_unit_id", h.a}, {"status", "received"}});

    std::string id = addEvaluation(h.ctx, h.campaign, "2026-Q4", "", scheme());
    setManualScore(h.ctx, id, "public_review", h.a, 80, "群众评议会 11月");
    setManualScore(h.ctx, id, "public_review", "甘州区住房和城乡建设局", 60, "");
    setManualScore(h.ctx, id, "public_review", h.c, 90, "");
    runEvaluation(h.ctx, id);
    EvaluationDetail d = loadEvaluation(h.store.db(), id);
    REQUIRE(d.results.size() == 3);

    const UnitResult& first = d.results[0];
    CHECK(first.unitId == h.a);
    CHECK(first.rank == 1);
    CHECK(first.total == Approx(70.67).margin(1e-9));
    CHECK(first.grade == "excellent");
    CHECK(*first.items[0].raw == Approx(75.0));
    CHECK(first.items[0].detail == "3/4 已回复");
    CHECK(first.items[0].cases.size() == 4);
    CHECK(first.items[0].score == Approx(50.0));
    CHECK(first.items[0].weighted == Approx(20.0));
    CHECK(*first.items[1].raw == 0);
    CHECK(first.items[1].score == Approx(100.0));
    CHECK(*first.items[2].raw == 1);
    CHECK(first.items[2].score == Approx(200.0 / 3));
    CHECK(first.items[3].score == Approx(80.0));
    CHECK(first.items[3].detail == "群众评议会 11月");

    const UnitResult& second = d.results[1];
    CHECK(second.unitId == h.b);
    CHECK(second.rank == 2);
    CHECK(second.total == Approx(68.0).margin(1e-9));
    CHECK(second.grade == "good");
    CHECK(*second.items[1].raw == 2);
    CHECK(second.items[1].score == Approx(0.0));
    CHECK(second.items[1].cases.size() == 2);

    const UnitResult& third = d.results[2];
    CHECK(third.unitId == h.c);
    CHECK(third.rank == 3);
    CHECK(third.total == Approx(37.0).margin(1e-9));
    CHECK(third.grade == "poor");
    CHECK(*third.items[0].raw == Approx(50.0));
    CHECK(third.items[0].score == Approx(0.0));
    CHECK(third.items[1].score == Approx(50.0));
    CHECK(third.items[2].score == Approx(0.0));

    // The rules are shown with the indicators.
    CHECK(describeRule(d.scheme.indicators[0].rule, true) == "线性 50→100");
    CHECK(describeRule(d.scheme.indicators[1].rule, true) == "排名（低者优）");
    CHECK(evaluationToJson(d)["indicators"][2]["rule_text"] == "线性 3→0");
}

TEST_CASE("weights that do not sum to 100 are refused with a clear message and nothing is written", "[evaluation]") {
    HqStore h;
    Json bad = scheme();
    bad["indicators"][0]["weight"] = 35;
    int64_t before = h.store.db().queryInt("SELECT count(*) FROM outbox");
    try {
        addEvaluation(h.ctx, h.campaign, "2026-Q4", "", bad);
        FAIL("a scheme summing to 95 was accepted");
    } catch (const ValidationError& e) {
        std::string m = e.what();
        CHECK(m.find("权重之和应为 100") != std::string::npos);
        CHECK(m.find("现在是 95") != std::string::npos);
        CHECK(m.find("投诉回复率 35") != std::string::npos);
        CHECK(m.find("群众评议 30") != std::string::npos);
    }
    // The same refusal for a user who asked for English.
    i18n().setLanguage(Language::En);
    CHECK_THROWS_WITH(addEvaluation(h.ctx, h.campaign, "2026-Q4", "", bad),
                      Catch::Contains("indicator weights must sum to 100; these sum to 95"));
    i18n().setLanguage(Language::Zh);
    CHECK(h.store.db().queryInt("SELECT count(*) FROM evaluation") == 0);
    CHECK(h.store.db().queryInt("SELECT count(*) FROM outbox") == before);

    // Editing a draft into a bad scheme is refused the same way and keeps the old one.
    std::string id = addEvaluation(h.ctx, h.campaign, "2026-Q4", "", scheme());
    bad["indicators"][1]["weight"] = 30;  // 35 + 30 + 10 + 30 = 105
    CHECK_THROWS_WITH(updateEvaluationScheme(h.ctx, id, bad), Catch::Contains("现在是 105"));
    CHECK(loadEvaluation(h.store.db(), id).scheme.indicators[0].weight == 40);

    // Other mistakes get their own messages.
    Json unknown = scheme();
    unknown["indicators"][0]["source"] = "speed";
    CHECK_THROWS_WITH(parseScheme(unknown), Catch::Contains("不认识的指标来源 \"speed\""));
    Json flat = scheme();
    flat["indicators"][0]["rule"] = {{"kind", "linear"}, {"floor", 80}, {"target", 80}};
    CHECK_THROWS_WITH(parseScheme(flat), Catch::Contains("下限与目标不能相同"));
    CHECK_THROWS_WITH(parsePeriod("2026-Q5"), Catch::Contains("2026-Q5"));
    CHECK(parsePeriod("2026-Q4").first == Date{2026, 10, 1});
    CHECK(parsePeriod("2026-Q4").last == Date{2026, 12, 31});
    CHECK(parsePeriod("2024-02").last == Date{2024, 2, 29});
}

TEST_CASE("publishing makes versions, a published evaluation is read-only and the old version is kept",
          "[evaluation]") {
    HqStore h;
    h.complaint(h.a, "2026-10-12T02:00:00.000Z", true);
    h.complaint(h.b, "2026-10-12T02:00:00.000Z", false);
    std::string draft = addEvaluation(h.ctx, h.campaign, "2026-Q4", "", scheme());
    CHECK_THROWS_WITH(publishEvaluation(h.ctx, draft), Catch::Contains("请先计算再发布"));
    runEvaluation(h.ctx, draft);
    // Only departments and township governments with cases in the period are evaluated.
    CHECK(loadEvaluation(h.store.db(), draft).results.size() == 2);
    std::string v1 = publishEvaluation(h.ctx, draft);
    EvaluationDetail p1 = loadEvaluation(h.store.db(), v1);
    CHECK(p1.summary.status == "published");
    CHECK(p1.summary.version == 1);
    CHECK(p1.summary.publishedBy == "王局");
    CHECK(p1.results.size() == 2);
    CHECK_THROWS_WITH(runEvaluation(h.ctx, v1), Catch::Contains("只读"));
    CHECK_THROWS_AS(setManualScore(h.ctx, v1, "public_review", h.a, 50, ""), ValidationError);

    // A change to the draft clears its run; re-running and publishing makes version 2.
    setManualScore(h.ctx, draft, "public_review", h.b, 100, "明察暗访");
    CHECK_THROWS_WITH(publishEvaluation(h.ctx, draft), Catch::Contains("尚未重新计算"));
    runEvaluation(h.ctx, draft);
    std::string v2 = publishEvaluation(h.ctx, draft);
    CHECK(loadEvaluation(h.store.db(), v2).summary.version == 2);
    CHECK(loadEvaluation(h.store.db(), v1).summary.status == "superseded");
    CHECK(loadEvaluation(h.store.db(), v1).results.size() == 2);  // the old results are kept as they were
    CHECK(listEvaluations(h.store.db(), false).size() == 2);      // what a lead sees: both versions, no draft
    CHECK(listEvaluations(h.store.db(), true).size() == 3);

    // Only HQ evaluates.
    AppContext lead = h.ctx;
    lead.actor.role = Role::Lead;
    CHECK_THROWS_AS(runEvaluation(lead, draft), ForbiddenError);
    CHECK_THROWS_AS(addEvaluation(lead, h.campaign, "2026-Q4", "", scheme()), ForbiddenError);
}

TEST_CASE("rank scoring: ties share the better rank, a single unit scores full marks", "[evaluation]") {
    EvaluationScheme s = parseScheme(Json::parse(R"({"indicators": [
        {"source": "warnings_received", "weight": 100, "rule": {"kind": "rank"}}]})"));
    auto raw = [](const char* name, std::optional<double> v) { return UnitRaw{name, name, {RawValue{v, "", {}}}}; };
    auto r = scoreUnits(s, {raw("甲", 2), raw("乙", 0), raw("丙", 2), raw("丁", 5), raw("戊", std::nullopt)});
    // Lower is better: 乙 0 → 100; 甲 and 丙 tie at rank 2 → 100·(4−1−1)/3 = 66.67; 丁 → 0; 戊 has no
    // value → if_empty 100, ranked with the totals.
    REQUIRE(r.size() == 5);
    CHECK(r[0].unitName == "乙");
    CHECK(r[1].unitName == "戊");
    CHECK(r[0].rank == 1);
    CHECK(r[1].rank == 1);
    CHECK(r[2].total == Approx(66.67));
    CHECK(r[3].total == Approx(66.67));
    CHECK(r[2].rank == 3);
    CHECK(r[3].rank == 3);
    CHECK(r[4].unitName == "丁");
    CHECK(r[4].total == 0);
    CHECK(r[1].items[0].empty);
    auto one = scoreUnits(s, {raw("甲", 7)});
    CHECK(one[0].total == 100);
}

TEST_CASE("the on-time approval rate of electronic supervision is an indicator with its records behind it",
          "[evaluation]") {
    HqStore h;
    auto approval = [&](const char* number, const char* received, const char* deadline, const char* finished) {
        FieldMap f = {{"case_number", number},       {"item_name", "建设工程规划许可"}, {"unit_name", "甘州区人力资源和社会保障局"},
                      {"unit_id", h.a},              {"received_at", received},           {"promised_workdays", 8},
                      {"deadline", deadline}};
        if (finished) f["finished_at"] = finished;
        return h.insert("approval", f);
    };
    std::string done = approval("SP-1", "2026-10-10T02:00:00.000Z", "2026-10-20", "2026-10-15T03:00:00.000Z");
    std::string late = approval("SP-2", "2026-10-12T02:00:00.000Z", "2026-10-22", "2026-10-28T03:00:00.000Z");
    std::string red = approval("SP-3", "2026-11-02T02:00:00.000Z", "2026-11-10", nullptr);
    approval("SP-4", "2026-11-30T02:00:00.000Z", "2026-12-20", nullptr);                             // not due yet
    approval("SP-5", "2026-09-20T02:00:00.000Z", "2026-09-30", "2026-09-25T03:00:00.000Z");          // before the period
    Json s = Json::parse(R"({"indicators": [{"source": "approval_on_time_rate", "weight": 100,
                             "rule": {"kind": "linear", "floor": 0, "target": 100}}]})");
    s["units"] = {h.a, h.b};
    std::string id = addEvaluation(h.ctx, h.campaign, "2026-Q4", "", s);
    runEvaluation(h.ctx, id);
    EvaluationDetail d = loadEvaluation(h.store.db(), id);
    REQUIRE(d.results.size() == 2);
    const UnitResult& a = d.results[0].unitId == h.a ? d.results[0] : d.results[1];
    REQUIRE(a.items[0].raw.has_value());
    CHECK(*a.items[0].raw == Approx(100.0 / 3));  // 1 on time of 2 finished + 1 open past its deadline
    CHECK(a.items[0].detail == "1/3 按期办结");
    CHECK(a.total == Approx(33.33));
    std::set<std::string> ids;
    for (const auto& c : a.items[0].cases) ids.insert(c.id);
    CHECK(ids == std::set<std::string>{done, late, red});
    CHECK(caseTitles(h.store.db(), {{"approval", red}})[0] == "建设工程规划许可（SP-3）");
}
