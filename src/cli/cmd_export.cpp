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
        std::cout << "jiancha export findings|complaints|rectifications|warnings --format xlsx|csv [--out FILE] [filters] [--open]\n\n"
                     "XLSX: a first sheet with the filters, the time of export and who exported; findings one sheet per\n"
                     "category with its case facts as columns; money in yuan (¥), dates as dates. CSV: UTF-8 with BOM,\n"
                     "RFC 4180, a title line with the filters, then the header. Complainant identities are never exported.\n"
                     "--status is the entity's own status; --open: complaints not yet closed.\n\n"
                  << kFilterHelp;
        return args.empty() ? 2 : 0;
    }
    report::ExportRequest req;
    req.entity = args[0];
    if (std::find(std::begin(report::kExportEntities), std::end(report::kExportEntities), req.entity) ==
        std::end(report::kExportEntities))
        throw UsageError("cannot export '" + req.entity + "': findings, complaints, rectifications or warnings");
    Args a(std::vector<std::string>(args.begin() + 1, args.end()), withFilterOptions({"format", "out"}), withFilterFlags({"open"}));
    a.maxPositional(0);
    AppContext& ctx = env.ctx();
    std::string fmt = a.optOr("format", "");
    if (fmt.empty() && a.opt("out")) {
        std::string ext = std::filesystem::path(*a.opt("out")).extension().string();
        fmt = ext.empty() ? "" : ext.substr(1);
    }
    if (fmt.empty()) throw UsageError("give --format xlsx|csv (or an --out file ending in .xlsx or .csv)");
    req.format = report::parseExportFormat(fmt);
    req.path = a.optOr("out", req.entity + (req.format == report::ExportFormat::Xlsx ? ".xlsx" : ".csv"));
    bool own = req.entity == "findings";
    req.filter = filterFromArgs(a, ctx.store, own);
    if (auto s = a.opt("status"); s && !own) {
        if (req.entity == "complaints") req.status = findCode(statuses(Machine::Complaint), *s, "complaint status").code;
        else if (req.entity == "rectifications") req.status = findCode(statuses(Machine::Rectification), *s, "rectification status").code;
        else throw UsageError("warnings have no status");
    }
    req.openComplaintsOnly = a.flag("open");
    if (req.openComplaintsOnly && req.entity != "complaints") throw UsageError("--open is for complaints");
    req.exportedBy = ctx.actor.name;
    auto sum = report::exportList(ctx, req);
    if (env.json) {
        Json tables = Json::object();
        for (const auto& [name, n] : sum.tables) tables[name] = n;
        printJson({{"file", req.path.string()}, {"rows", sum.rows}, {"tables", tables}});
    } else {
        std::cout << req.path.string() << ": " << sum.rows << " rows";
        if (sum.tables.size() > 1)
            for (const auto& [name, n] : sum.tables) std::cout << "  " << name << " " << n;
        std::cout << "\n";
    }
    return 0;
}

}  // namespace jc::cli
