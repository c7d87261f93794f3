#include "ui/widgets/charts.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "ui/shell/automation.h"
#include "ui/shell/theme.h"

namespace jc::ui::charts {

namespace {

constexpr ImU32 kAxis = IM_COL32(120, 120, 128, 255);
constexpr ImU32 kGrid = IM_COL32(220, 220, 226, 255);
constexpr ImU32 kText = IM_COL32(40, 40, 48, 255);

void markRect(const char* id, const std::string& suffix, ImVec2 a, ImVec2 b) {
    if (!automation::enabled()) return;
    ImGui::SetCursorScreenPos(a);
    ImGui::PushID((std::string(id) + suffix).c_str());
    ImGui::Dummy(ImVec2(std::max(1.0f, b.x - a.x), std::max(1.0f, b.y - a.y)));
    ImGui::PopID();
    mark(std::string(id) + suffix);
}

// A round upper bound for an axis with kTicks grid steps: 5, then 1, 2 or 5 times a power of
// ten (so every step is a whole number for counts).
constexpr int kTicks = 5;
double niceMax(double v) {
    if (v <= 5) return 5;
    double p = std::pow(10.0, std::floor(std::log10(v)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (v <= m * p) return m * p;
    return 10 * p;
}

// Text that fits `width` (cut with "…").
std::string fit(const std::string& s, float width) {
    if (ImGui::CalcTextSize(s.c_str()).x <= width) return s;
    const char* end = s.data();
    ImGui::GetFont()->CalcTextSizeA(ImGui::GetFontSize(), std::max(0.0f, width - ImGui::CalcTextSize("…").x), 0.0f, s.data(),
                                    s.data() + s.size(), &end);
    return std::string(s.data(), end) + "…";
}

struct Area {
    ImVec2 a, b;
    bool hovered, clicked;
    ImVec2 mouse;
};

Area begin(const char* id, float height) {
    ImVec2 a = ImGui::GetCursorScreenPos();
    float w = ImGui::GetContentRegionAvail().x;
    ImGui::InvisibleButton(id, ImVec2(std::max(w, 50.0f), std::max(height, 40.0f)));
    Area r{a, ImGui::GetItemRectMax(), ImGui::IsItemHovered(), ImGui::IsItemClicked(), ImGui::GetIO().MousePos};
    mark(id);
    return r;
}

void end(const Area& area) { ImGui::SetCursorScreenPos(ImVec2(area.a.x, area.b.y + ImGui::GetStyle().ItemSpacing.y)); ImGui::Dummy(ImVec2(0, 0)); }

bool inside(ImVec2 m, ImVec2 a, ImVec2 b) { return m.x >= a.x && m.x < b.x && m.y >= a.y && m.y < b.y; }

// The series' names with their colours, wrapped over as many lines as needed; returns the height.
float legend(ImDrawList* dl, const std::vector<Series>& series, ImVec2 at, float maxX) {
    float x = at.x, y = at.y, h = ImGui::GetTextLineHeight();
    for (const auto& s : series) {
        float w = ImGui::CalcTextSize(s.name.c_str()).x + h + 12;
        if (x + w > maxX && x > at.x) x = at.x, y += h + 2;
        dl->AddRectFilled(ImVec2(x, y + h * 0.2f), ImVec2(x + h * 0.6f, y + h * 0.8f), s.color);
        dl->AddText(ImVec2(x + h * 0.8f, y), kText, s.name.c_str());
        x += w;
    }
    return y - at.y + h + 4;
}

// A chart of series over a value axis: its area, the legend on top, and the plot box below it
// (x0..x1 across, y0 top to y1 the base line).
struct Plot {
    Area area;
    ImDrawList* dl;
    float lh, x0, x1, y0, y1;
    // Where `v` stands on an axis from 0 to `maxV`.
    float yOf(double v, double maxV) const { return y1 - static_cast<float>((y1 - y0) * v / maxV); }
};

// Begins a series chart (`axisW` wide value labels on the left, `rightPad` free on the right).
// Nothing to draw (`empty`): the area is ended and nullopt comes back.
std::optional<Plot> beginPlot(const char* id, float height, const std::vector<Series>& series, bool empty, float axisW,
                              float rightPad = 0) {
    Area area = begin(id, height);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    float lh = ImGui::GetTextLineHeight();
    float top = area.a.y + legend(dl, series, area.a, area.b.x);
    if (empty) {
        end(area);
        return std::nullopt;
    }
    return Plot{area, dl, lh, area.a.x + axisW, area.b.x - rightPad, top + lh * 0.5f, area.b.y - lh - 4};
}

// `ticks` + 1 grid lines from 0 to `maxV`, each with its value on the left.
void valueGrid(const Plot& p, double maxV, int ticks, const Format& fmt) {
    for (int g = 0; g <= ticks; ++g) {
        float y = p.y1 - (p.y1 - p.y0) * static_cast<float>(g) / static_cast<float>(ticks);
        p.dl->AddLine(ImVec2(p.x0, y), ImVec2(p.x1, y), kGrid);
        std::string t = fmt(maxV * g / ticks);
        p.dl->AddText(ImVec2(p.x0 - 4 - ImGui::CalcTextSize(t.c_str()).x, y - p.lh / 2), kAxis, t.c_str());
    }
}

// A category's name under the base line, centred on `cx` and cut to `width`.
void categoryLabel(const Plot& p, const std::string& label, float cx, float width) {
    std::string lab = fit(label, width);
    p.dl->AddText(ImVec2(cx - ImGui::CalcTextSize(lab.c_str()).x / 2, p.y1 + 2), kText, lab.c_str());
}

// Ends a series chart: the base line, the tooltip of the hovered value ("category · series：
// value", then `extra`), and what a click hit.
Hit endPlot(const Plot& p, Hit hover, const std::vector<std::string>& labels, const std::vector<Series>& series,
            const Format& fmt, const std::string& extra = {}) {
    p.dl->AddLine(ImVec2(p.x0, p.y1), ImVec2(p.x1, p.y1), kAxis);
    Hit hit;
    if (hover.index >= 0) {
        const auto& s = series[static_cast<size_t>(hover.series)];
        ImGui::SetTooltip("%s · %s：%s%s", labels[static_cast<size_t>(hover.index)].c_str(), s.name.c_str(),
                          fmt(s.values[static_cast<size_t>(hover.index)]).c_str(), extra.c_str());
        if (p.area.clicked) hit = hover;
    }
    end(p.area);
    return hit;
}

}  // namespace

ImU32 paletteColor(int i) {
    static const ImU32 colors[] = {IM_COL32(178, 34, 34, 255),  IM_COL32(31, 96, 168, 255), IM_COL32(214, 137, 16, 255),
                                   IM_COL32(46, 139, 87, 255),  IM_COL32(112, 72, 160, 255), IM_COL32(96, 96, 104, 255),
                                   IM_COL32(23, 160, 170, 255), IM_COL32(200, 90, 140, 255)};
    return colors[static_cast<size_t>(i) % (sizeof colors / sizeof colors[0])];
}

Hit horizontalBars(const char* id, const std::vector<std::string>& labels, const std::vector<double>& values,
                   const Format& fmt, float height, ImU32 color) {
    Area area = begin(id, height);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    Hit hit, hover;
    size_t n = std::min(labels.size(), values.size());
    if (n == 0) {
        end(area);
        return hit;
    }
    float lh = ImGui::GetTextLineHeight();
    float labelW = 0;
    for (size_t i = 0; i < n; ++i) labelW = std::max(labelW, ImGui::CalcTextSize(labels[i].c_str()).x);
    labelW = std::min(labelW + 8, (area.b.x - area.a.x) * 0.3f);
    float valueW = ImGui::CalcTextSize("000,000").x + 8;
    double maxV = 0;
    for (size_t i = 0; i < n; ++i) maxV = std::max(maxV, values[i]);
    maxV = niceMax(maxV);
    float x0 = area.a.x + labelW, x1 = area.b.x - valueW;
    float rowH = std::min((area.b.y - area.a.y) / static_cast<float>(n), lh * 1.6f);
    float barH = rowH * 0.72f;
    for (size_t i = 0; i < n; ++i) {
        float y = area.a.y + rowH * static_cast<float>(i);
        std::string lab = fit(labels[i], labelW - 8);
        dl->AddText(ImVec2(x0 - 6 - ImGui::CalcTextSize(lab.c_str()).x, y + (rowH - lh) / 2), kText, lab.c_str());
        float w = static_cast<float>((x1 - x0) * values[i] / maxV);
        ImVec2 ba(x0, y + (rowH - barH) / 2), bb(x0 + std::max(w, 1.0f), y + (rowH + barH) / 2);
        bool over = area.hovered && inside(area.mouse, ImVec2(area.a.x, y), ImVec2(area.b.x, y + rowH));
        dl->AddRectFilled(ba, bb, over ? IM_COL32(230, 90, 60, 255) : color, 2.0f);
        std::string v = fmt(values[i]);
        dl->AddText(ImVec2(bb.x + 4, y + (rowH - lh) / 2), kText, v.c_str());
        if (over) hover = {static_cast<int>(i), 0};
        markRect(id, "." + std::to_string(i), ba, ImVec2(std::max(bb.x, ba.x + 4), bb.y));
    }
    dl->AddLine(ImVec2(x0, area.a.y), ImVec2(x0, area.a.y + rowH * static_cast<float>(n)), kAxis);
    if (hover.index >= 0) {
        ImGui::SetTooltip("%s：%s", labels[static_cast<size_t>(hover.index)].c_str(), fmt(values[static_cast<size_t>(hover.index)]).c_str());
        if (area.clicked) hit = hover;
    }
    end(area);
    return hit;
}

Hit stackedBars(const char* id, const std::vector<std::string>& labels, const std::vector<Series>& series,
                const Format& fmt, float height) {
    size_t n = labels.size();
    auto plot = beginPlot(id, height, series, n == 0, ImGui::CalcTextSize("00000").x + 6);
    if (!plot) return {};
    const Plot& p = *plot;
    ImDrawList* dl = p.dl;
    const float x0 = p.x0, x1 = p.x1, y1 = p.y1;
    Hit hover;
    std::vector<double> totals(n, 0.0);
    for (const auto& s : series)
        for (size_t i = 0; i < n && i < s.values.size(); ++i) totals[i] += s.values[i];
    double maxV = niceMax(*std::max_element(totals.begin(), totals.end()));
    valueGrid(p, maxV, kTicks, fmt);
    float colW = (x1 - x0) / static_cast<float>(n), barW = colW * 0.62f;
    for (size_t i = 0; i < n; ++i) {
        float cx = x0 + colW * (static_cast<float>(i) + 0.5f);
        double acc = 0;
        for (size_t s = 0; s < series.size(); ++s) {
            double v = i < series[s].values.size() ? series[s].values[i] : 0;
            if (v <= 0) continue;
            float ya = p.yOf(acc + v, maxV), yb = p.yOf(acc, maxV);
            ImVec2 a(cx - barW / 2, ya), b(cx + barW / 2, yb);
            bool over = p.area.hovered && inside(p.area.mouse, a, b);
            dl->AddRectFilled(a, b, over ? IM_COL32(230, 90, 60, 255) : series[s].color);
            if (over) hover = {static_cast<int>(i), static_cast<int>(s)};
            markRect(id, "." + std::to_string(i) + "." + std::to_string(s), a, b);
            acc += v;
        }
        categoryLabel(p, labels[i], cx, colW - 2);
    }
    std::string total = hover.index >= 0 ? "（合计 " + fmt(totals[static_cast<size_t>(hover.index)]) + "）" : "";
    return endPlot(p, hover, labels, series, fmt, total);
}

Hit lines(const char* id, const std::vector<std::string>& labels, const std::vector<Series>& series, const Format& fmt,
          float height) {
    size_t n = labels.size();
    auto plot = beginPlot(id, height, series, n == 0, ImGui::CalcTextSize("00000").x + 6, 8);
    if (!plot) return {};
    const Plot& p = *plot;
    const Area& area = p.area;
    ImDrawList* dl = p.dl;
    const float x0 = p.x0, x1 = p.x1, y1 = p.y1;
    Hit hover;
    double maxV = 0;
    for (const auto& s : series)
        for (double v : s.values) maxV = std::max(maxV, v);
    maxV = niceMax(maxV);
    valueGrid(p, maxV, kTicks, fmt);
    auto xAt = [&](size_t i) { return n == 1 ? (x0 + x1) / 2 : x0 + (x1 - x0) * static_cast<float>(i) / static_cast<float>(n - 1); };
    size_t step = std::max<size_t>(1, static_cast<size_t>(std::ceil(ImGui::CalcTextSize("2026年12月").x * 1.1f * static_cast<float>(n) / (x1 - x0))));
    for (size_t i = 0; i < n; i += step) {
        std::string lab = labels[i];
        float w = ImGui::CalcTextSize(lab.c_str()).x;
        float x = std::clamp(xAt(i) - w / 2, area.a.x, area.b.x - w);
        dl->AddText(ImVec2(x, y1 + 2), kText, lab.c_str());
    }
    for (size_t s = 0; s < series.size(); ++s) {
        std::vector<ImVec2> pts;
        for (size_t i = 0; i < n && i < series[s].values.size(); ++i)
            pts.push_back(ImVec2(xAt(i), p.yOf(series[s].values[i], maxV)));
        if (pts.size() > 1) dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), series[s].color, 0, 2.0f);
        for (size_t i = 0; i < pts.size(); ++i) {
            ImVec2 pt = pts[i];
            bool over = area.hovered && std::fabs(area.mouse.x - pt.x) < 6 && std::fabs(area.mouse.y - pt.y) < 8;
            dl->AddCircleFilled(pt, over ? 5.0f : 3.0f, series[s].color);
            if (over) hover = {static_cast<int>(i), static_cast<int>(s)};
            markRect(id, "." + std::to_string(i) + "." + std::to_string(s), ImVec2(pt.x - 4, pt.y - 4), ImVec2(pt.x + 4, pt.y + 4));
        }
    }
    return endPlot(p, hover, labels, series, fmt);
}

Hit groupedBars(const char* id, const std::vector<std::string>& labels, const std::vector<Series>& series,
                const Format& fmt, float height, double maxValue, double target, const std::string& targetLabel) {
    size_t n = labels.size();
    auto plot = beginPlot(id, height, series, n == 0 || series.empty(), ImGui::CalcTextSize("100.0%").x + 8);
    if (!plot) return {};
    const Plot& p = *plot;
    const Area& area = p.area;
    ImDrawList* dl = p.dl;
    const float x0 = p.x0, x1 = p.x1, y0 = p.y0, y1 = p.y1, lh = p.lh;
    Hit hover;
    valueGrid(p, maxValue, 4, fmt);
    float colW = (x1 - x0) / static_cast<float>(n), groupW = colW * 0.8f, barW = groupW / static_cast<float>(series.size());
    for (size_t i = 0; i < n; ++i) {
        float gx = x0 + colW * static_cast<float>(i) + (colW - groupW) / 2;
        for (size_t s = 0; s < series.size(); ++s) {
            double v = i < series[s].values.size() ? series[s].values[i] : 0;
            ImVec2 a(gx + barW * static_cast<float>(s) + 1, p.yOf(std::min(v, maxValue), maxValue));
            ImVec2 b(gx + barW * static_cast<float>(s + 1) - 1, y1);
            bool over = area.hovered && inside(area.mouse, ImVec2(a.x, y0), b);
            dl->AddRectFilled(a, b, over ? IM_COL32(230, 90, 60, 255) : series[s].color);
            if (over) hover = {static_cast<int>(i), static_cast<int>(s)};
            markRect(id, "." + std::to_string(i) + "." + std::to_string(s), ImVec2(a.x, std::min(a.y, b.y - 4)), b);
        }
        categoryLabel(p, labels[i], gx + groupW / 2, colW - 2);
    }
    float ty = p.yOf(target, maxValue);
    for (float x = x0; x < x1; x += 10) dl->AddLine(ImVec2(x, ty), ImVec2(std::min(x + 6, x1), ty), IM_COL32(200, 30, 30, 255), 1.5f);
    dl->AddText(ImVec2(x1 - ImGui::CalcTextSize(targetLabel.c_str()).x - 2, ty - lh - 1), IM_COL32(200, 30, 30, 255), targetLabel.c_str());
    return endPlot(p, hover, labels, series, fmt);
}

}  // namespace jc::ui::charts
