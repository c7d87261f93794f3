// Complaints through the UI: intake records the first-contact handler automatically; a lead
// assigns; the handler investigates, replies and closes with an outcome and satisfaction.
#include "ui_harness.h"

using namespace jc;
using namespace jc::test;

namespace {
Json complaint(const fs::path& dir) {
    Store store((dir / "jiancha.db").string());
    auto q = store.db().prepare("SELECT id FROM complaint WHERE deleted = 0");
    REQUIRE(q.step());
    return store.require("complaint", q.getText(0));
}
}  // namespace

TEST_CASE("a complaint is taken in, assigned, answered and closed in the window", "[ui][complaints]") {
    TempDir dir("complaints");
    seedStore(dir.path);
    {
        UiHarness h(dir.path, "张伟");
        h.settle();
        h.click("nav.complaints");
        h.settle();
        h.click("complaints.new");
        h.click("##complaints.title");
        h.type("乡政府拖延办理低保审批");
        h.click("##complaints.content");
        h.type("群众反映：低保申请提交两个月仍未答复，经办人推诿。");
        h.click("complaints.anonymous");
        h.click("complaints.receive");
        h.settle();
        Json c = complaint(dir.path);
        CHECK(c["title"] == "乡政府拖延办理低保审批");
        CHECK(c["first_contact_handler"] == "张伟");
        CHECK(c["status"] == "received");
        CHECK(c["anonymous"] == true);
        CHECK_FALSE(c["deadline"].is_null());
        CHECK(h.find("complaints.countdown").has_value());
    }
    {
        UiHarness h(dir.path, "陈静");
        h.settle();
        h.click("nav.complaints");
        h.settle();
        h.click("complaints.row.0");
        h.settle();
        h.click("complaints.assign_to");
        h.settle();
        h.click("complaints.assign_to.张伟");
        h.click("complaints.assign");
        h.settle();
        Json c = complaint(dir.path);
        CHECK(c["status"] == "assigned");
        CHECK(c["assignee"] == "张伟");
    }
    {
        UiHarness h(dir.path, "张伟");
        h.settle();
        h.click("nav.complaints");
        h.settle();
        h.click("complaints.row.0");
        h.settle();
        h.click("complaints.investigate");
        h.settle();
        h.click("##complaints.reply_text");
        h.type("经核查，已督促乡政府三日内完成审批。");
        h.click("complaints.send_reply");
        h.settle();
        CHECK(complaint(dir.path)["status"] == "replied");
        h.click("##complaints.outcome_text");
        h.type("低保审批已办结，对经办人效能提醒。");
        h.click("complaints.close");
        h.settle();
        Json c = complaint(dir.path);
        CHECK(c["status"] == "closed");
        CHECK(c["outcome"] == "低保审批已办结，对经办人效能提醒。");
    }
    CHECK(ui::i18n().missingLookups() == 0);
}
