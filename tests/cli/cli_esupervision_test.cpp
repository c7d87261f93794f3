// `jiancha esupervision` end to end on one HQ machine: a GB18030 export previewed with
// --dry-run (nothing written), refused when UTF-8 is forced, imported with the mapping saved by
// name; a file with bad rows changes nothing unless --skip-bad; red / yellow lists; the proposed
// warning issued; a lead may not import.
#include <iconv.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/gb18030.h"
#include "support/jiancha_cli.h"

using Json = nlohmann::json;

namespace {
using jc::test::toGb18030;
const char* kExport =
    "业务名称,办件编号,承办部门,申请人,受理时间,承诺时限（工作日）,办结时间,状态\r\n"
    "食品经营许可证核发,SP2026-0001,甘州区市场监督管理局,张三,2026年9月28日 9时30分,5,,在办\r\n"
    "个体工商户登记,GS2026-0003,甘州区市场监督管理局,王五,2026/10/9 8:30,1,2026/10/9 17:00,办结\r\n"
    "不动产登记,BDC2026-0004,甘州区自然资源局,吉𠮷祥,20261014,5,,在办\r\n";
}  // namespace

TEST_CASE("esupervision import: dry run, encoding, saved mapping, bad rows, lists and the warning", "[cli][esup]") {
    jc::test::JianchaCli cli;
    cli.today = "2026-10-20";
    cli.ok({"init", "--user", "王局", "--role", "hq_admin"});
    cli.ok({"user", "add", "--name", "李娜", "--role", "lead"});
    auto file = cli.dir.write("办件.csv", toGb18030(kExport));
    const std::vector<std::string> map = {"--map", "item_name=业务名称", "--map", "unit_name=承办部门"};
    auto count = [&] { return cli.json({"esupervision", "list"})["approvals"].size(); };

    std::vector<std::string> dry = {"esupervision", "import", file.string(), "--dry-run"};
    dry.insert(dry.end(), map.begin(), map.end());
    Json p = cli.json(dry);
    CHECK(p["encoding"] == "gb18030");
    CHECK(p["new"] == 3);
    CHECK(p["committed"] == false);
    CHECK(count() == 0);

    auto forced =
        cli.run({"esupervision", "import", file.string(), "--encoding", "utf8", "--map", "item_name=业务名称"});
    CHECK(forced.code == 3);
    CHECK(forced.err.find("不是有效的 UTF-8") != std::string::npos);
    auto noMap = cli.run({"esupervision", "import", file.string()});
    CHECK(noMap.code == 3);
    CHECK(noMap.err.find("事项名称") != std::string::npos);

    std::vector<std::string> real = {"esupervision", "import",         file.string(), "--encoding",
                                     "gb18030",      "--save-mapping", "政务大厅"};
    real.insert(real.end(), map.begin(), map.end());
    Json r = cli.json(real);
    CHECK(r["result"]["created"] == 3);
    CHECK(count() == 3);
    // Next month's file: the saved mapping by name; one record changed, one new, one bad row.
    std::string next = std::string(kExport) +
                       "取水许可,QS2026-0010,甘州区水务局,赵六,2026-10-19 09:00,20,,在办\r\n"
                       "道路运输经营许可,YS2026-0011,甘州区交通运输局,,十月十九日,20,,在办\r\n";
    next.replace(next.find("20261014,5,,在办"), std::string("20261014,5,,在办").size(),
                 "20261014,5,2026-10-20 11:00,办结");
    auto file2 = cli.dir.write("办件-11月.csv", toGb18030(next));
    auto bad = cli.run({"esupervision", "import", file2.string(), "--mapping", "政务大厅"});
    CHECK(bad.code == 3);
    CHECK(bad.out.find("第 6 行：受理时间：看不懂时间“十月十九日”") != std::string::npos);  // the time parser's own message
    CHECK(count() == 3);
    Json skipped = cli.json({"esupervision", "import", file2.string(), "--mapping", "政务大厅", "--skip-bad"});
    CHECK(skipped["result"]["created"] == 1);
    CHECK(skipped["result"]["updated"] == 1);
    CHECK(skipped["result"]["unchanged"] == 2);
    CHECK(skipped["result"]["skipped"] == 1);
    CHECK(count() == 4);

    Json red = cli.json({"esupervision", "list", "--red"})["approvals"];
    REQUIRE(red.size() == 1);
    CHECK(red[0]["case_number"] == "SP2026-0001");
    CHECK(red[0]["deadline"] == "2026-10-10");  // across the National Day week
    CHECK(cli.json({"esupervision", "list", "--yellow"})["approvals"].empty());
    Json rates = cli.json({"esupervision", "rates"})["units"];
    CHECK(rates.size() == 3);

    CHECK(cli.run({"esupervision", "warn", "SP2026-0001"}, "李娜").code == 0);  // a lead may issue it
    Json again = cli.json({"esupervision", "list", "--red"});
    CHECK(again["approvals"][0]["warning_id"].is_string());
    CHECK(cli.run({"esupervision", "propose", "SP2026-0001"}).code == 3);         // warned once already
    CHECK(cli.run({"esupervision", "import", file.string()}, "李娜").code == 3);  // only HQ imports
}
