#pragma once
// A list filter over regions (the findings list's county and township): a widgets::FilterCombo
// with "any" first, then each region by name (defined in widgets.cpp beside FilterCombo), and the
// counties that have findings, loaded once off the frame for such a filter (findings, statistics).
#include <span>
#include <string>
#include <vector>

#include "core/region_scope.h"

namespace jc::ui {
class Shell;
}

namespace jc::ui::widgets {

// The counties that have findings (app/read_models.h loadFindingCounties), read on the background
// lane; their names are noted for the font atlas. Lives as long as its view (the job holds it).
class FindingCounties {
public:
    // Starts the load unless it is loaded or on its way.
    void load(Shell& shell);
    bool loaded() const { return m_loaded; }
    const std::vector<Region>& list() const { return m_list; }

private:
    std::vector<Region> m_list;
    bool m_loaded = false, m_loading = false;
};

// `code` is the chosen region's ("" = any); true when the user picked another.
bool regionFilterCombo(const char* id, std::string& code, const char* anyLabel, std::span<const Region> regions,
                       float width);

}  // namespace jc::ui::widgets
