// `jiancha report circular`: the campaign circular (工作通报) as a PDF laid out as GB/T 9704
// prescribes (report/circular.h), and optionally its monthly register as XLSX.
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/args.h"
#include "cli/env.h"
#include "core/error.h"
#include "report/circular.h"

namespace jc::cli {

int runReport(Env& env, const std::vector<std::string>& args) {
    if (args.empty() || wantsHelp(args)) {
        std::cout << tr("cli.help.report");
        return args.empty() ? 2 : 0;
    }
    if (args[0] != "circular") throw UsageError(trf("cli.report.unknown", {args[0]}));
    Args a(std::vector<std::string>(args.begin() + 1, args.end()),
           {"from", "to", "out", "campaign", "number", "notes", "basis", "date", "register"}, {});
    a.maxPositional(0);
    AppContext& ctx = env.ctx();
    report::CircularOptions opt;
    auto date = [&](const char* name) {
        std::string v = a.required(name);
        auto d = Date::tryParse(v);
        if (!d) throw ValidationError(trf("cli.bad_date_option", {name, v}));
        return *d;
    };
    opt.from = date("from");
    opt.to = date("to");
    if (a.opt("date")) opt.issued = date("date");
    std::filesystem::path out = a.required("out");
    opt.campaignId = a.optOr("campaign", "");
    opt.number = a.optOr("number", "");
    opt.dateBasis = a.optOr("basis", "recorded");
    if (opt.dateBasis != "recorded" && opt.dateBasis != "accepted")
        throw ValidationError(trf("cli.bad_basis", {opt.dateBasis}));
    if (auto notes = a.opt("notes")) {
        std::ifstream in(*notes, std::ios::binary);
        if (!in) throw NotFoundError(trf("cli.report.notes_unreadable", {*notes}));
        std::stringstream ss;
        ss << in.rdbuf();
        opt.notes = ss.str();
        if (opt.notes.rfind("\xEF\xBB\xBF", 0) == 0) opt.notes = opt.notes.substr(3);
        if (opt.notes.size() > 200'000) throw ValidationError(tr("cli.report.notes_too_large"));
    }
    report::Circular c = report::buildCircular(ctx, opt);
    report::DocumentLayout layout(c.document);
    layout.writePdf(out);
    if (auto reg = a.opt("register")) report::writeCircularRegister(ctx, c, *reg, ctx.actor.name);
    if (env.json) {
        printJson({{"file", out.string()}, {"pages", layout.pageCount()}, {"title", c.document.title},
                   {"findings", static_cast<int64_t>(c.facts.overall.totals[0])}});
    } else {
        std::cout << trf("cli.report.done", {out.string(), std::to_string(layout.pageCount()), c.document.title}) << "\n";
    }
    return 0;
}

}  // namespace jc::cli
