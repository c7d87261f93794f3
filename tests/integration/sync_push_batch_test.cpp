// Push batches never separate a status change from the case event that carries its comment
// (the server checks a return's comment within one push): a lead's return lands exactly on the
// 1,000-change boundary of a batch and still reaches HQ and the inspector.
#include <catch2/catch.hpp>

#include "app/context.h"
#include "app/finding_commands.h"
#include "app/paths.h"
#include "store/writer.h"
#include "support/hq_server.h"
#include "support/temp_dir.h"

using namespace jc;

using test::Laptop;

TEST_CASE("a return on the boundary of a push batch travels with its comment", "[sync][push]") {
    test::HqServer hq;
    Laptop a(hq, "张伟"), lead(hq, "李娜");
    std::string f;
    {
        AppContext c = a.ctx();
        f = createFinding(c, {{"campaign_id", hq.campaign()},
                              {"category", "wage_arrears"},
                              {"title", "工地拖欠农民工工资"},
                              {"narrative", "某建筑公司拖欠工资三个月，涉及农民工四十二人。"},
                              {"region_code", "620702101"},
                              {"area", "hotspot_issues"},
                              {"field_values",
                               {{"employer", "张掖市某建筑公司"},
                                {"project", "梁家墩镇安置房项目"},
                                {"workers_affected", 42},
                                {"amount_owed", 38650050},
                                {"months_overdue", 3}}}});
        transitionFinding(c, f, "submit", "");
    }
    a.sync(false);
    lead.sync(false);

    // 999 changes first, so the return's status change is the 1,000th: the last of a full batch.
    const int kBatch = sync::SyncEngine::kPushBatch;
    {
        Transaction tx(lead.store->db());
        ChangeWriter w(*lead.store, tx, "李娜");
        for (int i = 1; i < kBatch; ++i)
            w.insert("unit", {{"name", "张掖市第" + std::to_string(i) + "建筑公司"}, {"kind", "enterprise"}});
        tx.commit();
    }
    {
        AppContext c = lead.ctx();
        transitionFinding(c, f, "return", "证据不足，请补充工资台账");
    }
    // The return writes the status change, its case event and the comment record.
    REQUIRE(lead.store->db().queryInt("SELECT count(*) FROM outbox") == kBatch + 2);
    {
        auto s = lead.store->db().prepare("SELECT entity FROM outbox ORDER BY seq LIMIT 1 OFFSET ?");
        s.bind(1, kBatch - 1);
        REQUIRE(s.step());
        REQUIRE(s.getText(0) == "finding");  // the status change, its case event right after it
    }

    sync::SyncReport r = lead.sync(false);
    CHECK(r.rejected == 0);
    CHECK(r.pushed == kBatch + 2);
    CHECK(r.pendingAfter == 0);
    a.sync(false);
    CHECK(a.store->get("finding", f).value()["status"] == "returned");
}
