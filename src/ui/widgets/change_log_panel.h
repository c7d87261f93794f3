#pragma once
// The 变更记录 tab of a finding or complaint: every field change (who, when, before → after as
// people read it; "HQ" for changes that came from headquarters) with conflicts and their
// resolutions marked. Loads app/change_log.h on the read worker when the record or the data
// changes; draws the last snapshot meanwhile.
#include <cstdint>
#include <string>
#include <vector>

#include "app/change_log.h"

namespace jc::ui {

class Shell;

class ChangeLogPanel {
public:
    void draw(Shell& shell, const std::string& entity, const std::string& id);
    bool loading() const { return m_loading; }

private:
    std::string m_entity, m_id;
    uint64_t m_version = 0;
    bool m_loading = false, m_loaded = false;
    std::vector<ChangeLogEntry> m_entries;
};

}  // namespace jc::ui
