#include "app/queries.h"

#include "app/calendar_commands.h"
#include "core/china_time.h"
#include "core/i18n.h"
#include "core/error.h"
#include "core/workflow.h"
#include "store/search_index.h"

namespace jc {

std::string chinaDayStartUtc(const Date& d) { return isoTimestamp(chinaDayStartMs(d)); }

std::string chinaDaySql(const std::string& expr) { return "date(" + expr + ", '+8 hours')"; }

std::string findingAcceptedAtSql(const std::string& alias) {
    return "(SELECT min(e.at) FROM case_event e WHERE e.entity = 'finding' AND e.entity_id = " + alias +
           ".id AND e.to_status = 'accepted' AND e.deleted = 0)";
}

namespace {
// An open case's deadline as the lists show it: working days left, the light, and the note
// when the rule moved it (a complaint row or a rectification row).
template <class Row>
void fillDeadline(Row& r, const WorkCalendar& cal, const Date& today) {
    Date d = Date::parse(r.deadline);
    r.workdaysLeft = cal.workdaysRemaining(today, d);
    r.light = std::string(lightCode(cal.light(today, d)));
    r.byRule = byRuleNote(cal, today, d, false);
}

std::string findingSortColumn(const std::string& s) {
    static const std::map<std::string, std::string> cols = {
        {"local_number", "f.local_number"}, {"title", "f.title"},       {"category", "f.category"},
        {"area", "f.area"},                 {"status", "f.status"},     {"severity", "f.severity"},
        {"region", "f.region_code"},        {"assignee", "f.assignee"}, {"created_at", "f.created_at"},
        {"updated_at", "f.updated_at"},     {"official_number", "f.official_number"}};
    auto it = cols.find(s);
    if (it == cols.end()) throw ValidationError(trf("query.err_sort", {s}));
    return it->second;
}

using Where = SqlWhere;

// The search filter of the findings list. The index gives the matching rowids cheaply
// (searchRowids); the question is how to meet them with the findings. Looking every match up
// through search_rowid costs ~2 µs a match: fine for a rare word, ~50 ms for a common word in
// 100,000 findings. A page in date order can instead walk the date index and probe each finding's
// rowid against the matches, stopping after one page: about (offset + limit) · N / matches rows,
// ~3 ms for that common word but a full scan for a rare one. So walk only when a page is wanted
// in date order and the walk is expected to be the shorter of the two.
void addSearchFilter(Database& db, const FindingFilter& f, bool forPage, Where& w) {
    std::vector<int64_t> rids = searchRowids(db, f.search);
    if (rids.empty()) {
        w.sql += " AND 0";
        return;
    }
    std::string list = "[";
    for (int64_t r : rids) list += std::to_string(r) + ',';
    list.back() = ']';
    double m = static_cast<double>(rids.size());
    double n = static_cast<double>(db.queryInt("SELECT max(rowid) FROM finding", 0));  // O(log n) size estimate
    bool walk = forPage && f.sortBy == "created_at" && static_cast<double>(f.offset + f.limit) * n / m < m;
    if (walk)
        w.add("(SELECT sr.rid FROM search_rowid sr WHERE sr.entity_id = f.id) IN (SELECT value FROM json_each(?))", list);
    else
        w.add("f.id IN (SELECT sr.entity_id FROM search_rowid sr WHERE sr.rid IN (SELECT value FROM json_each(?)))", list);
}

Where findingWhere(Database& db, const FindingFilter& f, const std::string& today, bool forPage) {
    Where w;
    if (!f.campaignId.empty()) w.add("f.campaign_id = ?", f.campaignId);
    if (!f.status.empty()) w.add("f.status = ?", f.status);
    if (!f.category.empty()) w.add("f.category = ?", f.category);
    if (!f.area.empty()) w.add("f.area = ?", f.area);
    if (!f.assignee.empty()) w.add("f.assignee = ?", f.assignee);
    if (!f.regionPrefix.empty()) {
        // Range on the code keeps the index usable: prefix <= code < prefix + 1 digit past '9'.
        w.add("f.region_code >= ?", f.regionPrefix);
        w.add("f.region_code < ?", f.regionPrefix + ":");
    }
    if (f.overdueOnly)
        w.add("EXISTS (SELECT 1 FROM rectification r WHERE r.finding_id = f.id AND r.deleted = 0 AND "
              "r.status IN ('ordered', 'overdue') AND r.deadline < ?)",
              today);
    if (!f.severity.empty()) w.add("f.severity = ?", f.severity);
    if (!f.misconductType.empty())
        w.add("EXISTS (SELECT 1 FROM json_each(f.misconduct_types) m WHERE m.value = ?)", f.misconductType);
    if (!f.subjectUnitId.empty()) w.add("f.subject_unit_id = ?", f.subjectUnitId);
    if (!f.teamId.empty()) w.add("f.assignee IN (SELECT u.name FROM user u WHERE u.team_id = ? AND u.deleted = 0)", f.teamId);
    if (!f.dateFrom.empty() || !f.dateTo.empty()) {
        if (f.dateBasis != "recorded" && f.dateBasis != "accepted")
            throw ValidationError(trf("stats.err_basis", {f.dateBasis}));
        std::string col = f.dateBasis == "recorded" ? "f.created_at" : findingAcceptedAtSql("f");
        if (!f.dateFrom.empty()) w.add(col + " >= ?", chinaDayStartUtc(Date::parse(f.dateFrom)));
        if (!f.dateTo.empty()) w.add(col + " < ?", chinaDayStartUtc(Date::parse(f.dateTo).plusDays(1)));
    }
    if (!f.search.empty()) addSearchFilter(db, f, forPage, w);
    return w;
}

Where complaintWhere(const ComplaintFilter& f) {
    Where w;
    w.sql = " WHERE c.deleted = 0";
    if (!f.status.empty()) w.add("c.status = ?", f.status);
    if (!f.assignee.empty()) w.add("c.assignee = ?", f.assignee);
    if (!f.campaignId.empty()) w.add("c.campaign_id = ?", f.campaignId);
    if (f.openOnly) w.sql += " AND c.status <> 'closed'";
    if (!f.regionPrefix.empty()) {
        w.add("c.region_code >= ?", f.regionPrefix);
        w.add("c.region_code < ?", f.regionPrefix + ":");
    }
    if (!f.category.empty()) w.add("c.category = ?", f.category);
    if (!f.respondentUnitId.empty()) w.add("c.respondent_unit_id = ?", f.respondentUnitId);
    if (!f.teamId.empty()) w.add("c.assignee IN (SELECT u.name FROM user u WHERE u.team_id = ? AND u.deleted = 0)", f.teamId);
    if (!f.dateFrom.empty()) w.add("c.received_at >= ?", chinaDayStartUtc(Date::parse(f.dateFrom)));
    if (!f.dateTo.empty()) w.add("c.received_at < ?", chinaDayStartUtc(Date::parse(f.dateTo).plusDays(1)));
    return w;
}


std::string text(Statement& s, int c) { return s.isNull(c) ? std::string() : s.getText(c); }
}  // namespace

void bindAll(Statement& s, const std::vector<Json>& args, int first) {
    for (size_t i = 0; i < args.size(); ++i) s.bindJson(first + static_cast<int>(i), args[i]);
}

SqlWhere findingFilterSql(Database& db, const FindingFilter& f, const std::string& today) { return findingWhere(db, f, today, false); }
SqlWhere complaintFilterSql(const ComplaintFilter& f) { return complaintWhere(f); }

std::vector<FindingRow> listFindings(Database& db, const FindingFilter& f, const std::string& today) {
    if (f.limit < 0 || f.limit > kMaxListLimit) throw ValidationError(trf("query.err_limit", {std::to_string(kMaxListLimit)}));
    Where w = findingWhere(db, f, today, true);
    std::string sql =
        "SELECT f.id, f.local_number, f.official_number, f.title, f.category, f.area, f.status, f.severity, "
        "f.region_code, r.name, f.assignee, f.created_by, f.created_at, f.updated_at FROM finding f "
        "LEFT JOIN region r ON r.code = f.region_code" +
        w.sql + " ORDER BY " + findingSortColumn(f.sortBy) + (f.descending ? " DESC" : " ASC") + ", f.id" +
        (f.descending ? " DESC" : " ASC") + " LIMIT ? OFFSET ?";
    auto s = db.prepare(sql);
    bindAll(s, w.args);
    s.bind(static_cast<int>(w.args.size() + 1), f.limit).bind(static_cast<int>(w.args.size() + 2), f.offset);
    std::vector<FindingRow> out;
    while (s.step())
        out.push_back({s.getText(0), text(s, 1), text(s, 2), text(s, 3), text(s, 4), text(s, 5), text(s, 6), text(s, 7),
                       text(s, 8), text(s, 9), text(s, 10), text(s, 11), text(s, 12), text(s, 13)});
    return out;
}

int64_t countFindings(Database& db, const FindingFilter& f, const std::string& today) {
    Where w = findingWhere(db, f, today, false);
    auto s = db.prepare("SELECT count(*) FROM finding f" + w.sql);
    bindAll(s, w.args);
    return s.step() ? s.getInt(0) : 0;
}

int64_t countComplaints(Database& db, const ComplaintFilter& f) {
    Where w = complaintWhere(f);
    auto s = db.prepare("SELECT count(*) FROM complaint c" + w.sql);
    bindAll(s, w.args);
    return s.step() ? s.getInt(0) : 0;
}

std::vector<ComplaintRow> listComplaints(Database& db, const ComplaintFilter& f, const WorkCalendar& cal, const Date& today) {
    Where w = complaintWhere(f);
    auto s = db.prepare(
        "SELECT c.id, c.title, c.channel, c.status, c.assignee, c.first_contact_handler, c.received_at, c.deadline, "
        "c.reply_at, c.anonymous FROM complaint c" +
        w.sql + " ORDER BY (c.status = 'closed'), c.deadline, c.received_at LIMIT ? OFFSET ?");
    bindAll(s, w.args);
    s.bind(static_cast<int>(w.args.size() + 1), f.limit).bind(static_cast<int>(w.args.size() + 2), f.offset);
    std::vector<ComplaintRow> out;
    while (s.step()) {
        ComplaintRow r{s.getText(0), text(s, 1), text(s, 2), text(s, 3), text(s, 4), text(s, 5),
                       text(s, 6),   text(s, 7), text(s, 8), s.getInt(9) != 0};
        if (r.status != "closed" && !r.deadline.empty()) fillDeadline(r, cal, today);
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<RectificationRow> listRectifications(Database& db, const WorkCalendar& cal, const Date& today,
                                                 const std::string& status) {
    std::string sql =
        "SELECT r.id, r.finding_id, f.title, r.required_action, r.status, r.deadline, u.name FROM rectification r "
        "LEFT JOIN finding f ON f.id = r.finding_id LEFT JOIN unit u ON u.id = r.responsible_unit_id "
        "WHERE r.deleted = 0" +
        std::string(status.empty() ? "" : " AND r.status = ?") + " ORDER BY r.deadline";
    auto s = db.prepare(sql);
    if (!status.empty()) s.bind(1, status);
    std::vector<RectificationRow> out;
    while (s.step()) {
        RectificationRow r{s.getText(0), s.getText(1), text(s, 2), text(s, 3), text(s, 4), text(s, 5), text(s, 6)};
        if (r.status != "verified") fillDeadline(r, cal, today);
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<WarningRow> listWarnings(Database& db) {
    auto s = db.prepare(
        "SELECT w.id, w.level, w.reason, coalesce(p.name, '') || CASE WHEN p.name IS NOT NULL AND u.name IS NOT NULL "
        "THEN ' / ' ELSE '' END || coalesce(u.name, ''), w.issued_by, w.issued_at, w.acknowledged_at, w.linked_entity, "
        "w.linked_id FROM warning w LEFT JOIN person p ON p.id = w.target_person_id "
        "LEFT JOIN unit u ON u.id = w.target_unit_id WHERE w.deleted = 0 ORDER BY w.issued_at DESC");
    std::vector<WarningRow> out;
    while (s.step())
        out.push_back({s.getText(0), text(s, 1), text(s, 2), text(s, 3), text(s, 4), text(s, 5), text(s, 6), text(s, 7),
                       text(s, 8)});
    return out;
}

StoreStatus storeStatus(Database& db) {
    StoreStatus st;
    for (const auto& def : allEntities()) {
        st.totals[def.name] = db.queryInt(std::string("SELECT count(*) FROM ") + def.name + " WHERE deleted = 0");
        if (!def.field("status")) continue;
        auto s = db.prepare(std::string("SELECT status, count(*) FROM ") + def.name +
                            " WHERE deleted = 0 GROUP BY status ORDER BY status");
        while (s.step()) st.byStatus[def.name][s.getText(0)] = s.getInt(1);
    }
    st.outboxPending = db.queryInt("SELECT count(*) FROM outbox");
    st.schemaVersion = static_cast<int>(db.queryInt("PRAGMA user_version"));
    return st;
}

std::vector<Json> caseHistory(Database& db, const std::string& entity, const std::string& id) {
    auto s = db.prepare(
        "SELECT at, actor, action, from_status, to_status, comment, detail, device_time, time_suspect FROM case_event "
        "WHERE entity = ? AND entity_id = ? AND deleted = 0 ORDER BY at, id");
    s.bind(1, entity).bind(2, id);
    std::vector<Json> out;
    while (s.step()) {
        Json e = {{"at", s.getText(0)}, {"actor", s.getText(1)}, {"action", s.getText(2)}};
        if (!s.isNull(3)) e["from"] = s.getText(3);
        if (!s.isNull(4)) e["to"] = s.getText(4);
        if (!s.isNull(5)) e["comment"] = s.getText(5);
        if (!s.isNull(6)) e["detail"] = Json::parse(s.getText(6), nullptr, false);
        // The device's own clock when it differed from the recorded (HQ) time, and 时间存疑.
        if (!s.isNull(7)) e["device_time"] = s.getText(7);
        if (!s.isNull(8) && s.getInt(8) != 0) e["time_suspect"] = true;
        out.push_back(std::move(e));
    }
    return out;
}

std::string regionName(Database& db, const std::string& code) {
    auto& s = db.cached("SELECT name FROM region WHERE code = ?");
    s.bind(1, code);
    std::string name = s.step() ? s.getText(0) : std::string();
    s.reset();
    return name;
}

std::vector<std::string> caseIdsNamed(Database& db, const std::string& entity, const std::string& token, bool liveOnly,
                                      int limit) {
    if (entity != "finding" && entity != "complaint" && entity != "rectification" && entity != "warning")
        throw UsageError("caseIdsNamed: " + entity + " is not a case");
    auto s = db.prepare("SELECT id FROM " + entity + " WHERE (id = ?1" +
                        (entity == "finding" ? " OR local_number = ?1 OR official_number = ?1" : "") + ")" +
                        (liveOnly ? " AND deleted = 0" : "") + " LIMIT ?2");
    s.bind(1, token).bind(2, static_cast<int64_t>(limit));
    std::vector<std::string> ids;
    while (s.step()) ids.push_back(s.getText(0));
    return ids;
}

std::optional<std::string> findNamedId(Database& db, const std::string& entity, const std::string& token) {
    if (entity != "campaign" && entity != "unit" && entity != "team")
        throw UsageError("findNamedId: " + entity + " has no name to look up");
    auto s = db.prepare("SELECT id FROM " + entity + " WHERE deleted = 0 AND (id = ?1 OR " +
                        (entity == "campaign" ? "title" : "name") + " = ?1) ORDER BY created_at LIMIT 1");
    s.bind(1, token);
    if (!s.step()) return std::nullopt;
    return s.getText(0);
}

}  // namespace jc
