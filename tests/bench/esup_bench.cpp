// esup_bench: importing the approval system's records (电子监察), 10,000 rows by default.
//
//   csv_utf8, csv_gb18030, xlsx   preview + commit of N generated rows into a fresh HQ store
//                 (read, decode, map, check, deadline from the calendar, then approval rows +
//                 outbox + audit through ChangeWriter in one transaction, and the units);
//   reimport      the same UTF-8 file again (every row unchanged, nothing written);
//   reference     raw SQLite inserting the same N rows into a table with the approval table's
//                 definition, one prepared statement, one transaction, the store's pragmas: the
//                 floor any import pays.
// The aim: 10,000 rows in at most 5 s. Prints one JSON object; progress to stderr.
//   build-test/tests/bench/esup_bench [--rows N] [--dir DIR]
#include <iconv.h>
#include <sqlite3.h>
#include <xlsxwriter.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/esup_import.h"
#include "app/setup.h"
#include "core/args.h"
#include "core/error.h"
#include "core/uuid.h"
#include "store/store.h"
#include "support/gb18030.h"

using namespace jc;
namespace fs = std::filesystem;

namespace {
double seconds(std::chrono::steady_clock::time_point a) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count();
}

struct Gen {
    std::vector<std::vector<std::string>> rows;
    explicit Gen(int n) {
        rows.push_back(
            {"事项名称", "办件编号", "办理单位", "申请人", "受理时间", "承诺时限（工作日）", "办结时间", "状态"});
        const char* items[] = {"食品经营许可证核发", "建设工程规划许可", "个体工商户登记",
                               "不动产登记",         "取水许可",         "道路运输经营许可"};
        const char* units[] = {"甘州区市场监督管理局",   "甘州区自然资源局", "甘州区水务局", "甘州区交通运输局",
                               "甘州区住房和城乡建设局", "甘州区卫生健康局", "甘州区教育局", "甘州区民政局"};
        const char* names[] = {"张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强"};
        for (int i = 0; i < n; ++i) {
            int day = i % 300;
            Date d = Date{2026, 1, 5}.plusDays(day);
            char recv[32], done[32], num[32];
            std::snprintf(recv, sizeof recv, "%s %02d:%02d", d.str().c_str(), 8 + i % 9, (i * 7) % 60);
            std::snprintf(done, sizeof done, "%s 16:30", d.plusDays(3 + i % 25).str().c_str());
            std::snprintf(num, sizeof num, "SP2026-%06d", i + 1);
            bool finished = i % 3 != 0;
            rows.push_back({items[i % 6], num, units[i % 8], names[i % 8], recv, std::to_string(5 + i % 16),
                            finished ? done : "", finished ? "办结" : "在办"});
        }
    }
    std::string csv() const {
        std::string out;
        for (const auto& r : rows) {
            for (size_t i = 0; i < r.size(); ++i) out += (i ? "," : "") + r[i];
            out += "\r\n";
        }
        return out;
    }
};

using test::toGb18030;

void writeXlsx(const Gen& g, const std::string& path) {
    lxw_workbook* wb = workbook_new(path.c_str());
    lxw_worksheet* ws = workbook_add_worksheet(wb, nullptr);
    for (size_t r = 0; r < g.rows.size(); ++r)
        for (size_t c = 0; c < g.rows[r].size(); ++c)
            if (!g.rows[r][c].empty())
                worksheet_write_string(ws, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c), g.rows[r][c].c_str(),
                                       nullptr);
    workbook_close(wb);
}

struct Run {
    double seconds = 0;
    int created = 0, unchanged = 0, bad = 0;
};

Run importInto(const fs::path& dir, const std::string& file, bool twice = false, Run* second = nullptr) {
    fs::create_directories(dir);
    Store store((dir / "jiancha.db").string());
    initStore(store, InitOptions{"王局", Role::HqAdmin, {}, {}});
    AppContext ctx{store, loadActor(store, "王局"), calendarFromStore(store), Date{2026, 12, 1}};
    ApprovalImportOptions opt;
    opt.regionCode = "620702";
    auto t0 = std::chrono::steady_clock::now();
    auto p = previewApprovalImport(ctx, file, opt);
    auto res = commitApprovalImport(ctx, p, false);
    Run r{seconds(t0), res.created, res.unchanged, static_cast<int>(p.errors.size())};
    if (twice && second) {
        t0 = std::chrono::steady_clock::now();
        auto p2 = previewApprovalImport(ctx, file, opt);
        auto res2 = commitApprovalImport(ctx, p2, false);
        *second = Run{seconds(t0), res2.created, res2.unchanged, static_cast<int>(p2.errors.size())};
    }
    return r;
}

double rawReference(const fs::path& dir, const Gen& g) {
    fs::create_directories(dir);
    sqlite3* db = nullptr;
    sqlite3_open((dir / "raw.db").string().c_str(), &db);
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", nullptr, nullptr, nullptr);
    sqlite3_exec(
        db,
        "CREATE TABLE approval (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, "
        "created_by TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, case_number TEXT, item_name TEXT, "
        "unit_name TEXT, unit_id TEXT, applicant TEXT, received_at TEXT, promised_workdays INTEGER, deadline TEXT, "
        "finished_at TEXT, status TEXT, region_code TEXT, source TEXT);"
        "CREATE INDEX approval_case_number ON approval(case_number);"
        "CREATE INDEX approval_deadline ON approval(deadline);"
        "CREATE INDEX approval_unit ON approval(unit_name);",
        nullptr, nullptr, nullptr);
    auto t0 = std::chrono::steady_clock::now();
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(
        db,
        "INSERT INTO approval(id, created_at, updated_at, created_by, case_number, item_name, unit_name, "
        "applicant, received_at, promised_workdays, deadline, finished_at, status) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
        -1, &st, nullptr);
    std::string now = nowIso();
    for (size_t i = 1; i < g.rows.size(); ++i) {
        const auto& r = g.rows[i];
        std::string id = newUuidV7();
        sqlite3_bind_text(st, 1, id.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, now.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, now.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, "王局", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, r[1].c_str(), -1, SQLITE_TRANSIENT);  // case_number
        sqlite3_bind_text(st, 6, r[0].c_str(), -1, SQLITE_TRANSIENT);  // item_name
        sqlite3_bind_text(st, 7, r[2].c_str(), -1, SQLITE_TRANSIENT);  // unit_name
        sqlite3_bind_text(st, 8, r[3].c_str(), -1, SQLITE_TRANSIENT);  // applicant
        sqlite3_bind_text(st, 9, r[4].c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 10, std::atoi(r[5].c_str()));
        sqlite3_bind_text(st, 11, r[4].substr(0, 10).c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 12, r[6].c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 13, r[7].c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_step(st);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    double s = seconds(t0);
    sqlite3_close(db);
    return s;
}
}  // namespace

int main(int argc, char** argv) {
    int n = 10'000;
    fs::path dir;
    try {
        Args a(argc, argv, {"rows", "dir"}, {});
        a.maxPositional(0);
        n = a.intOpt("rows", n, 1, 10'000'000);
        dir = a.optOr("dir", "");
    } catch (const Error& e) {
        std::cerr << "esup_bench: " << e.what() << "\nusage: esup_bench [--rows N] [--dir DIR]\n";
        return 2;
    }
    const bool temp = dir.empty();
    if (temp) dir = fs::temp_directory_path() / ("jc_esup_bench_" + newUuidV7());
    fs::create_directories(dir);
    Gen g(n);
    std::string text = g.csv();
    std::ofstream(dir / "utf8.csv", std::ios::binary) << text;
    std::ofstream(dir / "gb18030.csv", std::ios::binary) << toGb18030(text);
    writeXlsx(g, (dir / "approvals.xlsx").string());

    std::cerr << "csv utf-8 …\n";
    Run again;
    Run utf8 = importInto(dir / "s1", (dir / "utf8.csv").string(), true, &again);
    std::cerr << "csv gb18030 …\n";
    Run gb = importInto(dir / "s2", (dir / "gb18030.csv").string());
    std::cerr << "xlsx …\n";
    Run xlsx = importInto(dir / "s3", (dir / "approvals.xlsx").string());
    std::cerr << "raw sqlite reference …\n";
    double raw = rawReference(dir / "raw", g);
    const double aim = 5.0;
    auto fig = [&](const Run& r) {
        return Json{{"seconds", r.seconds},
                    {"created", r.created},
                    {"unchanged", r.unchanged},
                    {"bad_rows", r.bad},
                    {"rows_per_second", r.seconds > 0 ? n / r.seconds : 0},
                    {"aim_seconds", aim},
                    {"met", r.seconds <= aim}};
    };
    Json out = {{"rows", n},
                {"csv_utf8", fig(utf8)},
                {"csv_gb18030", fig(gb)},
                {"xlsx", fig(xlsx)},
                {"reimport_unchanged", fig(again)},
                {"reference_raw_sqlite_insert_seconds", raw},
                {"ratio_csv_utf8_to_reference", raw > 0 ? utf8.seconds / raw : 0}};
    std::cout << out.dump(2) << "\n";
    if (temp) fs::remove_all(dir);
    return 0;
}
