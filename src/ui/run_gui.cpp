#include "ui/run_gui.h"

#include <iostream>

#include "app/paths.h"
#include "core/dates.h"
#include "core/error.h"
#include "ui/shell/platform_glfw.h"

namespace jc {

namespace {
const char* kHelp = R"(jiancha gui — the desktop client (监察)

Options:
  --view NAME          start on home | findings | review | conflicts | time_suspect | complaints | rectifications | warnings | esup | stats | circular | admin | settings
  --open ID            open a finding (id or local number) or, with --view complaints, a complaint, or with
                       --view esup, preview the import of a CSV / XLSX file
  --search TEXT        start the findings list with this full-text search
  --today YYYY-MM-DD   pin "today" (deadline cards of demo data)
  --lang zh_CN|en      interface language (default: the saved setting, else Chinese)
  --font-size PX       font size in pixels (12–40)
  --size WxH           window size (default 1366x768)
  --screenshot FILE    wait until everything is loaded, save the window as PNG and exit
  --timing             print the time from launch to the first frame (JSON, stderr)
  --no-sync            no automatic background sync (an enrolled device syncs by itself otherwise)
  --no-passphrase      a new store is created unprotected (tests and demos; shown in red)
  --exit-after-first-frame

Shortcuts: Ctrl+N new finding · Ctrl+S save · Ctrl+F search · Ctrl+↑/↓ previous/next · Ctrl+Q quit
)";
}  // namespace

int runGui(const std::string& dataDir, const std::string& asUser, const std::vector<std::string>& args) {
    ui::ShellOptions so;
    so.dataDir = dataDir;
    so.asUser = asUser;
    ui::WindowOptions wo;
    try {
        for (size_t i = 0; i < args.size(); ++i) {
            const std::string& a = args[i];
            auto value = [&]() -> std::string {
                if (i + 1 >= args.size()) throw UsageError("option " + a + " needs a value");
                return args[++i];
            };
            if (a == "--help" || a == "-h") {
                std::cout << kHelp;
                return 0;
            } else if (a == "--view") so.startView = value();
            else if (a == "--open") so.openId = value();
            else if (a == "--search") so.search = value();
            else if (a == "--today") so.today = Date::parse(value());
            else if (a == "--lang") so.language = value();
            else if (a == "--font-size") so.fontSize = std::stof(value());
            else if (a == "--screenshot") wo.screenshotPath = value();
            else if (a == "--timing") wo.timing = true;
            else if (a == "--no-sync") so.syncEnabled = false;
            else if (a == "--no-passphrase") so.newStorePlain = true;
            else if (a == "--exit-after-first-frame") wo.exitAfterFirstFrame = true;
            else if (a == "--size") {
                std::string v = value();
                size_t x = v.find('x');
                if (x == std::string::npos) throw UsageError("--size wants WIDTHxHEIGHT, e.g. 1366x768");
                wo.width = std::stoi(v.substr(0, x));
                wo.height = std::stoi(v.substr(x + 1));
            } else throw UsageError("unknown gui option '" + a + "' (see jiancha gui --help)");
        }
    } catch (const Error& e) {
        std::cerr << "jiancha: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "jiancha: bad option value: " << e.what() << "\n";
        return 2;
    }
    return ui::runWindow(so, wo);
}

}  // namespace jc
