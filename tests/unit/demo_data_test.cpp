// The demo-data generator (demo/demo_data.h): a small data set is consistent with the rules the
// rest of the product relies on — template values validate, regions are real Zhangye
// townships, every category and many workflow states occur, every record has its outbox
// change, search finds the generator's words — and the same seed gives the same content.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include "app/context.h"
#include "demo/demo_data.h"
#include "app/queries.h"
#include "app/setup.h"
#include "core/utf8.h"
#include "app/templates.h"
#include "core/domain.h"
#include "core/uuid.h"
#include "store/audit.h"
#include "store/search_index.h"
#include "support/temp_dir.h"

using namespace jc;
namespace fs = std::filesystem;

namespace {

using test::TempDir;

const Date kToday{2026, 6, 30};

// A store initialised as `user` with `role`, with demo data generated into it.
struct DemoStore {
    TempDir dir;
    Store store{(dir.path / "jiancha.db").string()};
    AppContext ctx;
    DemoSummary summary;

    DemoStore(int findings, int complaints, uint64_t seed, Role role = Role::HqAdmin, const std::string& user = "hq")
        : ctx{store, {}, nullptr, kToday} {
        InitOptions init;
        init.userName = user;
        init.role = role;
        initStore(store, init);
        ctx.actor = loadActor(store, user);
        ctx.calendar = calendarFromStore(store);
        DemoOptions opt;
        opt.findings = findings;
        opt.complaints = complaints;
        opt.seed = seed;
        opt.today = kToday;
        summary = generateDemoData(ctx, opt);
    }

    int64_t count(const std::string& sql) { return store.db().queryInt(sql); }
    std::vector<std::string> column(const std::string& sql) {
        auto s = store.db().prepare(sql);
        std::vector<std::string> out;
        while (s.step()) out.push_back(s.isNull(0) ? std::string() : s.getText(0));
        return out;
    }
};

// What a generated case says, without its random ids.
std::vector<std::string> contentOf(DemoStore& d) {
    auto rows = d.column(
        "SELECT category || '|' || title || '|' || narrative || '|' || status || '|' || region_code || '|' || "
        "created_at || '|' || severity FROM finding ORDER BY created_at, title");
    auto complaints = d.column(
        "SELECT channel || '|' || title || '|' || content || '|' || status || '|' || received_at || '|' || deadline "
        "FROM complaint ORDER BY received_at, title");
    rows.insert(rows.end(), complaints.begin(), complaints.end());
    return rows;
}


}  // namespace

// Generated once for all sections (Catch2 runs a test case again for every section).
DemoStore& sharedDemo() {
    static DemoStore d(60, 20, 7);
    return d;
}

TEST_CASE("a small demo data set is consistent", "[demo]") {
    DemoStore& d = sharedDemo();
    Database& db = d.store.db();
    CHECK(d.summary.findings == 60);
    CHECK(d.summary.complaints == 20);
    CHECK(d.count("SELECT count(*) FROM finding") == 60);
    CHECK(d.count("SELECT count(*) FROM complaint") == 20);
    CHECK(d.summary.users >= 6);  // inspectors and the lead

    SECTION("every finding's template values validate against its category template") {
        auto s = db.prepare("SELECT category, field_values, template_version, local_number FROM finding");
        int checked = 0;
        while (s.step()) {
            FormTemplate t = currentTemplate(d.store, s.getText(0));
            Json values = Json::parse(s.getText(1));
            auto issues = t.validateValues(values);
            INFO(s.getText(3) << " " << s.getText(0) << ": " << (issues.empty() ? "" : issues[0].key + " " + issues[0].messageEn));
            CHECK(issues.empty());
            CHECK(s.getInt(2) == t.version);
            for (const auto& f : t.fields)
                if (f.required) CHECK(values.contains(f.key));
            if (const FormField* money = t.field("compensation_due"))
                CHECK(values[money->key].is_number_integer());  // money in integer fen
            ++checked;
        }
        CHECK(checked == 60);
    }

    SECTION("every region is a real Zhangye region, findings at township level") {
        auto codes = d.column(
            "SELECT region_code FROM finding UNION ALL SELECT region_code FROM complaint "
            "UNION ALL SELECT region_code FROM unit");
        REQUIRE(!codes.empty());
        for (const auto& code : codes) {
            INFO(code);
            CHECK(code.rfind("6207", 0) == 0);
            CHECK(!regionName(db, code).empty());
        }
        CHECK(d.count("SELECT count(*) FROM finding WHERE length(region_code) <> 9") == 0);
        CHECK(d.count("SELECT count(DISTINCT substr(region_code, 1, 6)) FROM finding") >= 4);
    }

    SECTION("every category has findings, and titles and narratives read like cases") {
        for (const auto& c : categories()) {
            INFO(c.code);
            CHECK(d.count(std::string("SELECT count(*) FROM finding WHERE category = '") + c.code + "'") > 0);
        }
        for (const auto& n : d.column("SELECT narrative FROM finding")) {
            INFO(n);
            CHECK(utf8Chars(n) >= 200);
            CHECK(utf8Chars(n) <= 400);
        }
        CHECK(d.count("SELECT count(*) FROM finding WHERE title IS NULL OR title = ''") == 0);
    }

    SECTION("statuses are spread across the workflows, with history") {
        auto& fs = d.summary.findingsByStatus;
        CHECK(fs.size() >= 6);
        for (const char* s : {"draft", "submitted", "rectification_ordered", "closed"}) {
            INFO(s);
            CHECK(fs.count(s));
        }
        CHECK(d.summary.complaintsByStatus.size() >= 4);
        CHECK(d.summary.complaintsByStatus.count("closed"));
        CHECK(d.summary.rectificationsByStatus.count("overdue"));
        CHECK(d.summary.rectifications > 0);
        CHECK(d.summary.warnings > 0);
        // Returned and dismissed findings carry the required comment.
        CHECK(d.count("SELECT count(*) FROM case_event WHERE action IN ('return', 'dismiss') AND coalesce(comment, '') = ''") == 0);
        // Closed complaints were answered and resolved.
        CHECK(d.count("SELECT count(*) FROM complaint WHERE status = 'closed' AND (reply IS NULL OR outcome IS NULL)") == 0);
        // Open complaints include overdue ones and ones due within 3 working days.
        ComplaintFilter open;
        open.openOnly = true;
        std::set<std::string> lights;
        for (const auto& c : listComplaints(db, open, *d.ctx.calendar, kToday)) lights.insert(c.light);
        CHECK(lights.count("red"));
        CHECK(lights.count("yellow"));
    }

    SECTION("dates are spread over the past year and history uses the case's own times") {
        auto first = Date::parse(d.column("SELECT substr(min(created_at), 1, 10) FROM finding")[0]);
        auto last = Date::parse(d.column("SELECT substr(max(created_at), 1, 10) FROM finding")[0]);
        CHECK(last <= kToday);
        CHECK(last.days() - first.days() > 180);
        CHECK(d.count("SELECT count(*) FROM case_event WHERE at <> created_at") == 0);
        CHECK(d.count("SELECT count(*) FROM case_event WHERE at > '2026-07-01'") == 0);
        CHECK(d.count("SELECT count(*) FROM complaint WHERE reply_at > '2026-07-01'") == 0);
        CHECK(d.count("SELECT count(*) FROM complaint WHERE reply_at < received_at") == 0);
    }

    SECTION("every record has its outbox change and the audit chain holds") {
        for (const char* e : {"finding", "complaint", "rectification", "warning", "unit", "person", "case_event", "campaign"}) {
            INFO(e);
            CHECK(d.count(std::string("SELECT count(*) FROM ") + e + " x WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity = '" +
                          e + "' AND o.entity_id = x.id)") == 0);
        }
        CHECK(verifyAudit(db).ok);
    }

    SECTION("search finds the generator's words, rare characters and traditional forms") {
        for (const char* word : {"欠薪", "拆迁", "补偿", "堃", "䶮", "監察"}) {
            INFO(word);
            auto ids = searchIds(db, word, "");
            CHECK(!ids.empty());
        }
        // Exactly the findings that contain the word in the indexed text.
        auto hits = searchIds(db, "欠薪", "finding");
        auto expected = d.column(
            "SELECT id FROM finding WHERE title LIKE '%欠薪%' OR narrative LIKE '%欠薪%' OR field_values LIKE '%欠薪%' "
            "OR loophole LIKE '%欠薪%' OR recommendation LIKE '%欠薪%' OR accountability LIKE '%欠薪%' OR address LIKE '%欠薪%'");
        CHECK(std::set<std::string>(hits.begin(), hits.end()) == std::set<std::string>(expected.begin(), expected.end()));
    }
}

TEST_CASE("the same seed gives the same content, another seed differs", "[demo]") {
    DemoStore a(24, 10, 42), b(24, 10, 42), c(24, 10, 43);
    auto ca = contentOf(a);
    CHECK(ca.size() == 34);
    CHECK(ca == contentOf(b));
    CHECK(ca != contentOf(c));
    // A second run into the same store reuses the campaign, units and persons.
    int64_t units = a.count("SELECT count(*) FROM unit");
    DemoOptions more;
    more.findings = 3;
    more.complaints = 1;
    more.today = kToday;
    DemoSummary again = generateDemoData(a.ctx, more);
    CHECK(again.campaignId == a.summary.campaignId);
    CHECK(again.units == 0);
    CHECK(a.count("SELECT count(*) FROM unit") == units);
    CHECK(a.count("SELECT count(*) FROM finding") == 27);
}

TEST_CASE("an inspector alone gets drafts, submissions and received complaints", "[demo]") {
    DemoStore d(12, 4, 5, Role::Inspector, "张伟");
    CHECK(d.summary.users == 0);
    for (const auto& [status, n] : d.summary.findingsByStatus) {
        INFO(status);
        CHECK((status == "draft" || status == "submitted"));
    }
    CHECK(d.summary.complaintsByStatus == std::map<std::string, int>{{"received", 4}});
    CHECK(d.count("SELECT count(*) FROM finding WHERE created_by <> '张伟'") == 0);
}

TEST_CASE("bulk findings: batches with outbox and search, deterministic rows", "[demo]") {
    TempDir dir;
    Store store((dir.path / "jiancha.db").string());
    InitOptions init;
    init.userName = "bench";
    init.role = Role::HqAdmin;
    initStore(store, init);

    DemoFindingSource s1(store, "bench", 99, kToday), s2(store, "bench", 99, kToday);
    for (int64_t i : {0, 1, 17, 499}) {
        auto g1 = s1.make(i), g2 = s2.make(i);
        CHECK(g1.id == g2.id);
        CHECK(g1.createdAt == g2.createdAt);
        CHECK(g1.fields == g2.fields);
        CHECK(isUuid(g1.id));
        CHECK(uuidV7Millis(g1.id) == *parseIsoTimestamp(g1.createdAt));
    }
    CHECK(s1.make(3).fields != s1.make(4).fields);

    BulkOptions opt;
    opt.count = 450;
    opt.batchSize = 100;
    opt.seed = 99;
    opt.today = kToday;
    int calls = 0;
    BulkSummary sum = generateFindingsBulk(store, "bench", opt, [&](int64_t, int64_t) { ++calls; });
    CHECK(sum.inserted == 450);
    CHECK(calls == 5);
    CHECK(sum.writeSeconds > 0);
    Database& db = store.db();
    CHECK(db.queryInt("SELECT count(*) FROM finding") == 450);
    CHECK(db.queryInt("SELECT count(DISTINCT entity_id) FROM outbox WHERE entity = 'finding'") == 450);
    CHECK(db.queryInt("SELECT count(*) FROM search_index WHERE entity = 'finding'") == 450);
    CHECK(db.queryInt("SELECT count(DISTINCT status) FROM finding") >= 7);
    CHECK(db.queryInt("SELECT count(DISTINCT local_number) FROM finding") == 450);
    CHECK(store.meta("finding_counter") == std::optional<std::string>("450"));
    CHECK(db.queryInt("SELECT count(*) FROM finding WHERE created_at > '2026-07-01' OR created_at < '2025-06-29'") == 0);
    // Rows match the source: same id, time and values.
    auto g = s1.make(17);
    auto row = store.require("finding", g.id);
    CHECK(row["created_at"] == g.createdAt);
    CHECK(row["title"] == g.fields["title"]);
    CHECK(row["field_values"] == g.fields["field_values"]);
    CHECK(!searchRecords(db, "欠薪", 10).empty());
    CHECK(verifyAudit(db).ok);

    // The findings list filtered by search gives the same page whichever way it meets the index
    // (few matches: look them up; many: walk the date index), and counts agree.
    for (const char* word : {"检查组", "欠薪", "堃", "龙渠乡", "没有这个词"}) {
        INFO(word);
        auto ids = searchIds(db, word, "finding");
        std::string in = "''";
        for (const auto& id : ids) in += ",'" + id + "'";
        std::vector<std::string> expected;
        auto s = db.prepare("SELECT id FROM finding WHERE id IN (" + in + ") ORDER BY created_at DESC, id DESC LIMIT 50 OFFSET 10");
        while (s.step()) expected.push_back(s.getText(0));
        FindingFilter f;
        f.search = word;
        f.offset = 10;
        std::vector<std::string> got;
        for (const auto& row : listFindings(db, f, kToday.str())) got.push_back(row.id);
        CHECK(got == expected);
        CHECK(countFindings(db, f, kToday.str()) == static_cast<int64_t>(ids.size()));
        f.sortBy = "title";  // other orders always look the matches up
        CHECK(static_cast<int64_t>(listFindings(db, f, kToday.str()).size()) ==
              std::max<int64_t>(0, std::min<int64_t>(50, static_cast<int64_t>(ids.size()) - 10)));
    }
}
