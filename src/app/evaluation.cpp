#include "app/evaluation.h"

#include <cmath>
#include <map>
#include <set>

#include "app/esup_queries.h"
#include "core/i18n.h"
#include "core/error.h"
#include "core/kpi.h"
#include "core/workflow.h"
#include "store/writer.h"

namespace jc {

namespace {

std::string text(Statement& s, int c) { return s.isNull(c) ? std::string() : s.getText(c); }

FieldMap loadLive(Store& store, const std::string& id) {
    FieldMap row = store.require("evaluation", id);
    if (row["deleted"].get<bool>()) throw NotFoundError(trf("eval.err_deleted", {id}));
    return row;
}

std::string str(const FieldMap& row, const char* k) {
    auto it = row.find(k);
    return it != row.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The scheme as stored in a record: indicators, grades and units in their own fields.
EvaluationScheme schemeOf(const FieldMap& row) {
    Json j = {{"indicators", row.value("indicators", Json::array())}};
    if (row.contains("grades") && row["grades"].is_object()) j["grades"] = row["grades"];
    if (row.contains("units") && row["units"].is_array()) j["units"] = row["units"];
    return parseScheme(j);
}

// Parses and checks a scheme given by the user, resolving unit names to ids.
EvaluationScheme checkedScheme(Database& db, const Json& scheme) {
    Json j = scheme;
    if (j.is_object() && j.contains("units") && j["units"].is_array()) {
        Json ids = Json::array();
        for (const auto& u : j["units"]) {
            if (!u.is_string()) throw ValidationError(tr("eval.err_units_list"));
            ids.push_back(resolveUnit(db, u.get<std::string>()));
        }
        j["units"] = ids;
    }
    return parseScheme(j);
}

FieldMap schemeFields(const EvaluationScheme& s) {
    Json j = schemeToJson(s);
    return {{"indicators", j["indicators"]}, {"grades", j["grades"]}, {"units", j["units"]}};
}

FieldMap requireDraft(AppContext& ctx, const std::string& id) {
    ctx.requireRole(kHq, tr("context.do.change_evaluation"));
    FieldMap row = loadLive(ctx.store, id);
    std::string status = str(row, "status");
    if (status != "draft")
        throw ValidationError(trf("eval.err_read_only",
                                  {id, tr(status == "published" ? "eval.status_word_published" : "eval.status_word_superseded"),
                                   std::to_string(row.value("version", 0)), str(row, "source_id")}));
    return row;
}

// [SECTION] Facts

struct ComplaintRow {
    std::string id, unit, satisfaction;
    ComplaintFacts facts;
};

bool inPeriod(const std::optional<Date>& d, const PeriodRange& p) { return d && *d >= p.first && *d <= p.last; }

void addCase(RawValue& v, const char* entity, const std::string& id) {
    if (v.cases.size() < kMaxCasesPerFigure) v.cases.push_back({entity, id});
}

}  // namespace

std::vector<std::string> caseTitles(Database& db, const std::vector<CaseLink>& cases) {
    std::vector<std::string> out;
    for (const auto& c : cases) {
        const char* sql = c.entity == "finding"         ? "SELECT title FROM finding WHERE id = ?"
                          : c.entity == "complaint"     ? "SELECT title FROM complaint WHERE id = ?"
                          : c.entity == "rectification" ? "SELECT required_action FROM rectification WHERE id = ?"
                          : c.entity == "warning"       ? "SELECT reason FROM warning WHERE id = ?"
                          : c.entity == "approval"      ? "SELECT item_name || '（' || case_number || '）' FROM approval WHERE id = ?"
                                                        : nullptr;
        std::string t;
        if (sql) {
            auto& s = db.cached(sql);
            s.bind(1, c.id);
            if (s.step() && !s.isNull(0)) t = s.getText(0);
            s.reset();
        }
        out.push_back(std::move(t));
    }
    return out;
}

std::vector<std::string> evaluationIdsMatching(Database& db, const std::string& token) {
    auto s = db.prepare("SELECT id FROM evaluation WHERE deleted = 0 AND (id = ?1 OR substr(id, -12) = ?1) LIMIT 2");
    s.bind(1, token);
    std::vector<std::string> ids;
    while (s.step()) ids.push_back(s.getText(0));
    return ids;
}

std::string resolveUnit(Database& db, const std::string& token) {
    auto s = db.prepare("SELECT id FROM unit WHERE deleted = 0 AND (id = ?1 OR name = ?1) ORDER BY id = ?1 DESC LIMIT 2");
    s.bind(1, token);
    if (!s.step()) throw NotFoundError(trf("eval.err_no_unit", {token}));
    std::string id = s.getText(0);
    if (id != token && s.step()) throw ValidationError(trf("eval.err_unit_ambiguous", {token}));
    return id;
}

std::vector<UnitRaw> gatherEvaluationRaw(Database& db, const EvaluationScheme& scheme, const std::string& campaignId,
                                         const PeriodRange& period, const Json& manual, const Date& asOf,
                                         const std::map<std::string, ApprovalFigures>& approvals) {
    // Complaints of the campaign received in the period, by respondent unit. Closing day as in
    // the statistics: the case event that closed it.
    std::map<std::string, std::vector<ComplaintRow>> complaints;
    {
        auto s = db.prepare(
            "SELECT c.id, c.respondent_unit_id, c.status, c.received_at, c.deadline, c.reply_at, c.satisfaction, "
            "(SELECT max(e.at) FROM case_event e WHERE e.entity = 'complaint' AND e.entity_id = c.id AND e.to_status = 'closed' AND e.deleted = 0) "
            "FROM complaint c WHERE c.deleted = 0 AND c.respondent_unit_id IS NOT NULL AND c.respondent_unit_id <> '' "
            "AND (?1 = '' OR c.campaign_id = ?1)");
        s.bind(1, campaignId);
        while (s.step()) {
            auto received = chinaDateOf(text(s, 3));
            if (!inPeriod(received, period)) continue;
            ComplaintRow r{s.getText(0), s.getText(1), text(s, 6), {text(s, 2), *received}};
            if (!s.isNull(4)) r.facts.deadline = Date::tryParse(s.getText(4));
            r.facts.repliedOn = chinaDateOf(text(s, 5));
            r.facts.closedOn = chinaDateOf(text(s, 7));
            complaints[r.unit].push_back(std::move(r));
        }
    }
    struct Rect {
        std::string id, status;
        Date deadline;
        std::optional<Date> doneOn;
    };
    std::map<std::string, std::vector<Rect>> rects;
    {
        auto s = db.prepare(
            "SELECT r.id, r.responsible_unit_id, r.status, r.deadline, coalesce(r.reported_at, r.verified_at) "
            "FROM rectification r JOIN finding f ON f.id = r.finding_id WHERE r.deleted = 0 "
            "AND r.responsible_unit_id IS NOT NULL AND r.responsible_unit_id <> '' AND r.deadline >= ?2 AND r.deadline <= ?3 "
            "AND (?1 = '' OR f.campaign_id = ?1)");
        s.bind(1, campaignId).bind(2, period.first.str()).bind(3, period.last.str());
        while (s.step()) {
            auto d = Date::tryParse(text(s, 3));
            if (!d) continue;
            rects[s.getText(1)].push_back({s.getText(0), text(s, 2), *d, chinaDateOf(text(s, 4))});
        }
    }
    std::map<std::string, std::vector<std::string>> warnings;
    {
        auto s = db.prepare(
            "SELECT w.id, coalesce(nullif(w.target_unit_id, ''), p.unit_id), w.issued_at FROM warning w "
            "LEFT JOIN person p ON p.id = w.target_person_id WHERE w.deleted = 0");
        while (s.step()) {
            if (s.isNull(1) || !inPeriod(chinaDateOf(text(s, 2)), period)) continue;
            warnings[s.getText(1)].push_back(s.getText(0));
        }
    }
    struct FindingRow {
        std::string id, severity;
    };
    std::map<std::string, std::vector<FindingRow>> findings;
    {
        auto s = db.prepare(
            "SELECT id, subject_unit_id, coalesce(severity, ''), created_at FROM finding WHERE deleted = 0 "
            "AND subject_unit_id IS NOT NULL AND subject_unit_id <> '' AND status NOT IN ('draft', 'dismissed') "
            "AND (?1 = '' OR campaign_id = ?1)");
        s.bind(1, campaignId);
        while (s.step()) {
            if (!inPeriod(chinaDateOf(text(s, 3)), period)) continue;
            findings[s.getText(1)].push_back({s.getText(0), s.getText(2)});
        }
    }

    // The evaluated units: HQ's list, else departments and township governments with cases.
    std::vector<std::pair<std::string, std::string>> units;  // id, name
    {
        std::set<std::string> withCases;
        for (const auto& [u, _] : complaints) withCases.insert(u);
        for (const auto& [u, _] : rects) withCases.insert(u);
        for (const auto& [u, _] : warnings) withCases.insert(u);
        for (const auto& [u, _] : findings) withCases.insert(u);
        for (const auto& [u, a] : approvals)
            if (a.counted > 0) withCases.insert(u);
        auto s = db.prepare("SELECT id, name, kind FROM unit WHERE deleted = 0 ORDER BY name, id");
        std::map<std::string, std::pair<std::string, std::string>> all;
        while (s.step()) all[s.getText(0)] = {text(s, 1), text(s, 2)};
        if (!scheme.units.empty()) {
            for (const auto& id : scheme.units) {
                auto it = all.find(id);
                if (it == all.end()) throw NotFoundError(trf("eval.err_unit_missing", {id}));
                units.push_back({id, it->second.first});
            }
        } else {
            for (const auto& [id, nk] : all)
                if ((nk.second == "department" || nk.second == "township_gov") && withCases.count(id))
                    units.push_back({id, nk.first});
        }
    }

    std::vector<UnitRaw> out;
    for (const auto& [unitId, unitName] : units) {
        UnitRaw ur{unitId, unitName, {}};
        const auto& cs = complaints[unitId];
        std::vector<ComplaintFacts> facts;
        for (const auto& c : cs) facts.push_back(c.facts);
        ComplaintKpi k = complaintKpi(facts);
        for (const Indicator& ind : scheme.indicators) {
            RawValue v;
            const std::string& src = ind.source;
            if (src == "complaint_response_rate") {
                if (k.total > 0) v.value = k.responseRate * 100.0;
                v.detail = std::to_string(k.replied) + "/" + std::to_string(k.total) + " 已回复";
                for (const auto& c : cs) addCase(v, "complaint", c.id);
            } else if (src == "on_time_rate") {
                if (k.closed > 0) v.value = k.onTimeRate * 100.0;
                v.detail = std::to_string(k.onTimeClosed) + "/" + std::to_string(k.closed) + " 按期办结";
                for (const auto& c : cs)
                    if (c.facts.closedOn || c.facts.status == "closed") addCase(v, "complaint", c.id);
            } else if (src == "rectification_completion_rate") {
                const auto& rs = rects[unitId];
                int done = 0;
                for (const auto& r : rs) {
                    done += r.status == "verified";
                    addCase(v, "rectification", r.id);
                }
                if (!rs.empty()) v.value = 100.0 * done / static_cast<double>(rs.size());
                v.detail = std::to_string(done) + "/" + std::to_string(rs.size()) + " 已验收";
            } else if (src == "rectifications_overdue") {
                int overdue = 0;
                for (const auto& r : rects[unitId]) {
                    bool late = r.deadline < asOf && !(r.doneOn && *r.doneOn <= r.deadline);
                    if (!late) continue;
                    ++overdue;
                    addCase(v, "rectification", r.id);
                }
                v.value = overdue;
                v.detail = std::to_string(overdue) + " 件逾期";
            } else if (src == "warnings_received") {
                const auto& ws = warnings[unitId];
                for (const auto& w : ws) addCase(v, "warning", w);
                v.value = static_cast<double>(ws.size());
                v.detail = std::to_string(ws.size()) + " 次告诫";
            } else if (src == "satisfaction") {
                double sum = 0;
                int n = 0;
                for (const auto& c : cs) {
                    double s = c.satisfaction == "satisfied" ? 100 : c.satisfaction == "basically_satisfied" ? 50
                               : c.satisfaction == "dissatisfied"                                            ? 0
                                                                                                             : -1;
                    if (s < 0) continue;
                    sum += s;
                    ++n;
                    addCase(v, "complaint", c.id);
                }
                if (n > 0) v.value = sum / n;
                v.detail = std::to_string(n) + " 人表态";
            } else if (src == "findings_weighted") {
                double w = 0;
                for (const auto& f : findings[unitId]) {
                    w += severityWeight(f.severity);
                    addCase(v, "finding", f.id);
                }
                v.value = w;
                v.detail = std::to_string(findings[unitId].size()) + " 件发现";
            } else if (src == "approval_on_time_rate") {
                auto it = approvals.find(unitId);
                int on = it == approvals.end() ? 0 : it->second.onTime, n = it == approvals.end() ? 0 : it->second.counted;
                if (n > 0) v.value = 100.0 * on / n;
                v.detail = std::to_string(on) + "/" + std::to_string(n) + " 按期办结";
                if (it != approvals.end())
                    for (const auto& id : it->second.ids) addCase(v, "approval", id);
            } else if (src == "manual") {
                const Json* e = nullptr;
                if (manual.is_object() && manual.contains(ind.code) && manual[ind.code].contains(unitId))
                    e = &manual[ind.code][unitId];
                if (e && (*e)["score"].is_number()) {
                    v.value = (*e)["score"].get<double>();
                    v.detail = e->value("note", std::string());
                } else {
                    v.detail = "未录入";
                }
            }
            ur.raw.push_back(std::move(v));
        }
        out.push_back(std::move(ur));
    }
    return out;
}

Json defaultSchemeJson() {
    Json list = Json::array();
    const std::pair<const char*, int> weights[] = {{"complaint_response_rate", 20}, {"on_time_rate", 20},
                                                   {"rectification_completion_rate", 15}, {"rectifications_overdue", 10},
                                                   {"warnings_received", 10}, {"satisfaction", 10},
                                                   {"findings_weighted", 15}};
    for (const auto& [code, weight] : weights) list.push_back({{"source", code}, {"weight", weight}});
    return schemeToJson(parseScheme({{"indicators", list}}));
}

std::string addEvaluation(AppContext& ctx, const std::string& campaignId, const std::string& period,
                          const std::string& title, const Json& scheme) {
    ctx.requireRole(kHq, tr("context.do.define_scheme"));
    parsePeriod(period);
    Transaction tx(ctx.store.db());
    FieldMap campaign = ctx.store.require("campaign", campaignId);
    EvaluationScheme s = checkedScheme(ctx.store.db(), scheme);
    FieldMap f = schemeFields(s);
    std::string t = title.empty() && scheme.is_object() ? scheme.value("title", std::string()) : title;
    if (t.empty()) t = str(campaign, "title") + " " + period + " 行政效能评估";
    f["title"] = t;
    f["period"] = period;
    f["campaign_id"] = campaignId;
    f["status"] = "draft";
    f["version"] = 0;
    f["manual"] = Json::object();
    ChangeWriter w(ctx.store, tx, ctx.actor.name);
    std::string id = w.insert("evaluation", f);
    tx.commit();
    return id;
}

void updateEvaluationScheme(AppContext& ctx, const std::string& id, const Json& scheme) {
    Transaction tx(ctx.store.db());
    requireDraft(ctx, id);
    FieldMap f = schemeFields(checkedScheme(ctx.store.db(), scheme));
    if (scheme.is_object() && scheme.contains("title") && scheme["title"].is_string() && !scheme["title"].get<std::string>().empty())
        f["title"] = scheme["title"];
    f["scores"] = nullptr;
    f["run_at"] = nullptr;
    ChangeWriter(ctx.store, tx, ctx.actor.name).update("evaluation", id, f);
    tx.commit();
}

void setManualScore(AppContext& ctx, const std::string& id, const std::string& code, const std::string& unit,
                    double score, const std::string& note) {
    if (!std::isfinite(score) || score < 0 || score > 100) throw ValidationError(tr("eval.err_score_range"));
    if (note.size() > 2000) throw ValidationError(tr("eval.err_note_long"));
    Transaction tx(ctx.store.db());
    FieldMap row = requireDraft(ctx, id);
    EvaluationScheme s = schemeOf(row);
    bool found = false;
    for (const auto& i : s.indicators)
        if (i.code == code) {
            if (i.source != "manual") throw ValidationError(trf("eval.err_computed", {code}));
            found = true;
        }
    if (!found) throw NotFoundError(trf("eval.err_no_indicator", {code}));
    std::string unitId = resolveUnit(ctx.store.db(), unit);
    Json manual = row["manual"].is_object() ? row["manual"] : Json::object();
    manual[code][unitId] = {{"score", score}, {"note", note}};
    ChangeWriter(ctx.store, tx, ctx.actor.name).update("evaluation", id, {{"manual", manual}, {"scores", nullptr}, {"run_at", nullptr}});
    tx.commit();
}

void runEvaluation(AppContext& ctx, const std::string& id) {
    Transaction tx(ctx.store.db());
    FieldMap row = requireDraft(ctx, id);
    EvaluationScheme s = schemeOf(row);
    PeriodRange p = parsePeriod(str(row, "period"));
    Date asOf = std::min(ctx.today(), p.last.plusDays(1));
    std::map<std::string, ApprovalFigures> approvals;
    bool wantsApprovals = false;
    for (const auto& i : s.indicators) wantsApprovals = wantsApprovals || i.source == "approval_on_time_rate";
    if (wantsApprovals) {
        // The rate as electronic supervision defines it; the records behind it for the breakdown.
        for (const auto& r : approvalOnTimeRates(ctx, p.first.str(), p.last.str()))
            if (!r.unitId.empty()) approvals[r.unitId] = {r.onTime, r.finished + r.openOverdue, {}};
        ApprovalFilter all;
        all.limit = 200'000;
        for (const auto& r : listApprovals(ctx, all)) {
            auto day = chinaDateOf(r.receivedAt);
            if (r.unitId.empty() || !day || *day < p.first || *day > p.last) continue;
            if (r.light == "done" || r.light == "late" || r.light == "red") approvals[r.unitId].ids.push_back(r.id);
        }
    }
    auto raw = gatherEvaluationRaw(ctx.store.db(), s, str(row, "campaign_id"), p, row["manual"], asOf, approvals);
    if (raw.empty())
        throw ValidationError(trf("eval.err_no_units", {str(row, "period")}));
    auto results = scoreUnits(s, raw);
    ChangeWriter(ctx.store, tx, ctx.actor.name).update("evaluation", id, {{"scores", resultsToJson(results)}, {"run_at", nowIso()}});
    tx.commit();
}

std::string publishEvaluation(AppContext& ctx, const std::string& id) {
    Transaction tx(ctx.store.db());
    FieldMap row = requireDraft(ctx, id);
    if (!row["run_at"].is_string() || !row["scores"].is_array())
        throw ValidationError(trf("eval.err_not_run", {id}));
    std::string campaign = str(row, "campaign_id"), period = str(row, "period");
    ChangeWriter w(ctx.store, tx, ctx.actor.name);
    int version = 0;
    {
        auto s = ctx.store.db().prepare(
            "SELECT id, status, version FROM evaluation WHERE deleted = 0 AND coalesce(campaign_id, '') = ? AND period = ? "
            "AND status IN ('published', 'superseded')");
        s.bind(1, campaign).bind(2, period);
        std::vector<std::string> current;
        while (s.step()) {
            version = std::max(version, static_cast<int>(s.getInt(2)));
            if (s.getText(1) == "published") current.push_back(s.getText(0));
        }
        s.reset();
        for (const auto& old : current) w.update("evaluation", old, {{"status", "superseded"}});
    }
    FieldMap f;
    for (const char* k : {"title", "period", "campaign_id", "indicators", "grades", "units", "manual", "scores", "run_at"})
        f[k] = row[k];
    f["status"] = "published";
    f["version"] = version + 1;
    f["published_at"] = nowIso();
    f["published_by"] = ctx.actor.name;
    f["source_id"] = id;
    std::string pub = w.insert("evaluation", f);
    w.update("evaluation", id, {{"version", version + 1}});
    tx.commit();
    return pub;
}

std::vector<EvaluationSummary> listEvaluations(Database& db, bool includeDrafts) {
    auto s = db.prepare(
        "SELECT e.id, e.title, e.period, coalesce(e.campaign_id, ''), coalesce(c.title, ''), coalesce(e.status, 'draft'), "
        "coalesce(e.run_at, ''), coalesce(e.published_at, ''), coalesce(e.published_by, ''), coalesce(e.source_id, ''), "
        "coalesce(e.version, 0), coalesce(json_array_length(e.scores), 0) FROM evaluation e "
        "LEFT JOIN campaign c ON c.id = e.campaign_id WHERE e.deleted = 0" +
        std::string(includeDrafts ? "" : " AND e.status IN ('published', 'superseded')") +
        " ORDER BY e.period DESC, e.campaign_id, e.status = 'draft' DESC, e.version DESC, e.created_at DESC");
    std::vector<EvaluationSummary> out;
    while (s.step())
        out.push_back({s.getText(0), text(s, 1), text(s, 2), s.getText(3), s.getText(4), s.getText(5), s.getText(6),
                       s.getText(7), s.getText(8), s.getText(9), static_cast<int>(s.getInt(10)),
                       static_cast<int>(s.getInt(11))});
    return out;
}

EvaluationDetail loadEvaluation(Database& db, const std::string& id) {
    auto s = db.prepare(
        "SELECT e.id, e.title, e.period, coalesce(e.campaign_id, ''), coalesce(c.title, ''), coalesce(e.status, 'draft'), "
        "coalesce(e.run_at, ''), coalesce(e.published_at, ''), coalesce(e.published_by, ''), coalesce(e.source_id, ''), "
        "coalesce(e.version, 0), e.indicators, e.grades, e.units, e.manual, e.scores FROM evaluation e "
        "LEFT JOIN campaign c ON c.id = e.campaign_id WHERE e.deleted = 0 AND e.id = ?");
    s.bind(1, id);
    if (!s.step()) throw NotFoundError(trf("eval.err_not_found", {id}));
    EvaluationDetail d;
    d.summary = {s.getText(0), text(s, 1), text(s, 2), s.getText(3), s.getText(4), s.getText(5), s.getText(6),
                 s.getText(7), s.getText(8), s.getText(9), static_cast<int>(s.getInt(10)), 0};
    auto json = [&](int c, Json fallback) {
        if (s.isNull(c)) return fallback;
        Json j = Json::parse(s.getText(c), nullptr, false);
        return j.is_discarded() ? fallback : j;
    };
    Json scheme = {{"indicators", json(11, Json::array())}};
    if (Json g = json(12, Json()); g.is_object()) scheme["grades"] = g;
    if (Json u = json(13, Json()); u.is_array()) scheme["units"] = u;
    d.scheme = parseScheme(scheme);
    d.manual = json(14, Json::object());
    d.results = resultsFromJson(json(15, Json::array()));
    d.summary.units = static_cast<int>(d.results.size());
    return d;
}

Json evaluationToJson(const EvaluationDetail& d) {
    const auto& m = d.summary;
    Json indicators = schemeToJson(d.scheme)["indicators"];
    for (size_t i = 0; i < indicators.size(); ++i) {
        indicators[i]["rule_text"] = describeRule(d.scheme.indicators[i].rule, true);
        if (const IndicatorSource* src = findIndicatorSource(d.scheme.indicators[i].source)) {
            indicators[i]["unit"] = src->unit;
            indicators[i]["definition"] = src->definition;
        }
    }
    Json results = resultsToJson(d.results);
    for (auto& r : results) r["grade_label"] = gradeLabel(r["grade"].get<std::string>(), true);
    return {{"id", m.id},
            {"title", m.title},
            {"period", m.period},
            {"campaign_id", m.campaignId},
            {"campaign", m.campaignTitle},
            {"status", m.status},
            {"version", m.version},
            {"run_at", m.runAt},
            {"published_at", m.publishedAt},
            {"published_by", m.publishedBy},
            {"source_id", m.sourceId},
            {"indicators", indicators},
            {"grades", schemeToJson(d.scheme)["grades"]},
            {"units", d.scheme.units},
            {"manual", d.manual},
            {"results", results}};
}

}  // namespace jc
