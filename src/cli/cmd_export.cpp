// `jiancha export findings|complaints|rectifications|warnings`: a list to XLSX or CSV under the
// lists' filters (report/exports.h).
#include <algorithm>
#include <iostream>

#include "cli/env.h"
#include "cli/filter_args.h"
#include "core/error.h"
#include "core/workflow.h"
#include "report/exports.h"

namespace jc::cli {

int runExport(Env& env, const std::vector<std::string>& args) {
    if (args.empty() || wantsHelp(args)) {
        std::cout << tr("cli.help.export") << filterHelp();
        return args.empty() ? 2 : 0;
    }
    report::ExportRequest req;
    req.entity = args[0];
    if (std::find(std::begin(report::kExportEntities), std::end(report::kExportEntities), req.entity) ==
        std::end(report::kExportEntities))
        throw UsageError(trf("cli.export.bad_entity", {req.entity}));
    Args a(std::vector<std::string>(args.begin() + 1, args.end()), withFilterOptions({"format", "out"}), withFilterFlags({"open"}));
    a.maxPositional(0);
    AppContext& ctx = env.ctx();
    std::string fmt = a.optOr("format", "");
    if (fmt.empty() && a.opt("out")) {
        std::string ext = std::filesystem::path(*a.opt("out")).extension().string();
        fmt = ext.empty() ? "" : ext.substr(1);
    }
    if (fmt.empty()) throw UsageError(tr("cli.export.need_format"));
    req.format = report::parseExportFormat(fmt);
    req.path = a.optOr("out", req.entity + (req.format == report::ExportFormat::Xlsx ? ".xlsx" : ".csv"));
    bool own = req.entity == "findings";
    req.filter = filterFromArgs(a, ctx.store, own);
    if (auto s = a.opt("status"); s && !own) {
        if (req.entity == "complaints") req.status = findCode(statuses(Machine::Complaint), *s, tr("cli.list.complaint_status")).code;
        else if (req.entity == "rectifications") req.status = findCode(statuses(Machine::Rectification), *s, tr("cli.list.rectification_status")).code;
        else throw UsageError(tr("cli.export.warnings_no_status"));
    }
    req.openComplaintsOnly = a.flag("open");
    if (req.openComplaintsOnly && req.entity != "complaints") throw UsageError(tr("cli.export.open_complaints_only"));
    req.exportedBy = ctx.actor.name;
    auto sum = report::exportList(ctx, req);
    if (env.json) {
        Json tables = Json::object();
        for (const auto& [name, n] : sum.tables) tables[name] = n;
        printJson({{"file", req.path.string()}, {"rows", sum.rows}, {"tables", tables}});
    } else {
        std::cout << trf("cli.export.done", {req.path.string(), std::to_string(sum.rows)});
        if (sum.tables.size() > 1)
            for (const auto& [name, n] : sum.tables) std::cout << "  " << name << " " << n;
        std::cout << "\n";
    }
    return 0;
}

}  // namespace jc::cli
