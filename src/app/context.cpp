#include "app/context.h"

#include "app/calendar_commands.h"
#include "core/error.h"
#include "core/i18n.h"
#include "core/region_scope.h"
#include "core/workflow.h"
#include "store/reference_data.h"

namespace jc {

void AppContext::requireRole(unsigned roleMask, const std::string& what) const {
    if (!(roleMask & roleBit(actor.role)))
        throw ForbiddenError(trf("context.role_may_not", {roleLabel(actor.role), what}));
}

void AppContext::requireRegion(const std::string& regionCode) const {
    if (regionCode.empty() || actor.role == Role::HqAdmin || regionInScope(regionCode, actor.regionScope)) return;
    std::string areas;
    for (const auto& a : actor.regionScope)
        if (a.is_string()) areas += (areas.empty() ? "" : ", ") + a.get<std::string>();
    throw ForbiddenError(trf("context.region_outside", {regionCode, actor.name, areas}));
}

std::shared_ptr<const WorkCalendar> calendarFromStore(Store& store) {
    return std::make_shared<const WorkCalendar>(buildCalendar(store));
}

Actor loadActor(Store& store, const std::string& name) {
    std::string who = name;
    if (who.empty()) {
        auto m = store.meta("current_user");
        if (!m) throw UsageError(tr("context.no_user"));
        who = *m;
    }
    auto& s = store.db().cached(
        "SELECT id, name, role, coalesce(team_id, ''), coalesce(region_scope, '[]') FROM user WHERE name = ? AND deleted = 0");
    s.bind(1, who);
    if (s.step()) {
        Actor a{s.getText(0), s.getText(1), parseRole(s.getText(2)), s.getText(3),
                Json::parse(s.getText(4), nullptr, false)};
        s.reset();
        if (!a.regionScope.is_array()) a.regionScope = Json::array();
        return a;
    }
    s.reset();
    // An enrolled device knows its user from enrolment before the first pull brings the record.
    if (auto j = store.meta("sync_user_json"); j && who == store.meta("sync_user").value_or("")) {
        Json u = Json::parse(*j, nullptr, false);
        if (u.is_object())
            return Actor{u.value("id", std::string()), who, parseRole(u.value("role", std::string("inspector"))),
                         u["team_id"].is_string() ? u["team_id"].get<std::string>() : std::string(),
                         u["region_scope"].is_array() ? u["region_scope"] : Json::array()};
    }
    loadStringTables();
    throw NotFoundError(trf("context.user_not_found", {who}));
}

}  // namespace jc
