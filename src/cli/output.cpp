#include "cli/env.h"

#include <cstdio>

#include "core/display_width.h"
#include "core/error.h"

namespace jc::cli {


int displayWidth(const std::string& s) { return jc::displayWidth(std::string_view(s)); }

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
        int cw = isWideCodePoint(nextCodePoint(s, i)) ? 2 : 1;
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

bool wantsHelp(const std::vector<std::string>& a) {
    for (const auto& w : a)
        if (w == "--help" || w == "-h") return true;
    return false;
}

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
        throw ValidationError("not an amount in yuan (e.g. 1234.50): '" + in + "'");
    while (frac.size() < 2) frac += '0';
    int64_t fen = std::stoll(whole) * 100 + std::stoll(frac);
    return neg ? -fen : fen;
}

}  // namespace jc::cli
