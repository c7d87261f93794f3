#pragma once
// A Chinese government document laid out as GB/T 9704-2012 (党政机关公文格式) prescribes, drawn
// with cairo and pango: the circular (report/circular.h) is one. The same layout writes the PDF
// and renders page images for the GUI preview, so what HQ sees is what prints.
//
// The format, in millimetres on A4 (210 × 297): type area 156 × 225, top margin 37, inner
// (left) margin 28. Body text 3号 (16 pt), 22 lines of 28 characters per page: every line of
// text sits on that grid, tables and charts take whole grid lines. The issuing authority's mark
// red and centred 35 mm below the top of the type area, the document number two lines under it,
// a red rule the width of the type area 4 mm below the number, the title (2号 bold Song) two
// lines below the rule. Headings 「一、」 in Hei, 「（一）」 in Kai, 「1.」 and 「（1）」 in the body
// face. The issuing office over the date (2026年12月2日), right-aligned, four characters from the
// right edge. Page numbers 「— 1 —」 (4号) 7 mm under the type area, right on odd pages and left
// on even ones, one character in. The 版记 (抄送, 印发 with its date) between rules at the foot
// of the last page.
//
// Debian has no FangSong or XiaoBiaoSong: Song is Noto Serif CJK SC, Hei Noto Sans CJK SC, Kai
// AR PL UKai CN (fonts-noto-cjk, fonts-arphic-ukai). cairo embeds them as subsets.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "core/dates.h"

namespace jc::report {

enum class TextStyle {
    Body,       // first line indented two characters
    Heading1,   // 「一、」 Hei
    Heading2,   // 「（一）」 Kai
    Addressee,  // 主送机关: flush left
};

struct TextBlock {
    std::string text;
    TextStyle style = TextStyle::Body;
};

struct TableBlock {
    std::string caption;                         // centred above the table ("" = none)
    std::vector<std::string> headers;
    std::vector<std::vector<std::string>> rows;  // the last row is bold when `totalRow`
    bool totalRow = false;
};

struct BarChartBlock {
    std::string caption;
    std::vector<std::string> labels;
    std::vector<double> values;
    std::string valueSuffix;  // "件"
};

using Block = std::variant<TextBlock, TableBlock, BarChartBlock>;

struct OfficialDocument {
    std::string issuerMark;  // 发文机关标志, e.g. 张掖市监察局文件
    std::string number;      // 发文字号, e.g. 张监通〔2026〕12号 ("" = none)
    std::string title;
    std::string addressee;   // 主送机关 ("" = none)
    std::vector<Block> body;
    std::string signature;   // 发文机关署名
    Date date;               // 成文日期
    std::string copyTo;      // 抄送 ("" = no such line)
    std::string printedBy;   // 印发机关
    Date printedOn;
};

// 2026年12月2日
std::string chineseDate(const Date& d);

class DocumentLayout {
public:
    // Lays the document out into pages. Throws StorageError when the fonts cannot be loaded.
    explicit DocumentLayout(const OfficialDocument& doc);
    ~DocumentLayout();
    DocumentLayout(const DocumentLayout&) = delete;
    DocumentLayout& operator=(const DocumentLayout&) = delete;

    int pageCount() const;
    void writePdf(const std::filesystem::path& path) const;  // throws StorageError

    struct Image {
        int width = 0, height = 0;
        std::vector<uint8_t> rgba;  // straight RGBA, row-major, no padding
    };
    Image renderPage(int page, double pixelsPerMm) const;

    struct Impl;

private:
    std::unique_ptr<Impl> m;
};

}  // namespace jc::report
