#include "ui/widgets/region_filter.h"

#include "app/read_models.h"
#include "ui/shell/shell.h"

namespace jc::ui::widgets {

void FindingCounties::load(Shell& shell) {
    if (m_loaded || m_loading) return;
    m_loading = true;
    shell.jobs().request<std::vector<Region>>(
        Lane::Background, [](WorkerContext& w) { return loadFindingCounties(w); },
        [this, &shell](std::vector<Region> r) {
            for (const auto& x : r) shell.noteText(x.name);
            m_list = std::move(r);
            m_loaded = true;
            m_loading = false;
        });
}

}  // namespace jc::ui::widgets
