#include "ui/widgets/widgets.h"

#include "ui/widgets/region_filter.h"

#include <imgui_stdlib.h>

#include <algorithm>
#include <cstdio>

#include "core/dates.h"
#include "core/utf8.h"
#include <imgui_internal.h>

#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/theme.h"

namespace jc::ui {

const char* roleLabel(std::string_view role) {
    if (role == "lead") return tr("role.lead");
    if (role == "hq_admin") return tr("role.hq_admin");
    return tr("role.inspector");
}

std::string localTime(const std::string& iso) {
    auto ms = parseIsoTimestamp(iso);
    if (!ms) return iso;
    return chinaDateTime(*ms);
}

std::string sizeText(int64_t bytes) {
    char buf[32];
    if (bytes >= 1024 * 1024) std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
    else std::snprintf(buf, sizeof buf, "%.0f KB", static_cast<double>(bytes) / 1024.0 + 0.5);
    return buf;
}

std::string workdaysText(int left) {
    if (left > 0) return trf("deadline.left", {std::to_string(left)});
    if (left == 0) return tr("deadline.today");
    return trf("deadline.overdue", {std::to_string(-left)});
}

namespace widgets {

FilterCombo::FilterCombo(const char* id, std::string& value, const char* anyLabel, const char* preview, float width)
    : m_value(value) {
    if (width != 0) ImGui::SetNextItemWidth(width);
    m_open = ImGui::BeginCombo(id, preview ? preview : anyLabel);
    if (m_open && ImGui::Selectable(anyLabel, value.empty())) {
        value.clear();
        m_changed = true;
    }
}

FilterCombo::~FilterCombo() { end(); }

void FilterCombo::item(const std::string& value, const char* label) {
    if (m_open && ImGui::Selectable(label, value == m_value)) {
        m_value = value;
        m_changed = true;
    }
}

bool FilterCombo::end() {
    if (!m_ended && m_open) ImGui::EndCombo();
    m_ended = true;
    return m_changed;
}

bool regionFilterCombo(const char* id, std::string& code, const char* anyLabel, std::span<const Region> regions,
                       float width) {
    const char* preview = nullptr;
    for (const auto& r : regions)
        if (r.code == code) preview = r.name.c_str();
    FilterCombo c(id, code, anyLabel, preview, width);
    for (const auto& r : regions) c.item(r.code, r.name.c_str());
    return c.end();
}

bool codeCombo(const char* id, std::span<const CodeLabel> list, std::string& value, const char* noneKey, float width) {
    const char* preview = noneKey ? tr(noneKey) : "";
    for (const auto& c : list)
        if (value == c.code) preview = i18n().label(c);
    if (width != 0) ImGui::SetNextItemWidth(width);
    bool changed = false;
    if (ImGui::BeginCombo(id, preview)) {
        if (noneKey && ImGui::Selectable(tr(noneKey), value.empty())) {
            value.clear();
            changed = true;
        }
        for (const auto& c : list) {
            ImGui::PushID(c.code);
            if (ImGui::Selectable(i18n().label(c), value == c.code)) {
                value = c.code;
                changed = true;
            }
            mark(std::string(id) + "." + c.code);
            ImGui::PopID();
        }
        ImGui::EndCombo();
    }
    mark(id);
    return changed;
}

bool codeChecks(const char* id, std::span<const CodeLabel> list, std::vector<std::string>& values, int columns) {
    bool changed = false;
    if (!ImGui::BeginTable(id, columns, ImGuiTableFlags_SizingStretchSame)) return false;
    for (const auto& c : list) {
        ImGui::TableNextColumn();
        bool on = std::find(values.begin(), values.end(), c.code) != values.end();
        ImGui::PushID(c.code);
        if (ImGui::Checkbox(i18n().label(c), &on)) {
            if (on) values.push_back(c.code);
            else values.erase(std::remove(values.begin(), values.end(), c.code), values.end());
            changed = true;
        }
        ImGui::PopID();
        mark(std::string(id) + "." + c.code);
    }
    ImGui::EndTable();
    return changed;
}

void statusBadge(Machine m, std::string_view status) {
    ImGui::TextColored(theme::statusColor(status), "%s", codeLabel(statuses(m), status));
}

namespace {
// Finds the earliest occurrence of any term at or after `from` (byte offsets, case-sensitive).
std::pair<size_t, size_t> nextMatch(std::string_view text, const std::vector<std::string>& terms, size_t from) {
    size_t best = std::string_view::npos, len = 0;
    for (const auto& t : terms) {
        if (t.empty()) continue;
        size_t p = text.find(t, from);
        if (p < best) best = p, len = t.size();
    }
    return {best, len};
}

void drawSegments(std::string_view text, const std::vector<std::pair<size_t, size_t>>& hits) {
    // One line, no wrapping: list cells and snippets are short; the highlight is a filled rect.
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 pos = ImGui::GetCursorScreenPos();
    float x = pos.x;
    size_t at = 0;
    float h = ImGui::GetTextLineHeight();
    auto run = [&](size_t a, size_t b, bool hit) {
        if (b <= a) return;
        const char* s = text.data() + a;
        const char* e = text.data() + b;
        float w = ImGui::CalcTextSize(s, e).x;
        if (hit) {
            dl->AddRectFilled(ImVec2(x, pos.y), ImVec2(x + w, pos.y + h), ImGui::GetColorU32(theme::kHighlight), 2.0f);
            // Tests find a highlighted span by its text: "highlight.<text>".
            if (automation::enabled()) automation::markRect("highlight." + std::string(s, e), {x, pos.y, x + w, pos.y + h});
        }
        dl->AddText(ImVec2(x, pos.y), ImGui::GetColorU32(ImGuiCol_Text), s, e);
        x += w;
    };
    for (auto [p, n] : hits) {
        run(at, p, false);
        run(p, p + n, true);
        at = p + n;
    }
    run(at, text.size(), false);
    ImGui::Dummy(ImVec2(x - pos.x, h));
}
}  // namespace

void highlighted(std::string_view text, const std::vector<std::string>& terms) {
    if (terms.empty()) {
        ImGui::TextUnformatted(text.data(), text.data() + text.size());
        return;
    }
    std::vector<std::pair<size_t, size_t>> hits;
    for (size_t from = 0;;) {
        auto [p, n] = nextMatch(text, terms, from);
        if (p == std::string_view::npos) break;
        hits.push_back({p, n});
        from = p + n;
    }
    drawSegments(text, hits);
}

void snippet(std::string_view text) {
    std::string plain;
    std::vector<std::pair<size_t, size_t>> hits;
    size_t open = std::string::npos;
    for (char c : text) {
        if (c == '[' && open == std::string::npos) {
            open = plain.size();
        } else if (c == ']' && open != std::string::npos) {
            hits.push_back({open, plain.size() - open});
            open = std::string::npos;
        } else if (c != '\n') {
            plain += c;
        } else {
            plain += ' ';
        }
    }
    drawSegments(plain, hits);
}

namespace {
bool isWordChar(uint32_t c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '%' || c == '_' ||
           c == '-' || c == '/' || c == ':' || c == '@';
}
// Closing punctuation that must not start a line.
bool isClosing(uint32_t c) {
    static const uint32_t list[] = {0xFF0C, 0x3002, 0x3001, 0xFF09, 0xFF1B, 0xFF1A, 0xFF01, 0xFF1F, 0x300D, 0x300F,
                                    0x201D, 0x2019, 0x3011, 0x300B, ',', '.', ')', ';', ':', '!', '?'};
    for (uint32_t x : list)
        if (c == x) return true;
    return false;
}
}  // namespace

std::vector<std::pair<size_t, size_t>> wrapLines(std::string_view text, float width) {
    std::vector<std::pair<size_t, size_t>> lines;
    ImFont* font = ImGui::GetFont();
    float scale = ImGui::GetFontSize() / font->FontSize;
    size_t lineStart = 0, i = 0;
    size_t lastBreak = std::string_view::npos;  // a position where the line may end
    float x = 0, xAtBreak = 0;
    uint32_t prev = 0;
    while (i < text.size()) {
        size_t at = i;
        uint32_t c = decodeUtf8(text, i);
        if (c == '\n') {
            lines.push_back({lineStart, at});
            lineStart = i;
            x = 0;
            lastBreak = std::string_view::npos;
            prev = 0;
            continue;
        }
        // A break is allowed before `c` unless both sides belong to one Latin/number word, or `c` closes.
        if (at > lineStart && !(isWordChar(prev) && isWordChar(c)) && !isClosing(c)) {
            lastBreak = at;
            xAtBreak = x;
        }
        float adv = font->GetCharAdvance(static_cast<ImWchar>(c)) * scale;
        if (x + adv > width && at > lineStart) {
            size_t cut = lastBreak != std::string_view::npos && lastBreak > lineStart ? lastBreak : at;
            lines.push_back({lineStart, cut});
            lineStart = cut;
            while (lineStart < text.size() && text[lineStart] == ' ') ++lineStart;
            x = cut == at ? 0 : x - xAtBreak;
            if (lineStart > at) x = 0;
            lastBreak = std::string_view::npos;
        }
        x += adv;
        prev = c;
    }
    lines.push_back({lineStart, text.size()});
    return lines;
}

namespace {
// Draws lines that wrapLines() laid out (each text is laid out once per frame, not once to
// measure and again to draw).
void drawLines(ImDrawList* dl, ImVec2 pos, std::string_view text, const std::vector<std::pair<size_t, size_t>>& lines,
               ImU32 color, const ImVec4* clip = nullptr) {
    float lh = ImGui::GetTextLineHeight();
    for (auto [a, b] : lines) {
        if (clip && pos.y > clip->w) break;
        dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), pos, color, text.data() + a, text.data() + b, 0.0f, clip);
        pos.y += lh;
    }
}
}  // namespace

void textWrapped(std::string_view text) { textWrapped(text, ImGui::GetContentRegionAvail().x, ImGui::GetStyleColorVec4(ImGuiCol_Text)); }

void textWrapped(std::string_view text, float w, const ImVec4& color) {
    auto lines = wrapLines(text, w);
    drawLines(ImGui::GetWindowDrawList(), ImGui::GetCursorScreenPos(), text, lines, ImGui::GetColorU32(color));
    ImGui::Dummy(ImVec2(w, static_cast<float>(lines.size()) * ImGui::GetTextLineHeight()));
}

std::string breakToken(const std::string& token, float width) {
    float widest = ImGui::CalcTextSize("W").x;
    size_t per = static_cast<size_t>(std::max(16.0f, (width - ImGui::GetStyle().FramePadding.x * 2) / std::max(1.0f, widest)));
    std::string out;
    for (size_t i = 0; i < token.size(); i += per) {
        if (i) out += '\n';
        out.append(token, i, per);
    }
    return out;
}

bool deadlineCard(const char* id, std::string_view light, const std::string& title, const std::string& line2,
                  const std::string& line3, float width) {
    float lh = ImGui::GetTextLineHeightWithSpacing();
    ImVec2 size(width, lh * 3 + ImGui::GetStyle().WindowPadding.y * 2);
    ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImGui::PushID(id);
    bool clicked = ImGui::InvisibleButton("##card", size);
    mark(id);
    bool hovered = ImGui::IsItemHovered();
    ImVec4 bg = theme::lightCardColor(light);
    if (hovered) bg = ImVec4(bg.x * 0.95f, bg.y * 0.95f, bg.z * 0.95f, 1);
    dl->AddRectFilled(p, ImVec2(p.x + size.x, p.y + size.y), ImGui::GetColorU32(bg), 6.0f);
    dl->AddRectFilled(p, ImVec2(p.x + 6, p.y + size.y), ImGui::GetColorU32(theme::lightColor(light)), 6.0f,
                      ImDrawFlags_RoundCornersLeft);
    float pad = ImGui::GetStyle().WindowPadding.x;
    ImVec2 tp(p.x + pad + 6, p.y + ImGui::GetStyle().WindowPadding.y);
    ImVec4 clip(p.x, p.y, p.x + size.x - pad, p.y + size.y);
    ImFont* font = ImGui::GetFont();
    float fs = ImGui::GetFontSize();
    dl->AddText(font, fs, tp, ImGui::GetColorU32(ImGuiCol_Text), title.c_str(), nullptr, 0, &clip);
    dl->AddText(font, fs, ImVec2(tp.x, tp.y + lh), ImGui::GetColorU32(theme::lightColor(light)), line2.c_str(), nullptr, 0, &clip);
    dl->AddText(font, fs, ImVec2(tp.x, tp.y + lh * 2), ImGui::GetColorU32(theme::kMuted), line3.c_str(), nullptr, 0, &clip);
    if (hovered) ImGui::SetTooltip("%s\n%s\n%s", title.c_str(), line2.c_str(), line3.c_str());
    ImGui::PopID();
    return clicked;
}

void heading(const char* text) {
    ImGui::PushStyleColor(ImGuiCol_Text, theme::kAccent);
    ImGui::TextUnformatted(text);
    ImGui::PopStyleColor();
    ImGui::Separator();
}

void fieldLabel(const char* text, bool required) {
    ImGui::TextUnformatted(text);
    if (required) {
        ImGui::SameLine(0, 2);
        ImGui::TextColored(theme::kRed, "*");
    }
}

bool inputMultiline(const char* id, std::string& value, int minLines, int maxLines) {
    // Dear ImGui 1.86 does not wrap text inside InputTextMultiline, so a long Chinese narrative
    // would be one endless line. While a field is not being edited it is shown wrapped; a click
    // (or a first keystroke after Tab) switches it to the editor.
    static ImGuiID editing = 0, focusNext = 0;
    ImGuiID gid = ImGui::GetID(id);
    float lineH = ImGui::GetTextLineHeight();
    ImVec2 pad = ImGui::GetStyle().FramePadding;
    float width = ImGui::GetContentRegionAvail().x;
    bool edit = editing == gid || value.empty() || focusNext == gid;
    if (!edit) {
        auto wrapped = wrapLines(value, width - pad.x * 2);
        float h = std::clamp(static_cast<float>(wrapped.size()) * lineH, lineH * static_cast<float>(minLines),
                             lineH * static_cast<float>(maxLines)) + pad.y * 2;
        ImVec2 p = ImGui::GetCursorScreenPos();
        bool clicked = ImGui::InvisibleButton(id, ImVec2(width, h));
        mark(id);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        bool hovered = ImGui::IsItemHovered();
        dl->AddRectFilled(p, ImVec2(p.x + width, p.y + h), ImGui::GetColorU32(hovered ? ImGuiCol_FrameBgHovered : ImGuiCol_FrameBg),
                          ImGui::GetStyle().FrameRounding);
        dl->AddRect(p, ImVec2(p.x + width, p.y + h), ImGui::GetColorU32(ImGuiCol_Border), ImGui::GetStyle().FrameRounding);
        ImVec4 clip(p.x, p.y, p.x + width, p.y + h);
        drawLines(dl, ImVec2(p.x + pad.x, p.y + pad.y), value, wrapped,
                  ImGui::GetColorU32(ImGui::GetItemFlags() & ImGuiItemFlags_Disabled ? ImGuiCol_TextDisabled : ImGuiCol_Text), &clip);
        if (clicked) focusNext = gid;
        return false;
    }
    int lines = 1;
    for (char c : value) lines += c == '\n';
    lines = std::clamp(lines + 1, minLines, maxLines);
    float h = lineH * static_cast<float>(lines) + pad.y * 2;
    if (focusNext == gid) {
        ImGui::SetKeyboardFocusHere();
        focusNext = 0;
        editing = gid;
    }
    bool changed = ImGui::InputTextMultiline(id, &value, ImVec2(-1, h));
    mark(id);
    if (ImGui::IsItemActive()) editing = gid;
    else if (ImGui::IsItemDeactivated() && editing == gid) editing = 0;
    return changed;
}

bool inputText(const char* id, std::string& value, const char* hint, int flags) {
    bool changed = hint ? ImGui::InputTextWithHint(id, hint, &value, flags) : ImGui::InputText(id, &value, flags);
    mark(id);
    return changed;
}

void helpMarker(const char* text) {
    ImGui::SameLine();
    ImGui::TextDisabled("(?)");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text);
}

std::vector<std::string> searchTerms(std::string_view q) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < q.size()) {
        while (i < q.size() && (q[i] == ' ' || q[i] == '\t')) ++i;
        size_t j = i;
        while (j < q.size() && q[j] != ' ' && q[j] != '\t') ++j;
        if (j > i) out.emplace_back(q.substr(i, j - i));
        i = j;
    }
    // Full-width spaces separate terms too (Chinese IMEs type them).
    std::vector<std::string> split;
    for (auto& t : out) {
        size_t from = 0, p;
        while ((p = t.find("\u3000", from)) != std::string::npos) {
            if (p > from) split.push_back(t.substr(from, p - from));
            from = p + 3;
        }
        if (from < t.size()) split.push_back(t.substr(from));
    }
    return split;
}

}  // namespace widgets
}  // namespace jc::ui
