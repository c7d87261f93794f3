// Chinese full-text search: the jc_cjk tokenizer (tokens, byte offsets through highlight(),
// invalid UTF-8) and the search index kept by ChangeWriter (exact one- and two-character
// matches, re-indexing on edit, soft delete, literal FTS syntax, ranking).
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <set>

#include "core/error.h"
#include "core/uuid.h"
#include "store/fts_tokenizer.h"
#include "store/search_index.h"
#include "store/store.h"
#include "store/writer.h"
#include "support/temp_dir.h"

using namespace jc;
namespace fs = std::filesystem;

namespace {

using test::TempDir;

using Tokens = std::vector<std::string>;

// An in-memory FTS5 table using the tokenizer, for highlight() checks.
struct FtsTable {
    Database db{":memory:"};
    FtsTable() {
        registerCjkTokenizer(db.handle());
        db.exec("CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'jc_cjk')");
    }
    void add(const std::string& text) {
        auto s = db.prepare("INSERT INTO t(x) VALUES(?)");
        s.bind(1, text).run();
    }
    // highlight() of every row matching `match`, in rowid order.
    std::vector<std::string> highlight(const std::string& match) {
        auto s = db.prepare("SELECT highlight(t, 0, '[', ']') FROM t WHERE t MATCH ? ORDER BY rowid");
        s.bind(1, match);
        std::vector<std::string> out;
        while (s.step()) out.push_back(s.getText(0));
        return out;
    }
};

const std::string kCampaign = "0190a000-0000-7000-8000-0000000000c1";

FieldMap finding(const std::string& title, const std::string& narrative = {}) {
    FieldMap f = {{"campaign_id", kCampaign}, {"category", "demolition"}, {"title", title}, {"status", "draft"}};
    if (!narrative.empty()) f["narrative"] = narrative;
    return f;
}

FieldMap complaint(const std::string& title, const std::string& content) {
    return {{"title", title},
            {"channel", "hotline"},
            {"received_at", "2026-03-02T08:00:00.000Z"},
            {"first_contact_handler", "李明"},
            {"content", content},
            {"status", "received"}};
}

std::set<std::string> idSet(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

std::set<std::string> hitIds(const std::vector<SearchHit>& hits) {
    std::set<std::string> out;
    for (const auto& h : hits) out.insert(h.id);
    return out;
}

}  // namespace

TEST_CASE("tokenizer: one token a character, pairs and a run's last character", "[search][tokenizer]") {
    CHECK(cjkIndexTokens("拆迁") == Tokens{"拆迁", "迁"});
    CHECK(cjkIndexTokens("堃") == Tokens{"堃"});
    CHECK(cjkIndexTokens("張掖市") == Tokens{"張掖", "掖市", "市"});
    // Latin, digits and punctuation belong to the run; whitespace separates.
    CHECK(cjkIndexTokens("Abc 拆迁，欠") == Tokens{"ab", "bc", "c", "拆迁", "迁，", "，欠", "欠"});
    CHECK(cjkIndexTokens("G312国道") == Tokens{"g3", "31", "12", "2国", "国道", "道"});
    // Extension A and B characters, compatibility ideographs, kana.
    CHECK(cjkIndexTokens("䶮𠀀") == Tokens{"䶮𠀀", "𠀀"});
    CHECK(cjkIndexTokens("\xEF\xA4\x80") == Tokens{"\xEF\xA4\x80"});  // U+F900
    CHECK(cjkIndexTokens("カナ") == Tokens{"カナ", "ナ"});
    // Full-width Latin and digits fold to ASCII; U+3000 and line breaks separate.
    CHECK(cjkIndexTokens("ＡＢ１") == Tokens{"ab", "b1", "1"});
    CHECK(cjkIndexTokens("拆\xE3\x80\x80迁\n欠") == Tokens{"拆", "迁", "欠"});
    CHECK(cjkIndexTokens("").empty());
    CHECK(cjkIndexTokens(" \t\r\n\xE3\x80\x80").empty());
    // Queries: pairs; one character alone is a prefix query.
    CHECK(cjkQueryTokens("张掖市") == Tokens{"张掖", "掖市"});
    CHECK(cjkQueryTokens("堃") == Tokens{"堃"});
    CHECK(cjkQueryNeedsPrefix("堃"));
    CHECK(cjkQueryNeedsPrefix("𠀾"));
    CHECK_FALSE(cjkQueryNeedsPrefix("拆迁"));
    CHECK(cjkSearchableText("ＡＢc 拆迁\n\n欠") == "abc\n拆迁\n欠");
}

TEST_CASE("tokenizer: invalid UTF-8 separates and never hangs", "[search][tokenizer]") {
    CHECK(cjkIndexTokens("\xff拆\xe6\x8b迁\xc0\xaf") == Tokens{"拆", "迁"});
    CHECK(cjkIndexTokens("ab\x80" "cd") == Tokens{"ab", "b", "cd", "d"});
    CHECK(cjkIndexTokens("\xed\xa0\x80x") == Tokens{"x"});         // UTF-16 surrogate
    CHECK(cjkIndexTokens("\xf4\x90\x80\x80y") == Tokens{"y"});     // above U+10FFFF
    CHECK(cjkIndexTokens("\xe6\x8b").empty());                      // truncated at the end
    CHECK(cjkIndexTokens(std::string("a\0b", 3)) == Tokens{"a", "b"});

    // Random bytes through the tokenizer and through FTS5 (insert, match, highlight).
    FtsTable t;
    std::mt19937 rng(7);
    for (int i = 0; i < 300; ++i) {
        std::string s(rng() % 40, '\0');
        for (auto& c : s) c = static_cast<char>(rng() % 256);
        (void)cjkIndexTokens(s);
        t.add(s);
    }
    CHECK_NOTHROW(t.highlight("\"\xe6\x8b\x86\""));
}

TEST_CASE("tokenizer: byte offsets give exact highlights", "[search][tokenizer]") {
    FtsTable t;
    t.add("关于拆迁补偿的投诉");
    t.add("负责人王堃未履职");
    t.add("𠀀䶮abc");
    t.add("甘肃省张掖市甘州区");
    t.add("Report G312 road");
    t.add("ＡＢＣ公司，拆除迁移");
    t.add("拆拆拆");
    CHECK(t.highlight("\"拆迁\"") == Tokens{"关于[拆迁]补偿的投诉"});
    // One character is a prefix query; the pair it matched is bracketed (or the character alone
    // where it ends a run).
    CHECK(t.highlight("\"堃\" *") == Tokens{"负责人王[堃未]履职"});
    CHECK(t.highlight("\"移\" *") == Tokens{"ＡＢＣ公司，拆除迁[移]"});
    CHECK(t.highlight("\"abc\"") == Tokens{"𠀀䶮[abc]", "[ＡＢＣ]公司，拆除迁移"});
    CHECK(t.highlight("\"䶮a\"") == Tokens{"𠀀[䶮a]bc"});
    CHECK(t.highlight("\"𠀀䶮\"") == Tokens{"[𠀀䶮]abc"});
    CHECK(t.highlight("\"张掖市\"") == Tokens{"甘肃省[张掖市]甘州区"});
    CHECK(t.highlight("\"g312\"") == Tokens{"Report [G312] road"});
    CHECK(t.highlight("\"迁移\"") == Tokens{"ＡＢＣ公司，拆除[迁移]"});
}

TEST_CASE("tokenizer: query phrases are exact substrings", "[search][tokenizer]") {
    FtsTable t;
    t.add("拆迁a");     // 1
    t.add("张掖市a");   // 2
    t.add("拆除迁移");  // 3
    t.add("迁拆");      // 4
    t.add("拆迁迁a");   // 5
    auto rows = [&](const std::string& q) {
        auto s = t.db.prepare("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid");
        s.bind(1, q);
        std::vector<int64_t> out;
        while (s.step()) out.push_back(s.getInt(0));
        return out;
    };
    CHECK(rows("\"拆迁\"") == std::vector<int64_t>{1, 5});
    CHECK(rows("\"拆迁a\"") == std::vector<int64_t>{1});
    CHECK(rows("\"掖a\"").empty());
    CHECK(rows("\"市a\"") == std::vector<int64_t>{2});
    CHECK(rows("\"迁拆\"") == std::vector<int64_t>{4});
    CHECK(rows("\"拆迁迁\"") == std::vector<int64_t>{5});
}

TEST_CASE("search: findings and complaints through ChangeWriter", "[search]") {
    TempDir dir;
    Store store((dir.path / "s.db").string());
    Database& db = store.db();

    Transaction tx(db);
    ChangeWriter w(store, tx, "inspector1");
    std::string unitChem = w.insert("unit", {{"name", "张掖市某化工厂"}, {"kind", "enterprise"}});
    std::string unitHousing = w.insert("unit", {{"name", "甘州区住建局"}, {"kind", "department"}});

    std::string fDemolition = w.insert("finding", finding("城南片区拆迁补偿不到位", "强制拆迁，补偿款未发放"));
    std::string fSplit = w.insert("finding", finding("旧城改造拆除迁移工作", "先拆除旧房，再迁移住户"));
    FieldMap pollution = finding("企业违法排污", "夜间偷排");
    pollution["subject_unit_id"] = unitChem;
    pollution["field_values"] = {{"pollutant", "COD超标"}, {"values", {"氨氮 12mg/L"}}, {"count", 3}};
    std::string fPollution = w.insert("finding", pollution);
    std::string fRare = w.insert("finding", finding("村务公开不及时", "负责人王堃未履职"));
    std::string fNear = w.insert("finding", finding("排查污水管网", "迁拆混乱，排查不彻底"));
    FieldMap loophole = finding("审批超时");
    loophole["loophole"] = "制度漏洞：无限时办结制度";
    loophole["recommendation"] = "建立限时办结制";
    loophole["address"] = "甘州区东街";
    std::string fLoophole = w.insert("finding", loophole);

    FieldMap wages = complaint("拖欠农民工工资", "欠薪三个月，多次讨要未果");
    wages["respondent_unit_id"] = unitHousing;
    std::string cWages = w.insert("complaint", wages);
    std::string cTrad = w.insert("complaint", complaint("監察投訴", "鄉鎮幹部作風粗暴"));
    FieldMap mixed = complaint("G312国道施工队欠款", "ABC公司 2024年 拖欠 Project-7 款项");
    mixed["reply"] = "已转交住建部门";
    mixed["outcome"] = "已结清";
    std::string cMixed = w.insert("complaint", mixed);
    tx.commit();

    auto ids = [&](const std::string& q, std::string_view entity = {}) { return idSet(searchIds(db, q, entity)); };

    SECTION("two-character queries match exactly the records containing them") {
        CHECK(ids("拆迁") == std::set<std::string>{fDemolition});
        CHECK(ids("排污") == std::set<std::string>{fPollution});
        CHECK(ids("欠薪") == std::set<std::string>{cWages});
        CHECK(ids("迁拆") == std::set<std::string>{fNear});
        CHECK(ids("監察") == std::set<std::string>{cTrad});
        CHECK(ids("监察").empty());
        CHECK(ids("拆除迁移") == std::set<std::string>{fSplit});
    }
    SECTION("single characters, including rare ones") {
        CHECK(ids("堃") == std::set<std::string>{fRare});
        CHECK(ids("拆") == std::set<std::string>{fDemolition, fSplit, fNear});
        CHECK(ids("鄉") == std::set<std::string>{cTrad});
    }
    SECTION("body covers unit names, template values, loophole, address, reply and outcome") {
        CHECK(ids("化工厂") == std::set<std::string>{fPollution});
        CHECK(ids("COD") == std::set<std::string>{fPollution});
        CHECK(ids("氨氮") == std::set<std::string>{fPollution});
        CHECK(ids("住建局") == std::set<std::string>{cWages});
        CHECK(ids("制度漏洞") == std::set<std::string>{fLoophole});
        CHECK(ids("限时办结") == std::set<std::string>{fLoophole});
        CHECK(ids("东街") == std::set<std::string>{fLoophole});
        CHECK(ids("转交") == std::set<std::string>{cMixed});
        CHECK(ids("结清") == std::set<std::string>{cMixed});
        CHECK(ids("甘州区") == std::set<std::string>{cWages, fLoophole});
        CHECK(ids("甘州区", "complaint") == std::set<std::string>{cWages});
    }
    SECTION("Latin words and digits, mixed terms, AND of terms") {
        CHECK(ids("abc") == std::set<std::string>{cMixed});
        CHECK(ids("ＡＢＣ") == std::set<std::string>{cMixed});
        CHECK(ids("g312国道") == std::set<std::string>{cMixed});
        CHECK(ids("2024年") == std::set<std::string>{cMixed});
        CHECK(ids("project-7") == std::set<std::string>{cMixed});
        CHECK(ids("拆迁 补偿") == std::set<std::string>{fDemolition});
        CHECK(ids("拆迁　欠薪").empty());  // ideographic space separates terms too
        CHECK(ids("拆 旧房") == std::set<std::string>{fSplit});
    }
    SECTION("FTS syntax in user input is literal") {
        for (const char* q : {"\"", "拆迁\"", "*", "拆迁*", "OR", "拆迁 OR 欠薪", "(", "(拆迁", "NEAR(拆 迁)",
                              "title:拆迁", "-拆迁", "^拆迁", "a\"b", "AND", "NOT 拆迁", "{title}: x", "+"}) {
            INFO(q);
            CHECK_NOTHROW(searchRecords(db, q));
            CHECK_NOTHROW(searchIds(db, q, {}));
        }
        // Punctuation is text like any other: no record holds these.
        CHECK(ids("拆迁*").empty());
        CHECK(ids("(拆迁)").empty());
        CHECK(ids("拆迁 OR 欠薪").empty());  // three terms ANDed; "or" is a word
        CHECK(ids("\"").empty());
    }
    SECTION("hits carry entity, title and a bracketed snippet; ranking prefers titles") {
        auto hits = searchRecords(db, "欠薪");
        REQUIRE(hits.size() == 1);
        CHECK(hits[0].entity == "complaint");
        CHECK(hits[0].id == cWages);
        CHECK(hits[0].title == "拖欠农民工工资");
        CHECK(hits[0].snippet.find("[欠薪]") != std::string::npos);
        CHECK(hits[0].rank < 0);

        Transaction t2(db);
        ChangeWriter w(store, t2, "inspector1");
        std::string bodyOnly = w.insert("finding", finding("化工园区检查", "发现排污管道"));
        std::string titleToo = w.insert("finding", finding("排污口整治", "整治情况"));
        t2.commit();
        hits = searchRecords(db, "排污");
        REQUIRE(hits.size() == 3);
        CHECK(hits.back().id == bodyOnly);
        CHECK(hitIds({hits[0], hits[1]}) == std::set<std::string>{titleToo, fPollution});
        CHECK(searchRecords(db, "排污", 50, "complaint").empty());
        CHECK(searchRecords(db, "排污", 1).size() == 1);
        CHECK(searchRecords(db, "排污", 0).size() == 1);  // clamped up to 1
        CHECK(searchRecords(db, "排污", 1'000'000).size() == 3);
    }
    SECTION("bad queries") {
        CHECK_THROWS_AS(searchRecords(db, ""), ValidationError);
        CHECK_THROWS_AS(searchRecords(db, " \t\n　"), ValidationError);
        CHECK_THROWS_AS(searchRecords(db, std::string(kMaxSearchQueryBytes + 1, 'a')), ValidationError);
        CHECK_NOTHROW(searchRecords(db, std::string(kMaxSearchQueryBytes, 'a')));
        CHECK_THROWS_AS(searchRecords(db, "拆迁", 10, "unit"), ValidationError);
        CHECK_THROWS_AS(searchIds(db, "", "finding"), ValidationError);
        CHECK(searchIds(db, "，。", "finding").empty());
        CHECK(searchIds(db, "\xff\xfe", "finding").empty());
    }
    SECTION("edits re-index the record") {
        Transaction t2(db);
        ChangeWriter w(store, t2, "inspector1");
        w.update("finding", fDemolition, {{"title", "城南片区征地补偿不到位"}, {"narrative", "补偿款未发放"}});
        t2.commit();
        CHECK(ids("拆迁").empty());
        CHECK(ids("征地") == std::set<std::string>{fDemolition});
        CHECK(db.queryInt("SELECT count(*) FROM search_index") == 9);
    }
    SECTION("renaming a unit re-indexes the records that name it") {
        Transaction t2(db);
        ChangeWriter w(store, t2, "inspector1");
        w.update("unit", unitChem, {{"name", "张掖市某制药厂"}});
        t2.commit();
        CHECK(ids("化工厂").empty());
        CHECK(ids("制药厂") == std::set<std::string>{fPollution});
    }
    SECTION("soft delete removes from results; undelete restores with the same rowid") {
        int64_t rid = db.queryInt("SELECT rid FROM search_rowid WHERE entity_id = '" + cWages + "'");
        Transaction t2(db);
        ChangeWriter w(store, t2, "inspector1");
        w.remove("complaint", cWages);
        t2.commit();
        CHECK(ids("欠薪").empty());
        CHECK(searchRecords(db, "住建局").empty());
        CHECK(db.queryInt("SELECT count(*) FROM search_index") == 8);

        // A record created meanwhile must not take the deleted record's rowid.
        Transaction t3(db);
        ChangeWriter w3(store, t3, "inspector1");
        std::string other = w3.insert("complaint", complaint("新投诉", "欠薪问题"));
        w3.update("complaint", cWages, {{"deleted", false}});
        t3.commit();
        CHECK(db.queryInt("SELECT rid FROM search_rowid WHERE entity_id = '" + cWages + "'") == rid);
        CHECK(ids("欠薪") == std::set<std::string>{cWages, other});
    }
    SECTION("rebuild restores the index from the records") {
        Transaction t2(db);
        ChangeWriter w(store, t2, "inspector1");
        w.remove("finding", fRare);
        t2.commit();
        db.exec("DELETE FROM search_index");
        CHECK(ids("拆迁").empty());
        rebuildSearchIndex(db);
        CHECK(ids("拆迁") == std::set<std::string>{fDemolition});
        CHECK(ids("堃").empty());
        CHECK(ids("化工厂") == std::set<std::string>{fPollution});
        CHECK(db.queryInt("SELECT count(*) FROM search_index") == 8);
    }
}

TEST_CASE("search: every one- and two-character query is exact on random text", "[search]") {
    TempDir dir;
    Store store((dir.path / "s.db").string());
    const std::vector<std::string> alphabet = {"拆", "迁", "欠", "薪", "排", "污", "堃", "𠀀", "，", "a"};
    std::mt19937 rng(2026);
    std::map<std::string, std::string> text;  // id -> title + "\n" + narrative
    {
        Transaction tx(store.db());
        ChangeWriter w(store, tx, "inspector1");
        for (int i = 0; i < 300; ++i) {
            std::string title, narrative;
            for (int k = 0, n = 1 + static_cast<int>(rng() % 6); k < n; ++k) title += alphabet[rng() % alphabet.size()];
            for (int k = 0, n = static_cast<int>(rng() % 12); k < n; ++k) narrative += alphabet[rng() % alphabet.size()];
            std::string id = w.insert("finding", finding(title, narrative));
            text[id] = title + "\n" + narrative;
        }
        tx.commit();
    }
    std::vector<std::string> queries;
    for (size_t a = 0; a < 8; ++a) {
        queries.push_back(alphabet[a]);
        for (size_t b = 0; b < 8; ++b) {
            queries.push_back(alphabet[a] + alphabet[b]);
            queries.push_back(alphabet[a] + alphabet[b] + alphabet[(a + b) % 8]);
        }
    }
    int mismatches = 0;
    for (const auto& q : queries) {
        std::set<std::string> expected;
        for (const auto& [id, t] : text)
            if (t.find(q) != std::string::npos) expected.insert(id);
        auto got = idSet(searchIds(store.db(), q, "finding"));
        if (got != expected) {
            ++mismatches;
            UNSCOPED_INFO("query " << q << ": expected " << expected.size() << ", got " << got.size());
        }
    }
    CHECK(mismatches == 0);
}

TEST_CASE("search: a thousand generated records give the same hits before and after a rebuild", "[search]") {
    TempDir dir;
    Store store((dir.path / "s.db").string());
    const std::vector<std::string> words = {"拆迁", "补偿", "欠薪", "农民工", "排污", "企业", "张掖市", "甘州区", "乡镇",
                                            "审批", "超时", "群众", "反映", "整改", "落实", "不到位", "监察", "效能"};
    std::mt19937 rng(1);
    auto sentence = [&](int n) {
        std::string s;
        for (int i = 0; i < n; ++i) s += words[rng() % words.size()] + (i % 5 == 4 ? "，" : "");
        return s;
    };
    {
        Transaction tx(store.db());
        ChangeWriter w(store, tx, "inspector1");
        for (int i = 0; i < 1000; ++i) w.insert("finding", finding(sentence(4), sentence(60)));
        tx.commit();
    }
    auto ids = [&](const char* q) {
        std::vector<std::string> out;
        for (const auto& h : searchRecords(store.db(), q, kMaxSearchResults)) out.push_back(h.id);
        std::sort(out.begin(), out.end());  // the set of hits (ties in rank may come in any order)
        return out;
    };
    std::map<std::string, std::vector<std::string>> before;
    for (const char* q : {"拆迁", "欠薪 农民工", "张掖市甘州区", "效能监察"}) {
        before[q] = ids(q);
        INFO(q);
        CHECK(before[q].size() > 50);  // each query matches many of the 1,000 texts
        CHECK(before[q].size() < 1000);
    }
    CHECK(ids("堃").empty());  // not in any generated text
    rebuildSearchIndex(store.db());
    for (const auto& [q, hits] : before) {
        INFO(q);
        CHECK(ids(q.c_str()) == hits);
    }
}

TEST_CASE("search: snippets bracket exactly the matched text", "[search]") {
    TempDir dir;
    Store store((dir.path / "s.db").string());
    {
        Transaction tx(store.db());
        ChangeWriter w(store, tx, "inspector1");
        w.insert("finding", finding("哈哈哈", "负责人王堃未履职，Report ＡＢＣ-12 road"));
        tx.commit();
    }
    auto snippet = [&](const char* q) {
        auto hits = searchRecords(store.db(), q);
        return hits.size() == 1 ? hits[0].snippet : std::string("(no hit)");
    };
    CHECK(snippet("堃") == "负责人王[堃]未履职，Report ＡＢＣ-12 road");
    CHECK(snippet("abc-1") == "…，Report [ＡＢＣ-1]2 road");  // up to 8 characters before
    CHECK(snippet("report 履职") == "负责人王堃未[履职]，[Report] ＡＢＣ-12 road");
    CHECK(snippet("哈哈") == "[哈哈]哈");  // in the title only
    CHECK(cjkFindTerm("拆 拆迁 ab", "拆迁") == std::vector<std::pair<size_t, size_t>>{{4, 10}});
}
