#pragma once
// Region cascade picker (GB/T 2260): province → city → county → township combos, each level
// loaded from the region table by a read job the first time it is opened. Codes nest by prefix
// (2, 4, 6, 9 digits), so the chain of a code needs no query. A campaign's region scope (a city
// or county code) fixes the upper levels: an inspector in Zhangye starts at the county.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/region_scope.h"

namespace jc::ui {

class Shell;

class RegionPicker {
public:
    // Draws the combos on one line; `code` is the chosen region (any level, "" = none). Returns
    // true when it changed. `root` is a region the choice must lie within ("" = the whole country).
    // `width` is per combo; narrower when all levels would not fit on the line.
    bool draw(Shell& shell, const char* id, std::string& code, const std::string& root, float width);
    bool loading() const { return !m_loading.empty(); }

private:
    const std::vector<Region>* children(Shell& shell, const std::string& parent);
    std::map<std::string, std::vector<Region>> m_children;  // parent code -> children
    std::set<std::string> m_loading;
};

// The levels of GB/T 2260 codes as used by the region table: 2, 4, 6, 9 digits.
std::vector<std::string> regionAncestors(const std::string& code);  // shortest first, code itself last

}  // namespace jc::ui
