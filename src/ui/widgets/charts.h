#pragma once
// Charts drawn with ImDrawList (Debian's Dear ImGui 1.86 has no chart library): ranked
// horizontal bars, stacked vertical bars, lines over time, and grouped bars against a target
// line. Labels are the caller's (Chinese), values show on hover, and a click on a bar or point
// is returned so the view can open the records behind it (drill-down).
//
// With automation on, every bar and point is registered as "<id>.<index>" (and
// "<id>.<index>.<series>" for several series) so headless tests can click it.
#include <imgui.h>

#include <functional>
#include <string>
#include <vector>

namespace jc::ui::charts {

struct Series {
    std::string name;
    ImU32 color;
    std::vector<double> values;  // one per label
};

struct Hit {
    int index = -1;   // label (bar / x position)
    int series = -1;  // series, for stacked, grouped and line charts
    bool clicked() const { return index >= 0; }
};

using Format = std::function<std::string(double)>;

// A qualitative palette that prints well in grey too.
ImU32 paletteColor(int i);

// Ranked bars, one per label, longest first as given; `height` is the chart's height in pixels.
Hit horizontalBars(const char* id, const std::vector<std::string>& labels, const std::vector<double>& values,
                   const Format& fmt, float height, ImU32 color);
// One column per label, the series stacked, with a legend.
Hit stackedBars(const char* id, const std::vector<std::string>& labels, const std::vector<Series>& series,
                const Format& fmt, float height);
// One line per series over the labels (months); a point is clickable.
Hit lines(const char* id, const std::vector<std::string>& labels, const std::vector<Series>& series, const Format& fmt,
          float height);
// Grouped bars per label (rates), with a dashed target line at `target` (same scale as values).
Hit groupedBars(const char* id, const std::vector<std::string>& labels, const std::vector<Series>& series,
                const Format& fmt, float height, double maxValue, double target, const std::string& targetLabel);

}  // namespace jc::ui::charts
