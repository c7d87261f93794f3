#pragma once
// A list filter over regions (the findings list's county and township): a widgets::FilterCombo
// with "any" first, then each region by name. Defined in widgets.cpp beside FilterCombo.
#include <span>
#include <string>

#include "core/region_scope.h"

namespace jc::ui::widgets {

// `code` is the chosen region's ("" = any); true when the user picked another.
bool regionFilterCombo(const char* id, std::string& code, const char* anyLabel, std::span<const Region> regions,
                       float width);

}  // namespace jc::ui::widgets
