#pragma once
// The working-day calendar's years in settings: per year "official" (bundled or published by HQ)
// or "by rule" (statutory holidays computed, make-up days not yet known); HQ publishes a year's
// arrangement from a JSON file here (app/calendar_commands.h), and it syncs to every device.
#include <cstdint>
#include <string>
#include <vector>

#include "app/calendar_commands.h"

namespace jc::ui {

class Shell;

class CalendarYearsPanel {
public:
    void draw(Shell& shell);
    bool settled() const { return m_loaded && !m_loading && !m_busy; }

private:
    void load(Shell& shell);
    std::vector<CalendarYearInfo> m_years;
    std::string m_path;
    bool m_loaded = false, m_loading = false, m_busy = false;
    uint64_t m_version = 0;
};

}  // namespace jc::ui
