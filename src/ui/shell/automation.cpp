#include "ui/shell/automation.h"

#include <imgui.h>

#include <cstdio>
#include <map>

namespace jc::ui::automation {

namespace {
bool g_enabled = false;
std::map<std::string, ItemRect, std::less<>> g_current, g_last;
}  // namespace

void setEnabled(bool on) { g_enabled = on; }
bool enabled() { return g_enabled; }

void newFrame() {
    if (!g_enabled) return;
    g_last.swap(g_current);
    g_current.clear();
}

void mark(std::string_view name) {
    if (!ImGui::IsItemVisible()) return;
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    g_current[std::string(name)] = ItemRect{a.x, a.y, b.x, b.y};
}

void markRect(std::string_view name, const ItemRect& r) { g_current[std::string(name)] = r; }

std::optional<ItemRect> find(std::string_view name) {
    auto it = g_last.find(name);
    if (it == g_last.end()) return std::nullopt;
    return it->second;
}

std::vector<std::string> names() {
    std::vector<std::string> out;
    for (const auto& [k, v] : g_last) out.push_back(k);
    return out;
}

bool writeTo(const std::string& path, bool settled) {
    std::string tmp = path + ".tmp";
    FILE* f = std::fopen(tmp.c_str(), "w");
    if (!f) return false;
    std::fprintf(f, "#settled\t%d\n", settled ? 1 : 0);
    for (const auto& [k, r] : g_last) std::fprintf(f, "%s\t%.0f %.0f %.0f %.0f\n", k.c_str(), r.x0, r.y0, r.x1, r.y1);
    bool ok = std::fclose(f) == 0;
    return ok && std::rename(tmp.c_str(), path.c_str()) == 0;
}

}  // namespace jc::ui::automation
