#pragma once
// What every CLI subcommand shares: global options, the lazily opened store and the acting
// user's AppContext, and output helpers (aligned tables with CJK display width, or JSON).
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "app/context.h"
#include "core/args.h"
#include "core/i18n.h"
#include "core/time_input.h"
#include "core/workflow.h"

namespace jc::cli {

struct Env {
    std::filesystem::path dataDir;
    std::string asUser;  // --as USER
    bool json = false;   // --json
    std::string passphraseFile;  // --passphrase-file FILE

    // The passphrase of this store: --passphrase-file, else $JIANCHA_PASSPHRASE, else asked on
    // the terminal (twice when `confirm`: a new store) — never from the command line, where
    // other users could read it. Throws UsageError when there is no source.
    std::string passphrase(bool confirm = false);
    // A replacement passphrase (`passphrase change`, recovery): `file` (--new-passphrase-file),
    // else $JIANCHA_NEW_PASSPHRASE, else asked twice on the terminal.
    std::string newPassphrase(const std::string& file);

    Store& store();       // opens (creating the directory) on first use
    AppContext& ctx();    // needs an initialised user
    bool storeExists() const;
    void requireStore() const;  // UsageError telling how to create the store

private:
    std::unique_ptr<Store> m_store;
    std::unique_ptr<AppContext> m_ctx;
};

using Command = int (*)(Env&, const std::vector<std::string>&);

// One subcommand group each (files cmd_*.cpp).
int runInit(Env&, const std::vector<std::string>&);
int runDemo(Env&, const std::vector<std::string>&);
int runStatus(Env&, const std::vector<std::string>&);
int runSearch(Env&, const std::vector<std::string>&);
int runCalendar(Env&, const std::vector<std::string>&);
int runFinding(Env&, const std::vector<std::string>&);
int runComplaint(Env&, const std::vector<std::string>&);
int runRectification(Env&, const std::vector<std::string>&);
int runWarning(Env&, const std::vector<std::string>&);
int runCampaign(Env&, const std::vector<std::string>&);
int runUnit(Env&, const std::vector<std::string>&);
int runPerson(Env&, const std::vector<std::string>&);
int runUser(Env&, const std::vector<std::string>&);
int runAudit(Env&, const std::vector<std::string>&);
int runKpi(Env&, const std::vector<std::string>&);
int runEnroll(Env&, const std::vector<std::string>&);
int runSync(Env&, const std::vector<std::string>&);
int runConflict(Env&, const std::vector<std::string>&);
int runEvaluationCmd(Env&, const std::vector<std::string>&);
int runMonitor(Env&, const std::vector<std::string>&);
int runEsupervision(Env&, const std::vector<std::string>&);
// `calendar publish FILE` and `calendar years [FROM TO]` (cmd_esupervision.cpp).
int runCalendarHq(Env&, const std::string& sub, const std::vector<std::string>& rest);
int runStats(Env&, const std::vector<std::string>&);
int runExport(Env&, const std::vector<std::string>&);
int runReport(Env&, const std::vector<std::string>&);
// `protect`, `passphrase change | recovery-request | recover`, `recovery answer` (cmd_protect.cpp).
int runProtect(Env&, const std::vector<std::string>&);
int runPassphrase(Env&, const std::vector<std::string>&);
int runRecovery(Env&, const std::vector<std::string>&);

// A case id from its UUID (or, for findings, its local or official number); throws NotFoundError.
std::string resolveCaseId(Store& store, const std::string& entity, const std::string& token);

// Output
int displayWidth(const std::string& utf8);  // CJK and full-width characters count 2 columns
std::string padRight(const std::string& utf8, int width);
std::string truncateDisplay(const std::string& utf8, int width);
void printTable(const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows);
void printJson(const Json& j);
int64_t parseYuan(const std::string& s);  // "1234.5", "1234.50元", "¥12" -> fen; throws ValidationError

// Texts for people (tables, show): labels in the current language, times in China time.
// --json output keeps the codes and the stored UTC ISO times instead.
std::string statusText(Machine m, const std::string& code);  // 已提交 / submitted
std::string lightText(const std::string& light);             // 红牌 / red card
std::string timeText(const std::string& iso);                // "2026-09-28 09:00"
std::string roleText(const std::string& role);               // 检查员 / inspector
std::string entityText(const std::string& entity);           // 检查发现 / finding
// A case's history (caseHistory()): time, actor, action, new status, comment.
void printHistory(const Json& history, Machine m);
// Prints a help text from the string tables; exit status 2 when the command was given bare.
int printHelp(const char* key, bool bare);

}  // namespace jc::cli
