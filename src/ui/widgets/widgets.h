#pragma once
// Small widgets shared by the views: code-list combos and check lists, status badges, deadline
// cards (yellow / red, 限时办结制), text with search matches highlighted, labelled inputs that
// report their name to the automation registry, and formatting helpers.
#include <imgui.h>

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain.h"
#include "core/workflow.h"

namespace jc::ui {

const char* roleLabel(std::string_view roleCode);
// "YYYY-MM-DD HH:MM" in China Standard Time from an ISO-8601 UTC timestamp ("" stays "").
std::string localTime(const std::string& iso);
// A file size as people read it: "12 KB", "3.4 MB".
std::string sizeText(int64_t bytes);
// "还剩 3 个工作日" / "今天到期" / "已超期 2 个工作日".
std::string workdaysText(int workdaysLeft);

namespace widgets {

// Combo over a code list. `value` holds the code; with `noneKey` an empty choice is offered.
bool codeCombo(const char* id, std::span<const CodeLabel> list, std::string& value, const char* noneKey = nullptr,
               float width = 0);
// A filter combo over a list the caller walks: "any" (value "") first, then one item() per choice.
//   widgets::FilterCombo c("##findings.campaign", m_filter.campaignId, tr("findings.all_campaigns"), title, width);
//   for (const auto& x : session.campaigns) c.item(x.id, x.title.c_str());
//   if (c.end()) reload();
// `preview` is what the closed combo shows (nullptr: the "any" label).
class FilterCombo {
public:
    FilterCombo(const char* id, std::string& value, const char* anyLabel, const char* preview, float width);
    ~FilterCombo();  // ends the combo if end() was not called
    FilterCombo(const FilterCombo&) = delete;
    FilterCombo& operator=(const FilterCombo&) = delete;
    void item(const std::string& value, const char* label);
    bool end();  // closes the combo; true when the user picked another value

private:
    std::string& m_value;
    bool m_open = false, m_changed = false, m_ended = false;
};
// Check boxes for a multi-select code list (misconduct types).
bool codeChecks(const char* id, std::span<const CodeLabel> list, std::vector<std::string>& values, int columns = 3);
void statusBadge(Machine m, std::string_view status);
// Draws `text` (wrapped to the available width when `wrap`) with the given terms highlighted.
void highlighted(std::string_view text, const std::vector<std::string>& terms);
// A search snippet whose matches are wrapped in [ and ] (store/search_index.h).
void snippet(std::string_view text);
// A clickable card coloured by its deadline light; returns true when clicked.
bool deadlineCard(const char* id, std::string_view light, const std::string& title, const std::string& line2,
                  const std::string& line3, float width);
// A heading in the accent colour with a separator.
void heading(const char* text);
// Label on its own line above a full-width input (forms read better that way in Chinese).
void fieldLabel(const char* text, bool required = false);
// Multi-line text input for std::string that grows with its content up to `maxLines`.
bool inputMultiline(const char* id, std::string& value, int minLines = 3, int maxLines = 10);
bool inputText(const char* id, std::string& value, const char* hint = nullptr, int flags = 0);
// A small grey help marker with a tooltip.
void helpMarker(const char* text);
// Line breaks for Chinese text: a line may break between any two CJK characters, but not inside a
// run of Latin letters, digits and number punctuation ("281.13万元", "COD"), and not before
// closing punctuation (，。、）). ImGui's own wrapping breaks numbers at the '.'.
std::vector<std::pair<size_t, size_t>> wrapLines(std::string_view text, float width);
// Wrapped text at the cursor, taking the available width (or `width`), in `color` (default: the text colour).
void textWrapped(std::string_view text);
void textWrapped(std::string_view text, float width, const ImVec4& color);
// A long token without spaces (a recovery request, a key) cut into lines that fit `width`, for a
// read-only box; whoever reads it back drops the line breaks.
std::string breakToken(const std::string& token, float width);
// Splits a search query into its whitespace-separated terms.
std::vector<std::string> searchTerms(std::string_view query);

}  // namespace widgets
}  // namespace jc::ui
