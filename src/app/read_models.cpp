#include "app/read_models.h"

#include <algorithm>

#include "app/finding_commands.h"
#include "app/sealing.h"
#include "app/templates.h"
#include "core/i18n.h"
#include "core/utf8.h"
#include "core/error.h"
#include "store/store.h"
#include "store/sync_state.h"

namespace jc {

namespace {
std::string text(Statement& s, int c) { return s.isNull(c) ? std::string() : s.getText(c); }

std::vector<std::string> stringList(const std::string& jsonText) {
    std::vector<std::string> out;
    Json j = Json::parse(jsonText.empty() ? "[]" : jsonText, nullptr, false);
    if (j.is_array())
        for (const auto& v : j)
            if (v.is_string()) out.push_back(v.get<std::string>());
    return out;
}

template <class T, class F> const T* findBy(const std::vector<T>& v, F pred) {
    auto it = std::find_if(v.begin(), v.end(), pred);
    return it == v.end() ? nullptr : &*it;
}
}  // namespace

// [SECTION] Session

const CampaignInfo* SessionData::campaign(const std::string& id) const {
    return findBy(campaigns, [&](const CampaignInfo& c) { return c.id == id; });
}
const UnitInfo* SessionData::unit(const std::string& id) const {
    return findBy(units, [&](const UnitInfo& c) { return c.id == id; });
}
const PersonInfo* SessionData::person(const std::string& id) const {
    return findBy(persons, [&](const PersonInfo& c) { return c.id == id; });
}
const UserInfo* SessionData::user(const std::string& name) const {
    return findBy(users, [&](const UserInfo& c) { return c.name == name; });
}
std::string SessionData::unitName(const std::string& id) const {
    const UnitInfo* u = unit(id);
    return u ? u->name : std::string();
}
std::string SessionData::personName(const std::string& id) const {
    const PersonInfo* p = person(id);
    return p ? p->name : std::string();
}

SessionData loadSession(WorkerContext& w) {
    SessionData s;
    Database& db = w.store.db();
    s.storePath = db.path();
    if (!w.hasUser()) {
        try {
            w.reloadActor("");
        } catch (const Error&) {
        }
    }
    s.hasUser = w.hasUser();
    s.actor = w.app.actor;
    {
        auto q = db.prepare(
            "SELECT id, title, status, areas, categories, region_scope, complaint_deadline_days, number_prefix "
            "FROM campaign WHERE deleted = 0 ORDER BY status <> 'active', created_at DESC");
        while (q.step()) {
            CampaignInfo c{q.getText(0), text(q, 1), text(q, 2), text(q, 7)};
            c.areas = stringList(text(q, 3));
            c.categories = stringList(text(q, 4));
            c.regionScope = stringList(text(q, 5));
            if (!q.isNull(6)) c.complaintDays = static_cast<int>(q.getInt(6));
            s.campaigns.push_back(std::move(c));
        }
    }
    {
        auto q = db.prepare("SELECT id, name, role, display_name, team_id FROM user WHERE deleted = 0 ORDER BY role, name");
        while (q.step()) s.users.push_back({q.getText(0), text(q, 1), text(q, 2), text(q, 3), text(q, 4)});
    }
    {
        auto q = db.prepare("SELECT id, name, kind, region_code FROM unit WHERE deleted = 0 ORDER BY name");
        while (q.step()) s.units.push_back({q.getText(0), text(q, 1), text(q, 2), text(q, 3)});
    }
    {
        auto q = db.prepare("SELECT id, name, unit_id, post FROM person WHERE deleted = 0 ORDER BY name");
        while (q.step()) s.persons.push_back({q.getText(0), text(q, 1), text(q, 2), text(q, 3)});
    }
    s.canSeal = !hqPublicKey(w.store).empty();
    return s;
}

StatusBarData loadStatusBar(WorkerContext& w) {
    StatusBarData d;
    d.pendingChanges = w.store.db().queryInt("SELECT count(*) FROM outbox");
    d.openConflicts =
        w.store.db().queryInt("SELECT count(*) FROM conflict WHERE deleted = 0 AND (resolution IS NULL OR resolution = '')");
    d.rejectedChanges = w.store.db().queryInt("SELECT count(*) FROM sync_rejection");
    if (d.rejectedChanges > 0) {
        for (const auto& r : listRejections(w.store.db(), kStatusBarRejections)) {
            RejectedChange c{r.entity, r.entityId, r.entity + " " + r.entityId.substr(0, 8), r.reason, r.at};
            if (r.entity == "finding" || r.entity == "complaint") {
                if (auto rec = w.store.get(r.entity, r.entityId)) {
                    std::string number = (*rec)["local_number"].is_string() ? (*rec)["local_number"].get<std::string>() : "";
                    std::string title = (*rec)["title"].is_string() ? (*rec)["title"].get<std::string>() : "";
                    c.record = (number.empty() ? "" : number + " ") + title;
                }
            }
            d.rejected.push_back(std::move(c));
        }
    }
    d.schemaVersion = w.store.schemaVersion();
    d.loaded = true;
    return d;
}

// [SECTION] Glyph scan

void forEachStoreText(Store& store, const std::function<void(const std::string&)>& f) {
    static const char* queries[] = {
        "SELECT title, narrative, address, loophole, recommendation, accountability, field_values, assignee, "
        "local_number, official_number FROM finding WHERE deleted = 0",
        "SELECT title, content, reply, outcome, assignee, first_contact_handler FROM complaint WHERE deleted = 0",
        "SELECT required_action, progress_note, verification_note, verified_by FROM rectification WHERE deleted = 0",
        "SELECT reason, issued_by FROM warning WHERE deleted = 0",
        "SELECT name, kind FROM unit WHERE deleted = 0",
        "SELECT name, post FROM person WHERE deleted = 0",
        "SELECT name, display_name FROM user WHERE deleted = 0",
        "SELECT name FROM team WHERE deleted = 0",
        "SELECT title, number_prefix FROM campaign WHERE deleted = 0",
        "SELECT title, fields FROM form_template WHERE deleted = 0",
        "SELECT caption, file_name FROM evidence WHERE deleted = 0",
        "SELECT comment, actor FROM case_event WHERE deleted = 0",
        "SELECT body FROM comment WHERE deleted = 0",
        "SELECT name FROM region",
    };
    for (const char* sql : queries) {
        auto q = store.db().prepare(sql);
        int n = q.columns();
        while (q.step())
            for (int c = 0; c < n; ++c)
                if (!q.isNull(c)) f(q.getText(c));
    }
}

// [SECTION] Cases

FormTemplate loadForm(WorkerContext& w, const std::string& category) { return currentTemplate(w.store, category); }

std::string resolveFindingId(WorkerContext& w, const std::string& token) {
    auto ids = caseIdsNamed(w.store.db(), "finding", token, true, 1);
    if (ids.empty()) throw NotFoundError(trf("finding.err_not_found", {token}));
    return ids[0];
}

FindingDetail loadFindingDetail(WorkerContext& w, const std::string& id) {
    FindingDetail d;
    d.finding = w.store.require("finding", id);
    if (d.finding.value("deleted", false)) throw NotFoundError(trf("app.err_deleted", {tr("entity.finding"), id}));
    std::string category = d.finding.value("category", std::string());
    try {
        d.form = currentTemplate(w.store, category);
        d.hasForm = true;
    } catch (const NotFoundError&) {
    }
    d.evidence = listEvidence(w.store, "finding", id);
    d.history = caseHistory(w.store.db(), "finding", id);
    std::string region = d.finding.value("region_code", Json()).is_string() ? d.finding["region_code"].get<std::string>() : "";
    if (!region.empty()) d.regionChain = regionChain(w.store.db(), region);
    for (auto& r : listRectifications(w.store.db(), *w.app.calendar, w.app.today()))
        if (r.findingId == id) d.rectifications.push_back(std::move(r));
    std::string status = d.finding.value("status", std::string());
    if ((status == "draft" || status == "returned") && d.hasForm) d.submitProblems = findingSubmitProblems(w.app, d.finding);
    return d;
}

ComplaintDetail loadComplaintDetail(WorkerContext& w, const std::string& id) {
    ComplaintDetail d;
    d.complaint = w.store.require("complaint", id);
    d.complaint.erase("complainant_sealed");  // the sealed identity never leaves the worker
    d.history = caseHistory(w.store.db(), "complaint", id);
    std::string status = d.complaint.value("status", std::string());
    if (status != "closed" && d.complaint.value("deadline", Json()).is_string()) {
        Date deadline = Date::parse(d.complaint["deadline"].get<std::string>());
        d.workdaysLeft = w.app.calendar->workdaysRemaining(w.app.today(), deadline);
        d.light = std::string(lightCode(w.app.calendar->light(w.app.today(), deadline)));
    }
    return d;
}

HomeData loadHome(WorkerContext& w) {
    HomeData h;
    Database& db = w.store.db();
    std::string today = w.app.today().str();
    const std::string& me = w.app.actor.name;
    FindingFilter f;
    f.assignee = me;
    f.limit = 8;
    f.status = "draft";
    f.sortBy = "updated_at";
    h.drafts = listFindings(db, f, today);
    f.status = "returned";
    h.returned = listFindings(db, f, today);
    bool reviewer = w.app.actor.role != Role::Inspector;
    if (reviewer) {
        FindingFilter r;
        r.status = "submitted";
        r.sortBy = "updated_at";
        r.descending = false;
        r.limit = 8;
        h.toReview = listFindings(db, r, today);
    }
    FindingFilter mine;
    mine.assignee = me;
    mine.status = "draft";
    h.myDrafts = countFindings(db, mine, today);
    mine.status = "returned";
    h.myReturned = countFindings(db, mine, today);
    if (reviewer) {
        FindingFilter r;
        r.status = "submitted";
        h.toReviewCount = countFindings(db, r, today);
    }
    ComplaintFilter c;
    c.openOnly = true;
    if (!reviewer) c.assignee = me;
    c.limit = 200;
    h.complaints = listComplaints(db, c, *w.app.calendar, w.app.today());
    for (auto& r : listRectifications(db, *w.app.calendar, w.app.today()))
        if (r.status != "verified") h.rectifications.push_back(std::move(r));
    for (auto& wr : listWarnings(db))
        if (wr.acknowledgedAt.empty()) h.warnings.push_back(std::move(wr));
    return h;
}

// [SECTION] Search excerpts

std::string excerpt(const std::string& text, const std::vector<std::string>& terms, int before, int after) {
    size_t first = std::string::npos;
    for (const auto& t : terms)
        if (!t.empty()) first = std::min(first, text.find(t));
    if (first == std::string::npos) return {};
    auto isCont = [&](size_t i) { return isUtf8Continuation(text[i]); };
    size_t start = first;
    for (int n = 0; n < before && start > 0; ++n) {
        --start;
        while (start > 0 && isCont(start)) --start;
    }
    size_t end = first;
    for (int n = 0; n < after && end < text.size(); ++n) {
        ++end;
        while (end < text.size() && isCont(end)) ++end;
    }
    std::string out = start > 0 ? "…" : "";
    for (size_t i = start; i < end;) {
        size_t hit = std::string::npos, len = 0;
        for (const auto& t : terms)
            if (!t.empty() && text.compare(i, t.size(), t) == 0 && t.size() > len) hit = i, len = t.size();
        if (hit != std::string::npos) {
            out += "[" + text.substr(i, len) + "]";
            i += len;
            continue;
        }
        char c = text[i++];
        out += (c == '\n' || c == '\r') ? ' ' : c;
    }
    if (end < text.size()) out += "…";
    return out;
}

std::vector<std::string> findingExcerpts(WorkerContext& w, const std::vector<std::string>& ids, const std::vector<std::string>& terms) {
    std::vector<std::string> out;
    out.reserve(ids.size());
    for (const auto& id : ids) {
        std::string best;
        if (auto f = w.store.get("finding", id)) {
            for (const char* key : {"narrative", "address", "loophole", "recommendation", "accountability"}) {
                auto it = f->find(key);
                if (it != f->end() && it->is_string()) best = excerpt(it->get<std::string>(), terms);
                if (!best.empty()) break;
            }
            if (best.empty() && f->contains("field_values") && (*f)["field_values"].is_object())
                for (const auto& [k, v] : (*f)["field_values"].items())
                    if (v.is_string() && !(best = excerpt(v.get<std::string>(), terms)).empty()) break;
        }
        out.push_back(std::move(best));
    }
    return out;
}

// [SECTION] Regions

std::vector<Region> loadRegionChildren(WorkerContext& w, const std::string& parent) {
    return regionChildren(w.store.db(), parent);
}

std::vector<Region> loadFindingCounties(WorkerContext& w) {
    std::vector<Region> out;
    auto q = w.store.db().prepare(
        "SELECT DISTINCT substr(region_code, 1, 6) FROM finding WHERE deleted = 0 AND region_code IS NOT NULL "
        "AND length(region_code) >= 6 ORDER BY 1");
    std::vector<std::string> codes;
    while (q.step()) codes.push_back(q.getText(0));
    for (const auto& c : codes)
        if (auto r = regionByCode(w.store.db(), c)) out.push_back(*r);
    return out;
}

// [SECTION] Conflicts

std::vector<ConflictItem> loadConflicts(WorkerContext& w, bool includeResolved, bool english) {
    std::vector<ConflictItem> out;
    for (auto& r : listConflicts(w.app, !includeResolved)) {
        ConflictItem c;
        c.winnerText = conflictValueText(w.store, r, r.winnerValue, english);
        c.loserText = conflictValueText(w.store, r, r.loserValue, english);
        if (r.recordExists && r.current == "other") c.currentText = conflictValueText(w.store, r, r.currentValue, english);
        if (!r.open()) c.resolvedText = conflictValueText(w.store, r, r.resolvedValue, english);
        c.row = std::move(r);
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace jc
