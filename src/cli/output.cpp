#include "cli/env.h"

#include <cstdio>
#include <iostream>

#include "core/error.h"

namespace jc::cli {

namespace {
// Decodes one UTF-8 code point at s[i], advancing i; invalid bytes count as one column.
uint32_t nextCodePoint(const std::string& s, size_t& i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (i + static_cast<size_t>(len) > s.size()) len = 1;
    uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<size_t>(k)]) & 0x3F);
    i += static_cast<size_t>(len);
    return cp;
}

bool isWide(uint32_t cp) {
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) || (cp >= 0x3041 && cp <= 0x33FF) ||
           (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
           (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}
}  // namespace

int displayWidth(const std::string& s) {
    int w = 0;
    for (size_t i = 0; i < s.size();) w += isWide(nextCodePoint(s, i)) ? 2 : 1;
    return w;
}

std::string padRight(const std::string& s, int width) {
    int w = displayWidth(s);
    return w >= width ? s : s + std::string(static_cast<size_t>(width - w), ' ');
}

std::string truncateDisplay(const std::string& s, int width) {
    if (displayWidth(s) <= width) return s;
    std::string out;
    int w = 0;
    for (size_t i = 0; i < s.size();) {
        size_t start = i;
        int cw = isWide(nextCodePoint(s, i)) ? 2 : 1;
        if (w + cw > width - 1) break;
        out.append(s, start, i - start);
        w += cw;
    }
    return out + "…";
}

void printTable(const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows) {
    std::vector<int> widths(headers.size());
    for (size_t c = 0; c < headers.size(); ++c) widths[c] = displayWidth(headers[c]);
    for (const auto& r : rows)
        for (size_t c = 0; c < r.size() && c < widths.size(); ++c) widths[c] = std::max(widths[c], displayWidth(r[c]));
    auto line = [&](const std::vector<std::string>& cells) {
        std::string out;
        for (size_t c = 0; c < cells.size() && c < widths.size(); ++c)
            out += (c ? "  " : "") + (c + 1 == cells.size() ? cells[c] : padRight(cells[c], widths[c]));
        std::cout << out << "\n";
    };
    line(headers);
    for (const auto& r : rows) line(r);
}

void printJson(const Json& j) { std::cout << j.dump(2, ' ', false, Json::error_handler_t::replace) << "\n"; }

int64_t parseYuan(const std::string& in) {
    std::string s = in;
    for (const char* strip : {"¥", "￥", "元"}) {
        size_t p;
        while ((p = s.find(strip)) != std::string::npos) s.erase(p, std::string(strip).size());
    }
    s.erase(std::remove(s.begin(), s.end(), ','), s.end());
    bool neg = !s.empty() && s[0] == '-';
    if (neg) s.erase(0, 1);
    size_t dot = s.find('.');
    std::string whole = s.substr(0, dot), frac = dot == std::string::npos ? "" : s.substr(dot + 1);
    auto digits = [](const std::string& d) {
        return std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (whole.empty() || whole.size() > 13 || !digits(whole) || frac.size() > 2 || !digits(frac))
        throw ValidationError(trf("cli.bad_amount", {in}));
    while (frac.size() < 2) frac += '0';
    int64_t fen = std::stoll(whole) * 100 + std::stoll(frac);
    return neg ? -fen : fen;
}

std::string statusText(Machine m, const std::string& code) { return code.empty() ? code : codeLabel(statuses(m), code); }

std::string lightText(const std::string& light) {
    return light == "red"      ? tr("cli.light.red")
           : light == "yellow" ? tr("cli.light.yellow")
           : light == "green"  ? tr("cli.light.green")
                               : light;
}

std::string timeText(const std::string& iso) { return displayTime(iso); }

std::string entityText(const std::string& entity) {
    return entity == "finding"         ? tr("cli.entity.finding")
           : entity == "complaint"     ? tr("cli.entity.complaint")
           : entity == "rectification" ? tr("cli.entity.rectification")
           : entity == "warning"       ? tr("cli.entity.warning")
                                       : entity;
}

std::string roleText(const std::string& role) {
    return role == "inspector" || role == "lead" || role == "hq_admin" ? roleLabel(parseRole(role)) : role;
}

void printHistory(const Json& history, Machine m) {
    if (history.empty()) return;
    std::cout << "\n" << tr("cli.history") << "\n";
    for (const auto& h : history) {
        std::string action = h.value("action", "");
        std::string shown = action == "receive"    ? tr("complaints.event_receive")
                            : action == "handover" ? tr("complaints.event_handover")
                                                   : codeLabel(actions(m), action);
        std::cout << "  " << timeText(h.value("at", "")) << "  " << h.value("actor", "") << "  " << shown;
        if (h.contains("to") && h["to"].is_string()) std::cout << " → " << statusText(m, h["to"].get<std::string>());
        if (h.contains("detail") && h["detail"].is_object() && h["detail"].contains("to"))
            std::cout << " " << trf("cli.handed_to", {h["detail"]["to"].get<std::string>()});
        if (h.contains("comment") && h["comment"].is_string()) std::cout << "  「" << h["comment"].get<std::string>() << "」";
        std::cout << "\n";
    }
}

int printHelp(const char* key, bool bare) {
    std::cout << tr(key);
    return bare ? 2 : 0;
}

}  // namespace jc::cli
