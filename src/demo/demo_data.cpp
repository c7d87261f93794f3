#include "demo/demo_data.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "app/complaint_commands.h"
#include "demo/demo_text.h"
#include "app/finding_commands.h"
#include "app/org_commands.h"
#include "app/rectification_commands.h"
#include "app/sealing.h"
#include "app/templates.h"
#include "core/china_time.h"
#include "core/domain.h"
#include "core/error.h"
#include "store/writer.h"

// Times: cases happen in office hours, China Standard Time (UTC+8), 08:30–18:00, on the working
// days of the calendar. A stamp never lies after the real clock, so when `today` is the real
// day, the day's last steps are clamped to now (content stays deterministic for a past `today`).

namespace jc {

using demo::Parties;
using demo::PersonInfo;
using demo::Rng;
using demo::Township;
using demo::UnitInfo;

struct DemoFindingSource::World {
    std::string campaignId;
    std::vector<Township> townships;
    std::vector<UnitInfo> units;
    std::vector<PersonInfo> persons;
    std::map<std::string, std::vector<size_t>> unitsByCountyRole;  // "620702|hrss" -> unit indices
    std::map<std::string, std::vector<size_t>> personsByUnit;      // unit id -> person indices
    std::map<std::string, size_t> townshipGov;                     // township code -> unit index
    int unitsCreated = 0, personsCreated = 0;
};

namespace {

using World = DemoFindingSource::World;
using Clock = std::chrono::steady_clock;

const char* const kCategoryOrder[] = {"wage_arrears", "land_acquisition", "demolition",
                                      "restructuring", "pollution", "food_drug"};

// [SECTION] Time helpers

int64_t stampMs(const Date& d, int localMinute, int sec, int ms) {
    int64_t v = chinaDayStartMs(d) + localMinute * 60'000LL + sec * 1000LL + ms;
    return std::min(v, nowMillis() - 1000);
}

std::string stamp(Rng& r, const Date& d, int localMinute) {
    int sec = r.below(60);
    int ms = r.below(1000);
    return isoTimestamp(stampMs(d, localMinute, sec, ms));
}

Date dayOf(const std::string& iso) {
    return Date::chinaDate(parseIsoTimestamp(iso).value_or(0));
}

// A case's own clock: moves forward in working days and office minutes, never past `today`.
struct CaseClock {
    Date day;
    int minute = 540;
    Date today;
    const WorkCalendar* cal = nullptr;

    // Advances by lo..hi working days (0 = later the same day). False when that is after today.
    bool advance(Rng& r, int lo, int hi) {
        int n = r.range(lo, hi);
        if (n == 0) {
            minute = std::min(minute + r.range(5, 90), 1079);
        } else {
            day = cal->addWorkdays(day, n);
            minute = r.range(510, 1070);
        }
        return day <= today;
    }
};

// [SECTION] Reference records: townships, units, persons, campaign

std::vector<Township> loadTownships(Database& db) {
    auto s = db.prepare(
        "SELECT t.code, t.name, c.code, c.name FROM region t JOIN region c ON c.code = t.parent_code "
        "WHERE t.level = 4 AND t.code LIKE '6207%' ORDER BY t.code");
    std::vector<Township> out;
    while (s.step()) {
        std::string name = s.getText(1);
        auto endsWith = [&](const char* suf) {
            std::string x(suf);
            return name.size() > x.size() && name.compare(name.size() - x.size(), x.size(), x) == 0;
        };
        if (!endsWith("镇") && !endsWith("乡") && !endsWith("街道")) continue;  // farms, parks, forest stations
        std::string county = s.getText(3);
        out.push_back({s.getText(0), name, s.getText(2), county, county.substr(0, 6)});
    }
    if (out.empty())
        throw UsageError("the store has no Zhangye (6207) townships: initialise it first (jiancha init) so the regions are loaded");
    return out;
}

std::string findId(Database& db, const std::string& sql, const std::string& a, const std::string& b = {}) {
    auto& s = db.cached(sql);
    s.bind(1, a);
    if (!b.empty()) s.bind(2, b);
    std::string id = s.step() ? s.getText(0) : std::string();
    s.reset();
    return id;
}

// Finds the demo units and persons by name, creating the missing ones (one transaction).
void buildWorld(Store& store, const std::string& actor, const Date& since, World& w) {
    w.townships = loadTownships(store.db());
    auto specs = demo::unitSpecsFor(w.townships);
    ChangeWriter::PinnedTime pin(isoTimestamp(stampMs(since, 540, 0, 0)));
    Transaction tx(store.db());
    ChangeWriter cw(store, tx, actor);
    int serial = 0;
    for (const auto& spec : specs) {
        std::string id = findId(store.db(), "SELECT id FROM unit WHERE name = ? AND deleted = 0 ORDER BY created_at LIMIT 1", spec.name);
        if (id.empty()) {
            id = cw.insert("unit", {{"name", spec.name}, {"kind", spec.kind}, {"region_code", spec.regionCode}});
            ++w.unitsCreated;
        }
        size_t ui = w.units.size();
        w.units.push_back({id, spec.name, spec.kind, spec.role, spec.regionCode, spec.countyCode});
        w.unitsByCountyRole[spec.countyCode + "|" + spec.role].push_back(ui);
        if (spec.role == "township") w.townshipGov[spec.regionCode] = ui;
        for (const auto& [name, post] : demo::personSpecsFor(spec, serial++)) {
            std::string pid = findId(store.db(), "SELECT id FROM person WHERE unit_id = ? AND name = ? AND deleted = 0 LIMIT 1", id, name);
            if (pid.empty()) {
                pid = cw.insert("person", {{"name", name}, {"unit_id", id}, {"post", post}});
                ++w.personsCreated;
            }
            w.personsByUnit[id].push_back(w.persons.size());
            w.persons.push_back({pid, name, post, id});
        }
    }
    tx.commit();
}

Json campaignFields(const Date& since, const Date& today) {
    Json all = Json::array(), cats = Json::array();
    for (const auto& a : areas()) all.push_back(a.code);
    for (const auto& c : categories()) cats.push_back(c.code);
    return {{"title", kDemoCampaignTitle}, {"areas", all}, {"categories", cats}, {"status", "active"},
            {"number_prefix", "张监"},    {"complaint_deadline_days", kDefaultComplaintWorkdays},
            {"region_scope", Json::array({"6207"})}, {"period_start", since.str()},
            {"period_end", std::max(today.plusDays(60), Date{today.year, 12, 31}).str()}};
}

// The demo campaign: an existing one with the demo title, else a new one. HQ creates it through
// the command; on a field device without HQ the generator writes it directly (demo data only).
std::string ensureCampaign(AppContext* ctx, Store& store, const std::string& actor, const Date& since, const Date& today) {
    std::string id = findId(store.db(), "SELECT id FROM campaign WHERE title = ? AND deleted = 0 ORDER BY created_at LIMIT 1",
                            kDemoCampaignTitle);
    if (!id.empty()) return id;
    Json f = campaignFields(since, today);
    ChangeWriter::PinnedTime pin(isoTimestamp(stampMs(since, 520, 0, 0)));
    if (ctx && ctx->actor.role == Role::HqAdmin) {
        CampaignInput in;
        in.title = kDemoCampaignTitle;
        in.periodStart = f["period_start"];
        in.periodEnd = f["period_end"];
        in.regionScope = {"6207"};
        return createCampaign(*ctx, in);
    }
    Transaction tx(store.db());
    id = ChangeWriter(store, tx, actor).insert("campaign", f);
    tx.commit();
    return id;
}

const std::string& categoryFor(Rng& r) {
    static const std::vector<std::string> cats(std::begin(kCategoryOrder), std::end(kCategoryOrder));
    return cats[static_cast<size_t>(r.weighted({25, 18, 15, 10, 16, 16}))];
}

const Township& pickPlace(Rng& r, const World& w) {
    static const char* const kCounties[] = {"620702", "620721", "620722", "620723", "620724", "620725"};
    const char* county = kCounties[r.weighted({35, 8, 15, 13, 14, 15})];
    std::vector<const Township*> in;
    for (const auto& t : w.townships)
        if (t.countyCode == county) in.push_back(&t);
    if (in.empty()) return w.townships[static_cast<size_t>(r.below(static_cast<int>(w.townships.size())))];
    return *in[static_cast<size_t>(r.below(static_cast<int>(in.size())))];
}

const UnitInfo* unitOf(Rng& r, const World& w, const std::string& county, const std::string& role) {
    auto it = w.unitsByCountyRole.find(county + "|" + role);
    if (it == w.unitsByCountyRole.end() || it->second.empty()) return nullptr;
    return &w.units[it->second[static_cast<size_t>(r.below(static_cast<int>(it->second.size())))]];
}

// Chooses the place, units and responsible persons of one case.
Parties castParties(Rng& r, const World& w, const std::string& category) {
    Parties p;
    p.place = &pickPlace(r, w);
    auto cast = demo::castFor(category.empty() ? "wage_arrears" : category);
    static const char* const kGeneralDepts[] = {"hrss", "land", "housing", "market"};
    const char* deptRole = category.empty() ? kGeneralDepts[r.below(4)] : cast.departmentRole;
    p.department = unitOf(r, w, p.place->countyCode, deptRole);
    p.enterprise = category == "land_acquisition" ? nullptr : unitOf(r, w, p.place->countyCode, cast.enterpriseRole);
    auto tg = w.townshipGov.find(p.place->code);
    p.townshipGov = tg == w.townshipGov.end() ? nullptr : &w.units[tg->second];
    double x = r.real(0, 1);
    if (category.empty()) p.subject = p.department;
    else if (x < cast.enterpriseIsSubject && p.enterprise) p.subject = p.enterprise;
    else if (x < cast.enterpriseIsSubject + cast.townshipIsSubject && p.townshipGov) p.subject = p.townshipGov;
    else p.subject = p.department;
    if (!p.subject) p.subject = p.townshipGov;
    if (p.subject) {
        auto pit = w.personsByUnit.find(p.subject->id);
        if (pit != w.personsByUnit.end() && !pit->second.empty()) {
            const auto& idx = pit->second;
            int n = r.weighted({2, 5, 3});  // 0, 1 or 2 responsible persons
            size_t first = static_cast<size_t>(r.below(static_cast<int>(idx.size())));
            for (int i = 0; i < n && i < static_cast<int>(idx.size()); ++i)
                p.persons.push_back(&w.persons[idx[(first + static_cast<size_t>(i)) % idx.size()]]);
        }
    }
    return p;
}

// The editable fields of a new finding (what createFinding accepts).
FieldMap findingFields(const World& w, const std::string& category, const Parties& p, const demo::FindingText& t) {
    FieldMap f = {{"campaign_id", w.campaignId},      {"category", category},          {"area", t.area},
                  {"misconduct_types", t.misconduct}, {"title", t.title},              {"narrative", t.narrative},
                  {"region_code", p.place->code},     {"address", t.address},          {"gps_lat", t.lat},
                  {"gps_lon", t.lon},                 {"field_values", t.fieldValues}, {"severity", t.severity},
                  {"loophole", t.loophole},           {"recommendation", t.recommendation}};
    if (p.subject) f["subject_unit_id"] = p.subject->id;
    if (!t.responsible.empty()) f["responsible_persons"] = t.responsible;
    if (!t.accountability.empty()) f["accountability"] = t.accountability;
    return f;
}

// A UUIDv7 for `ms` with random bits from the generator (so bulk ids are deterministic).
std::string uuidFrom(Rng& r, int64_t ms) {
    uint64_t a = r.next(), b = r.next();
    char out[40];
    std::snprintf(out, sizeof out, "%08llx-%04llx-7%03llx-%04llx-%012llx",
                  static_cast<unsigned long long>((ms >> 16) & 0xFFFFFFFF), static_cast<unsigned long long>(ms & 0xFFFF),
                  static_cast<unsigned long long>(a & 0xFFF), static_cast<unsigned long long>(0x8000 | ((a >> 12) & 0x3FFF)),
                  static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFULL));
    return out;
}


}  // namespace

// [SECTION] DemoFindingSource (bulk)

DemoFindingSource::DemoFindingSource(Store& store, const std::string& actor, uint64_t seed, Date today, int spanDays,
                                     const std::string& campaignId)
    : m_world(std::make_unique<World>()), m_seed(seed), m_today(today), m_spanDays(std::max(1, spanDays)) {
    Date since = today.plusDays(-m_spanDays);
    buildWorld(store, actor, since, *m_world);
    m_world->campaignId = campaignId.empty() ? ensureCampaign(nullptr, store, actor, since, today) : campaignId;
    store.require("campaign", m_world->campaignId);
    for (int i = 0; i < 6; ++i) m_templateVersions[i] = currentTemplate(store, kCategoryOrder[i]).version;
    m_firstNumber = findingCounter(store) + 1;
    m_deviceId = store.deviceId();
}

DemoFindingSource::~DemoFindingSource() = default;

const std::string& DemoFindingSource::campaignId() const { return m_world->campaignId; }

GeneratedFinding DemoFindingSource::make(int64_t index) const {
    Rng r(demo::mixSeed(m_seed, static_cast<uint64_t>(index)));
    const std::string& category = categoryFor(r);
    int ci = static_cast<int>(std::find(std::begin(kCategoryOrder), std::end(kCategoryOrder), category) - std::begin(kCategoryOrder));
    Parties p = castParties(r, *m_world, category);
    int age = r.below(m_spanDays);
    Date day = m_today.plusDays(-age);
    if (day.weekday() >= 6 && r.chance(0.8)) day = day.plusDays(-(day.weekday() - 5));  // mostly on weekdays
    demo::FindingText t = demo::composeFinding(r, category, p, day, index);

    GeneratedFinding g;
    int64_t ms = stampMs(day, r.range(510, 1070), r.below(60), r.below(1000));
    g.createdAt = isoTimestamp(ms);
    g.id = uuidFrom(r, ms);
    g.fields = findingFields(*m_world, category, p, t);
    // Recent findings are mostly still drafts or waiting for review; older ones have moved on.
    static const char* const kStatuses[] = {"draft",    "submitted",             "returned", "dismissed", "accepted",
                                            "rectification_ordered", "rectified", "verified", "closed"};
    int s = age < 7 ? r.weighted({6, 6, 1, 0, 1, 0, 0, 0, 0}) : r.weighted({8, 12, 5, 5, 9, 22, 7, 8, 24});
    g.fields["status"] = kStatuses[s];
    g.fields["template_version"] = m_templateVersions[ci];
    g.fields["assignee"] = demo::demoInspectorNames()[static_cast<size_t>(r.below(5))];
    g.fields["local_number"] = localNumber(m_deviceId, m_firstNumber + index);
    return g;
}

void writeFindingBatch(Store& store, const std::string& actor, std::vector<GeneratedFinding>& batch) {
    Transaction tx(store.db());
    int64_t counter = findingCounter(store);
    ChangeWriter w(store, tx, actor);
    for (auto& g : batch) {
        ChangeWriter::PinnedTime pin(g.createdAt);
        w.insert("finding", std::move(g.fields), g.id);
    }
    setFindingCounter(store, counter + static_cast<int64_t>(batch.size()));
    tx.commit();
}

BulkSummary generateFindingsBulk(Store& store, const std::string& actor, const BulkOptions& opt, DemoProgress progress) {
    if (opt.count < 0) throw ValidationError("finding count must not be negative");
    if (opt.batchSize < 1) throw ValidationError("batch size must be at least 1");
    auto t0 = Clock::now();
    BulkSummary sum;
    DemoFindingSource src(store, actor, opt.seed, opt.today.value_or(Date::today()), opt.spanDays, opt.campaignId);
    sum.campaignId = src.campaignId();
    std::vector<GeneratedFinding> batch;
    for (int64_t done = 0; done < opt.count;) {
        int64_t n = std::min<int64_t>(opt.batchSize, opt.count - done);
        batch.clear();
        for (int64_t i = 0; i < n; ++i) batch.push_back(src.make(done + i));
        auto w0 = Clock::now();
        writeFindingBatch(store, actor, batch);
        sum.writeSeconds += std::chrono::duration<double>(Clock::now() - w0).count();
        done += n;
        sum.inserted = done;
        if (progress) progress(done, opt.count);
    }
    sum.totalSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return sum;
}

// [SECTION] generateDemoData: cases through the workflow commands

namespace {

class DemoRun {
public:
    DemoRun(AppContext& ctx, const DemoOptions& opt) : m_ctx(ctx), m_opt(opt), m_today(opt.today.value_or(ctx.today())) {}

    DemoSummary run(const DemoProgress& progress);

private:
    struct Cast {
        std::vector<Actor> inspectors;
        std::optional<Actor> lead;
    };

    // Runs one command as `who` at `iso` (pinned writers, `today` = that day), then brings the
    // timestamps the commands take from the real clock (case_event.at, reply_at …) to `iso`.
    template <class F>
    auto as(const Actor& who, const std::string& iso, F&& fn, std::vector<std::pair<std::string, std::string>> stamped = {},
            const std::string& entityId = {}) {
        ChangeWriter::PinnedTime pin(iso);
        AppContext c{m_ctx.store, who, m_ctx.calendar, dayOf(iso)};
        const int64_t eventsBefore = lastCaseEventRow();
        auto result = fn(c);
        settle(who, iso, stamped, entityId, eventsBefore);
        return result;
    }
    // The case events a command wrote are those after this row (case_event rows are appended).
    int64_t lastCaseEventRow() {
        auto& s = m_ctx.store.db().cached("SELECT coalesce(max(rowid), 0) FROM case_event");
        int64_t v = s.step() ? s.getInt(0) : 0;
        s.reset();
        return v;
    }
    void settle(const Actor& who, const std::string& iso, const std::vector<std::pair<std::string, std::string>>& stamped,
                const std::string& entityId, int64_t eventsAfterRow);

    void setUpCast();
    const Actor& inspector(Rng& r) { return m_cast.inspectors[static_cast<size_t>(r.below(static_cast<int>(m_cast.inspectors.size())))]; }
    void makeFinding(int64_t index);
    void makeComplaint(int64_t index);
    void issue(Rng& r, const Actor& lead, const std::string& iso, const std::string& category, const Parties& p,
               const std::string& entity, const std::string& id);

    AppContext& m_ctx;
    const DemoOptions& m_opt;
    Date m_today;
    World m_world;
    Cast m_cast;
    DemoSummary m_sum;
    bool m_canSeal = false;
};

void DemoRun::settle(const Actor& who, const std::string& iso, const std::vector<std::pair<std::string, std::string>>& stamped,
                     const std::string& entityId, int64_t eventsAfterRow) {
    Store& store = m_ctx.store;
    std::vector<std::pair<std::string, std::string>> fixes;  // (entity, id) whose field must become iso
    std::vector<std::string> fields;
    {
        // Only the events the command just wrote (a scan of all events by created_at would make
        // every command slower as the store grows).
        auto& s = store.db().cached("SELECT id FROM case_event WHERE rowid > ? AND created_at = ? AND at <> ?");
        s.bind(1, eventsAfterRow).bind(2, iso).bind(3, iso);
        while (s.step()) {
            fixes.emplace_back("case_event", s.getText(0));
            fields.push_back("at");
        }
        s.reset();
    }
    for (const auto& [entity, field] : stamped) {  // names from this file, never user input
        auto& s = store.db().cached("SELECT typeof(" + field + ") = 'text', " + field + " FROM " + entity + " WHERE id = ?");
        s.bind(1, entityId);
        if (!s.step()) throw NotFoundError(entity + " " + entityId);
        const bool differs = s.getInt(0) == 1 && s.getText(1) != iso;
        s.reset();
        if (differs) {
            fixes.emplace_back(entity, entityId);
            fields.push_back(field);
        }
    }
    if (fixes.empty()) return;  // the commands already used the pinned time
    ChangeWriter::PinnedTime pin(iso);
    Transaction tx(store.db());
    ChangeWriter w(store, tx, who.name);
    for (size_t i = 0; i < fixes.size(); ++i) w.update(fixes[i].first, fixes[i].second, {{fields[i], iso}});
    tx.commit();
}

void DemoRun::setUpCast() {
    const Actor& me = m_ctx.actor;
    if (me.role == Role::HqAdmin && m_opt.createUsers) {
        ChangeWriter::PinnedTime pin(isoTimestamp(stampMs(m_today.plusDays(-m_opt.spanDays - 1), 500, 0, 0)));
        std::string teamId = findId(m_ctx.store.db(), "SELECT id FROM team WHERE name = ? AND deleted = 0 LIMIT 1", "张掖市第一检查组");
        if (teamId.empty()) teamId = createTeam(m_ctx, "张掖市第一检查组");
        auto ensure = [&](const std::string& name, Role role) {
            if (findId(m_ctx.store.db(), "SELECT id FROM user WHERE name = ? AND deleted = 0", name).empty()) {
                createUser(m_ctx, name, role, teamId);
                ++m_sum.users;
            }
            return loadActor(m_ctx.store, name);
        };
        for (const auto& n : demo::demoInspectorNames()) m_cast.inspectors.push_back(ensure(n, Role::Inspector));
        m_cast.lead = ensure(demo::demoLeadName(), Role::Lead);
        if (m_cast.lead->role != Role::Lead) m_cast.lead = me;  // the name was taken by another role
        std::erase_if(m_cast.inspectors, [](const Actor& a) { return a.role != Role::Inspector; });
        if (m_cast.inspectors.empty()) m_cast.inspectors.push_back(me);
    } else {
        m_cast.inspectors.push_back(me);
        if (me.role != Role::Inspector) m_cast.lead = me;
    }
}

void DemoRun::issue(Rng& r, const Actor& lead, const std::string& iso, const std::string& category, const Parties& p,
                    const std::string& entity, const std::string& id) {
    WarningInput in;
    bool toPerson = !p.persons.empty() && r.chance(0.5);
    if (toPerson) in.targetPersonId = p.persons.front()->id;
    if (!toPerson && p.subject) in.targetUnitId = p.subject->id;
    if (in.targetPersonId.empty() && in.targetUnitId.empty()) return;
    in.reason = demo::warningReason(r, category, toPerson ? p.persons.front()->name : p.subject->name);
    static const char* const kLevels[] = {"reminder", "warning", "serious"};
    in.level = kLevels[r.weighted({3, 5, 2})];
    in.linkedEntity = entity;
    in.linkedId = id;
    std::string wid = as(lead, iso, [&](AppContext& c) { return issueWarning(c, in); });
    settle(lead, iso, {{"warning", "issued_at"}}, wid, lastCaseEventRow());  // the id is known only now
    ++m_sum.warnings;
    CaseClock ack{dayOf(iso), 600, m_today, m_ctx.calendar.get()};
    if (r.chance(0.6) && ack.advance(r, 1, 5)) {
        std::string at = stamp(r, ack.day, ack.minute);
        as(inspector(r), at, [&](AppContext& c) { acknowledgeWarning(c, wid); return 0; }, {{"warning", "acknowledged_at"}}, wid);
    }
}


// A day in [from, to] (to is raised to from when earlier).
Date dayBetween(Rng& r, const Date& from, const Date& to) {
    int64_t span = std::max<int64_t>(0, to.days() - from.days());
    return Date::fromDays(from.days() + r.range64(0, span));
}

void DemoRun::makeFinding(int64_t index) {
    const WorkCalendar& cal = *m_ctx.calendar;
    Rng r(demo::mixSeed(m_opt.seed, 0x100000000ULL + static_cast<uint64_t>(index)));
    const std::string& category = categoryFor(r);
    Parties p = castParties(r, m_world, category);
    enum { Draft, Submitted, Returned, Dismissed, Accepted, Ordered, Rectified, Verified, Closed };
    int target = m_cast.lead ? r.weighted({10, 12, 6, 5, 8, 22, 7, 8, 22}) : r.weighted({4, 6, 0, 0, 0, 0, 0, 0, 0});
    int rectState = r.weighted({4, 4, 2, 1});  // for Ordered: in progress, overdue, reported, rejected once
    static const int kPathWorkdays[] = {0, 3, 8, 8, 9, 16, 45, 50, 60};

    Date start = m_today.plusDays(-m_opt.spanDays);
    Date created;
    if (target == Ordered && (rectState == 0 || rectState == 3))
        created = cal.addWorkdays(m_today, -r.range(12, 22));  // deadline still ahead
    else if (target == Ordered && rectState == 1)
        created = dayBetween(r, start, cal.addWorkdays(m_today, -45));
    else if (target <= Submitted && r.chance(0.7))
        created = dayBetween(r, m_today.plusDays(-40), m_today);  // fresh work is mostly recent
    else
        created = dayBetween(r, start, cal.addWorkdays(m_today, -kPathWorkdays[target]));
    if (created < start) created = start;

    const Actor& insp = inspector(r);
    CaseClock clk{created, r.range(510, 1000), m_today, &cal};
    demo::FindingText text = demo::composeFinding(r, category, p, created, index);
    FieldMap fields = findingFields(m_world, category, p, text);
    std::string id = as(insp, stamp(r, clk.day, clk.minute), [&](AppContext& c) { return createFinding(c, fields); });
    ++m_sum.findings;

    auto step = [&](const Actor& who, int lo, int hi, const std::string& action, const std::string& comment) {
        if (!clk.advance(r, lo, hi)) return false;
        as(who, stamp(r, clk.day, clk.minute), [&](AppContext& c) { return transitionFinding(c, id, action, comment); });
        return true;
    };
    if (target == Draft || !step(insp, 0, 2, "submit", "") || target == Submitted) return;
    const Actor& lead = *m_cast.lead;
    if (target == Returned || (target >= Accepted && r.chance(0.2))) {
        if (!step(lead, 1, 4, "return", demo::returnComment(r, category)) || target == Returned) return;
        if (!step(insp, 1, 5, "submit", "")) return;
    }
    if (target == Dismissed) {
        step(lead, 1, 4, "dismiss", demo::dismissComment(r, p));
        return;
    }
    if (!step(lead, 1, 4, "accept", "") || target == Accepted || !clk.advance(r, 1, 5)) return;

    int workdays = target == Ordered && rectState == 1 ? r.range(10, 20) : r.range(20, 30);
    Date deadline = cal.addWorkdays(clk.day, workdays);
    std::string action = demo::rectificationAction(r, category, p, text.fieldValues);
    std::string orderedAt = stamp(r, clk.day, clk.minute);
    std::string rid = as(lead, orderedAt, [&](AppContext& c) { return orderRectification(c, id, action, "", deadline.str()); });
    ++m_sum.rectifications;

    auto rectStep = [&](const Actor& who, int lo, int hi, auto&& fn, const char* stampedField) {
        if (!clk.advance(r, lo, hi)) return false;
        std::vector<std::pair<std::string, std::string>> st;
        if (stampedField) st.emplace_back("rectification", stampedField);
        as(who, stamp(r, clk.day, clk.minute), [&](AppContext& c) { fn(c); return 0; }, st, rid);
        return true;
    };
    if (target == Ordered) {
        if (rectState == 1) {  // overdue: the sweep marks it; the lead may warn the unit
            CaseClock late{deadline, 560, m_today, &cal};
            if (r.chance(0.5) && late.advance(r, 1, 3)) issue(r, lead, stamp(r, late.day, late.minute), category, p, "finding", id);
        } else if (rectState >= 2) {
            if (!rectStep(insp, 3, 12, [&](AppContext& c) { reportRectification(c, rid, demo::progressNote(r, category)); },
                          "reported_at"))
                return;
            if (rectState == 3) rectStep(lead, 1, 4, [&](AppContext& c) { rejectRectification(c, rid, demo::rejectComment(r)); }, nullptr);
        }
        return;
    }
    if (r.chance(0.15)) issue(r, lead, orderedAt, category, p, "finding", id);
    if (!rectStep(insp, 5, 18, [&](AppContext& c) { reportRectification(c, rid, demo::progressNote(r, category)); }, "reported_at"))
        return;
    if (!rectStep(insp, 1, 6, [&](AppContext& c) { verifyRectification(c, rid, demo::verificationNote(r, p)); }, "verified_at"))
        return;
    if (target == Rectified || !step(insp, 0, 3, "verify", "") || target == Verified) return;
    step(lead, 1, 8, "close", "");
}

void DemoRun::makeComplaint(int64_t index) {
    const WorkCalendar& cal = *m_ctx.calendar;
    Rng r(demo::mixSeed(m_opt.seed, 0x200000000ULL + static_cast<uint64_t>(index)));
    std::string category = r.chance(0.8) ? categoryFor(r) : std::string();
    Parties p = castParties(r, m_world, category);
    enum { Received, Assigned, Investigating, Replied, Closed };
    int target = m_cast.lead ? r.weighted({8, 12, 18, 14, 48}) : Received;
    int left = 0;  // working days to the deadline, for open complaints
    Date received;
    if (target == Closed) {
        received = dayBetween(r, m_today.plusDays(-m_opt.spanDays), cal.addWorkdays(m_today, -25));
    } else {
        int bucket = r.weighted({35, 30, 35});  // overdue, due within 3 working days, comfortable
        left = bucket == 0 ? -r.range(1, 20) : bucket == 1 ? r.range(0, 3) : r.range(4, 13);
        received = cal.addWorkdays(m_today, left - kDefaultComplaintWorkdays);
    }
    static const char* const kChannels[] = {"walk_in", "hotline", "web", "letter"};
    static const char* const kNames[] = {"马秀兰", "张福林", "李春花", "王有才", "赵金山", "刘桂芝", "陈玉福", "杨建军"};
    demo::ComplaintText text = demo::composeComplaint(r, category, p, received);
    ComplaintIntake in;
    in.campaignId = m_world.campaignId;
    in.title = text.title;
    in.channel = kChannels[r.weighted({3, 4, 3, 2})];
    in.content = text.content;
    in.anonymous = !m_canSeal || r.chance(0.35);
    if (!in.anonymous) {
        in.complainantName = kNames[r.below(8)];
        in.complainantPhone = "139" + std::to_string(r.range(10000000, 99999999));
    }
    if (p.subject) in.respondentUnitId = p.subject->id;
    if (!p.persons.empty() && r.chance(0.5)) in.respondentPersonId = p.persons.front()->id;
    in.category = category;
    in.regionCode = p.place->code;
    CaseClock clk{received, r.range(510, 1000), m_today, &cal};
    in.receivedAt = stamp(r, clk.day, clk.minute);
    Actor owner = inspector(r);
    std::string id = as(owner, in.receivedAt, [&](AppContext& c) { return receiveComplaint(c, in); });
    ++m_sum.complaints;

    auto step = [&](const Actor& who, int lo, int hi, auto&& fn, const char* stampedField = nullptr) {
        if (!clk.advance(r, lo, hi)) return false;
        std::vector<std::pair<std::string, std::string>> st;
        if (stampedField) st.emplace_back("complaint", stampedField);
        as(who, stamp(r, clk.day, clk.minute), [&](AppContext& c) { fn(c); return 0; }, st, id);
        return true;
    };
    if (target == Received) return;
    const Actor& lead = *m_cast.lead;
    Actor assignee = inspector(r);
    if (!step(lead, 0, 1, [&](AppContext& c) { assignComplaint(c, id, assignee.name); })) return;
    owner = assignee;
    if (m_cast.inspectors.size() > 1 && r.chance(0.15)) {
        Actor next = inspector(r);
        if (next.name != owner.name &&
            step(owner, 0, 1, [&](AppContext& c) { handOverComplaint(c, id, next.name, text.handoverNote); }))
            owner = next;
    }
    bool overdue = target != Closed && left < 0;
    if (overdue && r.chance(0.4)) {
        CaseClock late{cal.addWorkdays(received, kDefaultComplaintWorkdays), 600, m_today, &cal};
        if (late.advance(r, 1, 3)) issue(r, lead, stamp(r, late.day, late.minute), category, p, "complaint", id);
    }
    if (target == Assigned || !step(owner, 0, 2, [&](AppContext& c) { startInvestigation(c, id); }) || target == Investigating)
        return;
    int replyAfter = target == Closed ? (r.chance(0.85) ? r.range(3, 12) : r.range(16, 25)) : r.range(2, 10);
    if (!step(owner, replyAfter, replyAfter, [&](AppContext& c) { replyComplaint(c, id, text.reply); }, "reply_at") ||
        target == Replied)
        return;
    static const char* const kSatisfaction[] = {"satisfied", "basically_satisfied", "dissatisfied", "unknown"};
    std::string satisfaction = kSatisfaction[r.weighted({5, 3, 1, 1})];
    step(owner, 1, 5, [&](AppContext& c) { closeComplaint(c, id, text.outcome, satisfaction); });
}

DemoSummary DemoRun::run(const DemoProgress& progress) {
    if (m_opt.findings < 0 || m_opt.complaints < 0) throw ValidationError("demo counts must not be negative");
    if (m_opt.spanDays < 30 || m_opt.spanDays > 3650) throw ValidationError("demo span must be 30–3650 days");
    if (m_opt.casesPerCommit < 1) throw ValidationError("demo cases per commit must be at least 1");
    Store& store = m_ctx.store;
    Date since = m_today.plusDays(-m_opt.spanDays);
    buildWorld(store, m_ctx.actor.name, since, m_world);
    m_sum.units = m_world.unitsCreated;
    m_sum.persons = m_world.personsCreated;
    setUpCast();
    m_world.campaignId = ensureCampaign(&m_ctx, store, m_ctx.actor.name, since, m_today);
    m_sum.campaignId = m_world.campaignId;
    m_canSeal = !hqPublicKey(store).empty();

    int64_t total = m_opt.findings + m_opt.complaints, done = 0;
    // Every command still runs in its own transaction (a savepoint inside the batch, base/db.h),
    // writing exactly what it writes for a user; only the commit (the fsync) is shared by the
    // commands of casesPerCommit cases.
    std::optional<Transaction> batch;
    std::optional<Database::JoinNested> join;
    // A large run touches records all over a store of gigabytes: a bigger page cache for the
    // run (256 MiB; the store's usual one is 32 MiB) saves re-reading pages from the OS.
    const int64_t cacheBefore = store.db().queryInt("PRAGMA cache_size", -32768);
    if (m_opt.casesPerCommit > 1) {
        join.emplace(store.db());
        if (total > 5000) store.db().exec("PRAGMA cache_size=-262144");
    }
    int inBatch = 0;
    auto caseStart = [&] {
        if (m_opt.casesPerCommit > 1 && !batch) batch.emplace(store.db());
    };
    auto caseDone = [&] {
        if (batch && ++inBatch >= m_opt.casesPerCommit) {
            batch->commit();
            batch.reset();
            inBatch = 0;
        }
        if (progress) progress(++done, total);
    };
    for (int i = 0; i < m_opt.findings; ++i) {
        caseStart();
        makeFinding(i);
        caseDone();
    }
    for (int i = 0; i < m_opt.complaints; ++i) {
        caseStart();
        makeComplaint(i);
        caseDone();
    }
    if (batch) batch->commit();
    join.reset();
    store.db().exec("PRAGMA cache_size=" + std::to_string(cacheBefore));
    // The daily sweep of the calendar, run "this morning".
    Rng r(demo::mixSeed(m_opt.seed, 0x300000000ULL));
    const Actor& sweeper = m_cast.lead ? *m_cast.lead : m_ctx.actor;
    as(sweeper, stamp(r, m_today, 515), [&](AppContext& c) { return markOverdueRectifications(c); });

    auto count = [&](const char* sql, std::map<std::string, int>& out) {
        auto s = store.db().prepare(sql);
        s.bind(1, m_sum.campaignId);
        while (s.step()) out[s.getText(0)] = static_cast<int>(s.getInt(1));
    };
    count("SELECT status, count(*) FROM finding WHERE campaign_id = ? AND deleted = 0 GROUP BY status", m_sum.findingsByStatus);
    count("SELECT status, count(*) FROM complaint WHERE campaign_id = ? AND deleted = 0 GROUP BY status", m_sum.complaintsByStatus);
    count("SELECT r.status, count(*) FROM rectification r JOIN finding f ON f.id = r.finding_id "
          "WHERE f.campaign_id = ? AND r.deleted = 0 GROUP BY r.status",
          m_sum.rectificationsByStatus);
    return m_sum;
}

}  // namespace

DemoSummary generateDemoData(AppContext& ctx, const DemoOptions& opt, DemoProgress progress) {
    DemoRun run(ctx, opt);
    return run.run(progress);
}

}  // namespace jc
