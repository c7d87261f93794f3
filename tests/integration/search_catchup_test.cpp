// Search after a large pull from a real jiancha-server on loopback: the pull only marks the
// records it wrote (store/search_index.h), the catch-up indexes them in batches afterwards, and
// at every moment — everything pending, partway through the catch-up, after a second pull that
// edits, deletes and renames records the index already holds, and once caught up — search finds
// exactly the findings a plain substring scan of their text finds, for one-character queries
// (common, rare, supplementary-plane 𠀾, punctuation, a digit), two characters, longer runs,
// Latin and digits mixed with Chinese, several terms, and words nobody wrote. The GUI's sync
// worker does the catch-up by itself in the background; `jiancha sync` before it exits.
#include <catch2/catch.hpp>

#include <chrono>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/utf8.h"
#include "store/search_index.h"
#include "store/store.h"
#include "store/writer.h"
#include "support/app_setup.h"
#include "support/hq_server.h"
#include "support/jiancha_cli.h"
#include "sync/client/sync_worker.h"

using namespace jc;

namespace {

const std::vector<std::string> kWords = {
    "拆迁", "补偿", "欠薪", "农民工", "排污", "化工厂", "张掖市", "甘州区", "乡镇", "审批", "超时", "群众", "反映",
    "整改", "落实", "不到位", "监察", "效能", "的", "了", "在", "未", "按时", "办结", "窗口", "推诿", "扯皮",
    "负责人", "王堃", "䶮", "𠀾", "G312国道", "x7", "2026年", "第3次", "abc", "，", "。", "、", "（", "）", "：",
};

// Lower-case Latin only, so the reference below is a plain (case-sensitive) substring scan.
std::string sentence(std::mt19937& rng, int words) {
    std::string s;
    for (int i = 0; i < words; ++i) {
        std::string w = kWords[rng() % kWords.size()];
        if (w == "G312国道") w = "g312国道";
        s += w;
        if (rng() % 23 == 0) s += rng() % 2 ? " " : "\n";
    }
    return s;
}

// Up to `chars` characters of `text` from a random character, without whitespace.
std::string piece(std::mt19937& rng, const std::string& text, int chars) {
    std::vector<size_t> starts;
    for (size_t i = 0; i < text.size();) {
        starts.push_back(i);
        decodeUtf8(text, i);
    }
    starts.push_back(text.size());
    size_t a = rng() % (starts.size() - 1);
    size_t b = std::min(starts.size() - 1, a + static_cast<size_t>(chars));
    std::string out = text.substr(starts[a], starts[b] - starts[a]);
    size_t ws = out.find_first_of(" \n");
    return ws == std::string::npos ? out : out.substr(0, ws);
}

// The reference: live findings whose title, narrative or subject unit's name holds every term.
std::set<std::string> substringScan(Database& db, const std::string& query) {
    std::set<std::string> result;
    bool first = true;
    size_t i = 0;
    while (i < query.size()) {
        size_t sp = query.find(' ', i);
        std::string term = query.substr(i, sp == std::string::npos ? std::string::npos : sp - i);
        i = sp == std::string::npos ? query.size() : sp + 1;
        if (term.empty()) continue;
        auto s = db.prepare(
            "SELECT f.id FROM finding f LEFT JOIN unit u ON u.id = f.subject_unit_id WHERE f.deleted = 0 AND "
            "(instr(f.title, ?1) > 0 OR instr(coalesce(f.narrative, ''), ?1) > 0 OR instr(coalesce(u.name, ''), ?1) > 0)");
        s.bind(1, term);
        std::set<std::string> ids;
        while (s.step()) ids.insert(s.getText(0));
        if (first) {
            result = std::move(ids);
        } else {
            std::set<std::string> both;
            for (const auto& id : ids)
                if (result.count(id)) both.insert(id);
            result = std::move(both);
        }
        first = false;
    }
    return result;
}

void checkExact(Database& db, const std::vector<std::string>& queries, const std::string& stage) {
    int mismatches = 0, nonEmpty = 0;
    for (const auto& q : queries) {
        std::set<std::string> expected = substringScan(db, q);
        auto ids = searchIds(db, q, "finding");
        std::set<std::string> got(ids.begin(), ids.end());
        if (!expected.empty()) ++nonEmpty;
        if (got != expected || got.size() != ids.size()) {
            ++mismatches;
            UNSCOPED_INFO(stage << ": query '" << q << "' expected " << expected.size() << ", got " << got.size());
        }
        // The ranked search (CLI, search box) finds the same records when they fit in one answer.
        if (expected.size() < static_cast<size_t>(kMaxSearchResults)) {
            std::set<std::string> ranked;
            for (const auto& h : searchRecords(db, q, kMaxSearchResults, "finding")) ranked.insert(h.id);
            if (ranked != expected) {
                ++mismatches;
                UNSCOPED_INFO(stage << ": ranked query '" << q << "' expected " << expected.size() << ", got " << ranked.size());
            }
        }
    }
    INFO(stage);
    CHECK(mismatches == 0);
    CHECK(nonEmpty > static_cast<int>(queries.size()) / 2);  // the queries do find things
}

}  // namespace

TEST_CASE("after a large pull, search equals a substring scan while and after the index catches up", "[search][sync]") {
    test::HqServer hq;
    std::mt19937 rng(13);
    constexpr int kFindings = 2500;

    // Another inspector's laptop records the findings and pushes them to HQ.
    test::Laptop author(hq, "张伟");
    std::vector<std::string> units, findings, texts;
    {
        Transaction tx(author.store->db());
        ChangeWriter w(*author.store, tx, "张伟");
        for (int i = 0; i < 30; ++i) units.push_back(w.insert("unit", {{"name", "张掖市" + sentence(rng, 2) + "公司"}, {"kind", "enterprise"}}));
        for (int i = 0; i < kFindings; ++i) {
            FieldMap f = test::findingFields(hq.campaign(), "demolition", sentence(rng, 3));
            f["status"] = "draft";
            f["narrative"] = sentence(rng, 8 + static_cast<int>(rng() % 40));
            f["subject_unit_id"] = units[rng() % units.size()];
            texts.push_back(f["title"].get<std::string>() + f["narrative"].get<std::string>());
            findings.push_back(w.insert("finding", f));
        }
        tx.commit();
    }
    author.sync(false);

    std::vector<std::string> queries = {"𠀾", "堃", "䶮", "的", "，", "3", "x", "g3", "12国", "312国道", "x7", "2026年第",
                                        "欠薪", "拆迁补偿", "农民工欠薪", "张掖市", "公司", "欠薪 拆迁", "𠀾 张掖市",
                                        "从未写过", "z", "欠薪x", "（）", "g312国道"};
    for (int i = 0; i < 40; ++i) queries.push_back(piece(rng, texts[rng() % texts.size()], 1 + static_cast<int>(rng() % 6)));

    // The lead's laptop pulls everything: nothing indexed yet, every record answered by the scan.
    test::Laptop device(hq, "李娜");
    Database& db = device.store->db();
    REQUIRE(db.queryInt("SELECT count(*) FROM finding") == kFindings);
    CHECK(searchPendingCount(db) >= kFindings);
    checkExact(db, queries, "everything pending");

    // Part of the catch-up.
    CHECK(catchUpSearchIndex(db, 400) < searchPendingCount(db) + 400);
    catchUpSearchIndex(db, 400);
    int64_t left = catchUpSearchIndex(db, 400);
    CHECK(left > 0);
    CHECK(left <= kFindings + 30 - 1200);
    checkExact(db, queries, "partway");

    // HQ's next changes: edits of records the device has indexed (their old index rows go stale)
    // and of pending ones, deletions, and renamed units (named in the findings' text).
    {
        Transaction tx(author.store->db());
        ChangeWriter w(*author.store, tx, "张伟");
        for (int i = 0; i < 200; i += 2) w.update("finding", findings[i], {{"narrative", "改写：" + sentence(rng, 10)}});
        for (int i = 1; i < 100; i += 4) w.remove("finding", findings[i]);
        for (int i = kFindings - 200; i < kFindings; i += 3) w.update("finding", findings[i], {{"title", sentence(rng, 4)}});
        w.update("unit", units[0], {{"name", "甘州区𠀾新名称公司"}});
        w.update("unit", units[1], {{"name", "改名的化工厂"}});
        tx.commit();
    }
    author.sync(false);
    device.sync(false);
    queries.insert(queries.end(), {"改写", "新名称", "改名的化工厂", "𠀾新"});
    checkExact(db, queries, "second pull, partway");

    // A local edit of a record still pending indexes it at once.
    {
        Transaction tx(db);
        ChangeWriter w(*device.store, tx, "李娜");
        w.update("finding", findings[kFindings - 1], {{"title", "本机改的标题𠀾"}});
        tx.commit();
    }
    queries.push_back("本机改的");
    checkExact(db, queries, "local edit");

    // The rest of the catch-up, in the GUI's background sync worker (not enrolled to a running
    // round here: it catches up between rounds whatever the server says).
    {
        sync::SyncWorkerOptions o;
        o.storePath = storePath(device.dir.path);
        o.blobDir = blobDir(device.dir.path);
        o.interval = 600;
        sync::SyncWorker worker(o);
        auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (std::chrono::steady_clock::now() < until) {
            auto st = worker.status();
            if (st.rounds > 0 && !st.syncing && st.unindexed == 0) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        CHECK(worker.status().unindexed == 0);
        worker.stop();
    }
    CHECK(searchPendingCount(db) == 0);
    checkExact(db, queries, "caught up");

    // And the caught-up index is the one a full rebuild makes.
    std::vector<std::vector<std::string>> before;
    for (const auto& q : queries) before.push_back(searchIds(db, q, "finding"));
    rebuildSearchIndex(db);
    for (size_t i = 0; i < queries.size(); ++i) {
        auto after = searchIds(db, queries[i], "finding");
        INFO(queries[i]);
        CHECK(std::set<std::string>(after.begin(), after.end()) == std::set<std::string>(before[i].begin(), before[i].end()));
    }

    // `jiancha sync` on another device indexes what it pulled before it exits: its search
    // answers from the index alone and does not say 索引更新中.
    test::JianchaCli cli;
    cli.name = "李娜 (CLI)";
    test::enrollDataDir(cli.dir.path, hq.url(), hq.enrollCode("李娜"));
    Json r = cli.sync();
    CHECK(r["pulled"].get<int64_t>() >= kFindings);
    size_t expected = 0;
    {
        Store other(storePath(cli.dir.path).string());
        CHECK(searchPendingCount(other.db()) == 0);
        expected = std::min<size_t>(1000, substringScan(other.db(), "欠薪").size());
    }
    Json hits = cli.json({"search", "欠薪", "--limit", "1000", "--type", "finding"});
    CHECK(hits["index_catching_up"] == false);
    CHECK(hits["count"].get<size_t>() == expected);
}
