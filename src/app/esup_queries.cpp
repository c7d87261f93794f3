#include "app/esup_queries.h"

#include <algorithm>

#include "app/calendar_commands.h"
#include "core/i18n.h"
#include "core/error.h"

namespace jc {

namespace {
int lightOrder(const std::string& l) {
    if (l == "red") return 0;
    if (l == "yellow") return 1;
    if (l == "green") return 2;
    if (l == "late") return 3;
    return 4;
}

std::string chinaDay(const std::string& iso) {
    auto d = chinaDateOf(iso);
    return d ? d->str() : std::string();
}
}  // namespace

std::string approvalLight(const WorkCalendar& cal, const Date& today, const std::string& deadline, int promised,
                          const std::string& finishedAt, int* workdaysLeft) {
    auto due = Date::tryParse(deadline);
    if (!due) return finishedAt.empty() ? "green" : "done";
    if (!finishedAt.empty()) {
        auto day = Date::tryParse(chinaDay(finishedAt));
        return day && *day > *due ? "late" : "done";
    }
    int left = cal.workdaysRemaining(today, *due);
    if (workdaysLeft) *workdaysLeft = left;
    if (today > *due) return "red";
    // ≤ 20% of the promised time, or ≤ 1 working day.
    if (left <= 1 || left * 5 <= promised) return "yellow";
    return "green";
}

const char* approvalLightLabel(const std::string& light) {
    if (light == "red") return tr("esup.light_red");
    if (light == "yellow") return tr("esup.light_yellow");
    if (light == "green") return tr("esup.light_green");
    if (light == "late") return tr("esup.light_late");
    return tr("esup.light_done");
}

std::vector<ApprovalRow> listApprovals(AppContext& ctx, const ApprovalFilter& f) {
    const WorkCalendar& cal = *ctx.calendar;
    const Date today = ctx.today();
    std::string sql =
        "SELECT a.id, a.case_number, a.item_name, a.unit_name, coalesce(a.unit_id, ''), coalesce(a.applicant, ''), "
        "a.received_at, coalesce(a.deadline, ''), coalesce(a.finished_at, ''), coalesce(a.status, ''), "
        "coalesce(a.promised_workdays, 0), "
        "(SELECT w.id FROM warning w WHERE w.linked_entity = 'approval' AND w.linked_id = a.id AND w.deleted = 0 LIMIT "
        "1) "
        "FROM approval a WHERE a.deleted = 0";
    if (!f.unitName.empty()) sql += " AND a.unit_name = ?";
    auto s = ctx.store.db().prepare(sql);
    if (!f.unitName.empty()) s.bind(1, f.unitName);
    std::vector<ApprovalRow> rows;
    while (s.step()) {
        ApprovalRow r;
        r.id = s.getText(0);
        r.caseNumber = s.getText(1);
        r.itemName = s.getText(2);
        r.unitName = s.getText(3);
        r.unitId = s.getText(4);
        r.applicant = s.getText(5);
        r.receivedAt = s.getText(6);
        r.deadline = s.getText(7);
        r.finishedAt = s.getText(8);
        r.status = s.getText(9);
        r.promisedWorkdays = static_cast<int>(s.getInt(10));
        r.warningId = s.isNull(11) ? std::string() : s.getText(11);
        r.light = approvalLight(cal, today, r.deadline, r.promisedWorkdays, r.finishedAt, &r.workdaysLeft);
        if (!f.light.empty() && f.light != r.light &&
            !(f.light == "open" && (r.light == "red" || r.light == "yellow" || r.light == "green")))
            continue;
        auto start = Date::tryParse(chinaDay(r.receivedAt));
        auto due = Date::tryParse(r.deadline);
        if (start && due) r.byRule = byRuleNote(cal, *start, *due, false);
        rows.push_back(std::move(r));
    }
    std::stable_sort(rows.begin(), rows.end(), [](const ApprovalRow& a, const ApprovalRow& b) {
        int la = lightOrder(a.light), lb = lightOrder(b.light);
        if (la != lb) return la < lb;
        if (a.deadline != b.deadline) return a.deadline < b.deadline;
        return a.caseNumber < b.caseNumber;
    });
    size_t off = std::min(rows.size(), static_cast<size_t>(std::max(0, f.offset)));
    size_t end = std::min(rows.size(), off + static_cast<size_t>(std::clamp(f.limit, 1, 200'000)));
    return std::vector<ApprovalRow>(rows.begin() + static_cast<std::ptrdiff_t>(off),
                                    rows.begin() + static_cast<std::ptrdiff_t>(end));
}

ApprovalCounts approvalCounts(AppContext& ctx) {
    ApprovalCounts c;
    ApprovalFilter all;
    all.limit = 200'000;
    for (const auto& r : listApprovals(ctx, all)) {
        ++c.total;
        if (r.light == "red")
            ++c.red, ++c.open, c.redUnwarned += r.warningId.empty() ? 1 : 0;
        else if (r.light == "yellow")
            ++c.yellow, ++c.open;
        else if (r.light == "green")
            ++c.green, ++c.open;
        else if (r.light == "late")
            ++c.late;
        else
            ++c.done;
    }
    return c;
}

std::vector<UnitOnTimeRate> approvalOnTimeRates(AppContext& ctx, const std::string& from, const std::string& to) {
    ApprovalFilter all;
    all.limit = 200'000;
    std::map<std::string, UnitOnTimeRate> byUnit;
    for (const auto& r : listApprovals(ctx, all)) {
        std::string day = chinaDay(r.receivedAt);
        if ((!from.empty() && day < from) || (!to.empty() && day > to)) continue;
        auto& u = byUnit[r.unitName];
        u.unitName = r.unitName;
        if (u.unitId.empty()) u.unitId = r.unitId;
        if (r.light == "done")
            ++u.finished, ++u.onTime;
        else if (r.light == "late")
            ++u.finished, ++u.late;
        else if (r.light == "red")
            ++u.openOverdue;
    }
    std::vector<UnitOnTimeRate> out;
    for (auto& [name, u] : byUnit) {
        int base = u.finished + u.openOverdue;
        u.rate = base ? static_cast<double>(u.onTime) / base : 0.0;
        out.push_back(u);
    }
    return out;
}

WarningInput proposeApprovalWarning(AppContext& ctx, const std::string& approvalId) {
    ApprovalFilter all;
    all.limit = 200'000;
    for (const auto& r : listApprovals(ctx, all)) {
        if (r.id != approvalId) continue;
        if (r.light != "red")
            throw ValidationError(trf("esup.err_not_red", {r.caseNumber, approvalLightLabel(r.light)}));
        if (!r.warningId.empty())
            throw ValidationError(trf("esup.err_already_warned", {r.caseNumber, r.warningId}));
        if (r.unitId.empty()) throw ValidationError(trf("esup.err_no_unit", {r.caseNumber}));
        WarningInput in;
        in.targetUnitId = r.unitId;
        in.level = "warning";
        in.linkedEntity = "approval";
        in.linkedId = r.id;
        in.reason = r.unitName + "办理的“" + r.itemName + "”（办件编号 " + r.caseNumber + "）承诺时限 " +
                    std::to_string(r.promisedWorkdays) + " 个工作日，应于 " + r.deadline + " 前办结，至 " +
                    ctx.today().str() + " 已超期 " + std::to_string(-r.workdaysLeft) +
                    " 个工作日仍未办结，违反限时办结制，予以效能告诫。";
        return in;
    }
    throw NotFoundError(trf("esup.err_not_found", {approvalId}));
}

std::string issueApprovalWarning(AppContext& ctx, const std::string& approvalId, const std::string& reasonOverride) {
    WarningInput in = proposeApprovalWarning(ctx, approvalId);
    if (!reasonOverride.empty()) in.reason = reasonOverride;
    return issueWarning(ctx, in);
}

std::optional<std::string> findApprovalId(Database& db, const std::string& idOrCaseNumber) {
    auto& s = db.cached("SELECT id FROM approval WHERE (id = ? OR case_number = ?) AND deleted = 0 LIMIT 1");
    s.bind(1, idOrCaseNumber).bind(2, idOrCaseNumber);
    std::optional<std::string> id;
    if (s.step()) id = s.getText(0);
    s.reset();
    return id;
}

}  // namespace jc
