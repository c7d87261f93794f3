#include "cli/filter_args.h"

#include "core/domain.h"
#include "core/error.h"
#include "core/i18n.h"
#include "core/workflow.h"

namespace jc::cli {

const char* filterHelp() { return tr("cli.help.filters"); }

const std::set<std::string>& filterValueOptions() {
    static const std::set<std::string> s = {"campaign", "from",       "to",   "basis", "status", "category", "area",
                                            "region",   "severity",   "misconduct", "unit", "team", "assignee", "search"};
    return s;
}
const std::set<std::string>& filterFlags() {
    static const std::set<std::string> s = {"overdue"};
    return s;
}
std::set<std::string> withFilterOptions(std::set<std::string> extra) {
    extra.insert(filterValueOptions().begin(), filterValueOptions().end());
    return extra;
}
std::set<std::string> withFilterFlags(std::set<std::string> extra) {
    extra.insert(filterFlags().begin(), filterFlags().end());
    return extra;
}

namespace {
std::string byIdOrName(Store& store, const char* table, const std::string& v, const char* what) {
    auto id = findNamedId(store.db(), table, v);
    if (!id) throw NotFoundError(trf("cli.named_not_found", {tr(what), v}));
    return *id;
}
std::string date(const Args& a, const char* name) {
    auto v = a.opt(name);
    if (!v) return {};
    if (!Date::tryParse(*v)) throw ValidationError(trf("cli.bad_date_option", {name, *v}));
    return Date::parse(*v).str();
}
}  // namespace

FindingFilter filterFromArgs(const Args& a, Store& store, bool findingStatus) {
    FindingFilter f;
    if (auto v = a.opt("campaign")) f.campaignId = byIdOrName(store, "campaign", *v, "cli.what.campaign");
    f.dateFrom = date(a, "from");
    f.dateTo = date(a, "to");
    if (!f.dateFrom.empty() && !f.dateTo.empty() && f.dateTo < f.dateFrom)
        throw ValidationError(trf("cli.to_before_from", {f.dateTo, f.dateFrom}));
    f.dateBasis = a.optOr("basis", "recorded");
    if (f.dateBasis != "recorded" && f.dateBasis != "accepted")
        throw ValidationError(trf("cli.bad_basis", {f.dateBasis}));
    if (auto v = a.opt("status"); v && findingStatus) f.status = findCode(statuses(Machine::Finding), *v, tr("cli.list.finding_status")).code;
    if (auto v = a.opt("category")) f.category = findCode(categories(), *v, tr("cli.list.category")).code;
    if (auto v = a.opt("area")) f.area = findCode(areas(), *v, tr("cli.list.area")).code;
    if (auto v = a.opt("severity")) f.severity = findCode(severities(), *v, tr("cli.list.severity")).code;
    if (auto v = a.opt("misconduct")) f.misconductType = findCode(misconductTypes(), *v, tr("cli.list.misconduct")).code;
    if (auto v = a.opt("region")) {
        if (v->empty() || v->find_first_not_of("0123456789") != std::string::npos)
            throw ValidationError(trf("cli.bad_region", {*v}));
        f.regionPrefix = *v;
    }
    if (auto v = a.opt("unit")) f.subjectUnitId = byIdOrName(store, "unit", *v, "cli.what.unit");
    if (auto v = a.opt("team")) f.teamId = byIdOrName(store, "team", *v, "cli.what.team");
    f.assignee = a.optOr("assignee", "");
    f.search = a.optOr("search", "");
    f.overdueOnly = a.flag("overdue");
    return f;
}

}  // namespace jc::cli
