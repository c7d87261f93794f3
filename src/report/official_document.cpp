#include "report/official_document.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "core/utf8.h"
#include "core/error.h"

namespace jc::report {

std::string chineseDate(const Date& d) {
    return std::to_string(d.year) + "年" + std::to_string(d.month) + "月" + std::to_string(d.day) + "日";
}

namespace {

// [SECTION] Geometry (millimetres)

constexpr double kPageW = 210, kPageH = 297;
constexpr double kLeft = 28, kTop = 37, kAreaW = 156, kAreaH = 225;
constexpr int kLinesPerPage = 22, kCharsPerLine = 28;
constexpr double kPitch = kAreaH / kLinesPerPage;  // 10.23 mm
constexpr double kCharW = kAreaW / kCharsPerLine;  // 5.57 mm
constexpr double kPt = 25.4 / 72;                  // one point in mm
constexpr double kBodyPt = 16;                     // 3号

const char* const kSong = "Noto Serif CJK SC";
const char* const kHei = "Noto Sans CJK SC";
const char* const kKai = "AR PL UKai CN";

struct Rgb {
    double r, g, b;
};
constexpr Rgb kBlack{0, 0, 0}, kRed{0.85, 0.0, 0.0};

using LayoutPtr = std::shared_ptr<PangoLayout>;
using DrawOp = std::function<void(cairo_t*)>;

}  // namespace

struct DocumentLayout::Impl {
    PangoFontMap* fontMap = nullptr;
    PangoContext* ctx = nullptr;
    std::vector<std::vector<DrawOp>> pages;
    int line = 0;  // next free grid line on the current page

    Impl() {
        fontMap = pango_cairo_font_map_new();
        ctx = pango_font_map_create_context(fontMap);
        // One user unit is one millimetre: a "dpi" of 25.4 makes pango's points come out in mm.
        pango_cairo_context_set_resolution(ctx, 25.4);
        cairo_font_options_t* fo = cairo_font_options_create();
        cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
        cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
        cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
        pango_cairo_context_set_font_options(ctx, fo);
        cairo_font_options_destroy(fo);
        pages.emplace_back();
    }
    ~Impl() {
        pages.clear();
        if (ctx) g_object_unref(ctx);
        if (fontMap) g_object_unref(fontMap);
    }

    LayoutPtr layout(const std::string& text, const char* family, double pt, bool bold, double width,
                     PangoAlignment align = PANGO_ALIGN_LEFT, double indent = 0, bool tight = false) {
        PangoLayout* l = pango_layout_new(ctx);
        PangoFontDescription* d = pango_font_description_new();
        pango_font_description_set_family(d, family);
        pango_font_description_set_size(d, static_cast<int>(pt * PANGO_SCALE));
        pango_font_description_set_weight(d, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        pango_layout_set_font_description(l, d);
        pango_font_description_free(d);
        if (width > 0) {
            pango_layout_set_width(l, static_cast<int>(width * PANGO_SCALE));
            pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
        }
        pango_layout_set_alignment(l, align);
        if (indent != 0) pango_layout_set_indent(l, static_cast<int>(indent * PANGO_SCALE));
        if (tight) {
            // 28 characters of 16 pt in 156 mm: each a little narrower than its em.
            PangoAttrList* attrs = pango_attr_list_new();
            pango_attr_list_insert(attrs, pango_attr_letter_spacing_new(static_cast<int>((kCharW - pt * kPt) * PANGO_SCALE)));
            pango_layout_set_attributes(l, attrs);
            pango_attr_list_unref(attrs);
            pango_layout_set_justify(l, align == PANGO_ALIGN_LEFT);
        }
        pango_layout_set_text(l, text.c_str(), -1);
        return LayoutPtr(l, [](PangoLayout* p) { g_object_unref(p); });
    }

    static double widthOf(const LayoutPtr& l) {
        PangoRectangle r;
        pango_layout_get_extents(l.get(), nullptr, &r);
        return static_cast<double>(r.width) / PANGO_SCALE;
    }
    static double heightOf(const LayoutPtr& l) {
        PangoRectangle r;
        pango_layout_get_extents(l.get(), nullptr, &r);
        return static_cast<double>(r.height) / PANGO_SCALE;
    }

    void newPage() {
        pages.emplace_back();
        line = 0;
    }
    std::vector<DrawOp>& page() { return pages.back(); }

    // Draws the whole layout with its top-left at (x, y).
    static DrawOp drawLayout(LayoutPtr l, double x, double y, Rgb c = kBlack) {
        return [l, x, y, c](cairo_t* cr) {
            cairo_set_source_rgb(cr, c.r, c.g, c.b);
            cairo_move_to(cr, x, y);
            pango_cairo_show_layout(cr, l.get());
        };
    }
    static DrawOp drawRule(double x0, double x1, double y, double width, Rgb c) {
        return [=](cairo_t* cr) {
            cairo_set_source_rgb(cr, c.r, c.g, c.b);
            cairo_set_line_width(cr, width);
            cairo_move_to(cr, x0, y);
            cairo_line_to(cr, x1, y);
            cairo_stroke(cr);
        };
    }

    // Places a paragraph on the line grid, one grid line per text line, breaking pages as needed.
    void paragraph(const LayoutPtr& l, int minLinesLeft = 1, double xOffset = 0) {
        int count = pango_layout_get_line_count(l.get());
        if (line + std::min(count, minLinesLeft) > kLinesPerPage) newPage();
        PangoLayoutIter* it = pango_layout_get_iter(l.get());
        do {
            if (line >= kLinesPerPage) newPage();
            PangoRectangle logical;
            pango_layout_iter_get_line_extents(it, nullptr, &logical);
            double x = kLeft + xOffset + static_cast<double>(logical.x) / PANGO_SCALE;
            double lineH = static_cast<double>(logical.height) / PANGO_SCALE;
            double baselineInLine = static_cast<double>(pango_layout_iter_get_baseline(it) - logical.y) / PANGO_SCALE;
            double top = kTop + line * kPitch + (kPitch - lineH) / 2;
            double baseline = top + baselineInLine;
            PangoLayoutLine* raw = pango_layout_iter_get_line_readonly(it);
            pango_layout_line_ref(raw);
            auto pl = std::shared_ptr<PangoLayoutLine>(raw, [](PangoLayoutLine* p) { pango_layout_line_unref(p); });
            LayoutPtr keep = l;
            page().push_back([keep, pl, x, baseline](cairo_t* cr) {
                cairo_set_source_rgb(cr, 0, 0, 0);
                cairo_move_to(cr, x, baseline);
                pango_cairo_show_layout_line(cr, pl.get());
            });
            ++line;
        } while (pango_layout_iter_next_line(it));
        pango_layout_iter_free(it);
    }

    // Reserves `h` mm as whole grid lines (a new page when they do not fit) and returns the top.
    double reserve(double h) {
        int n = static_cast<int>(std::ceil(h / kPitch - 1e-6));
        if (line + n > kLinesPerPage && line > 0) newPage();
        double top = kTop + line * kPitch;
        line += n;
        return top;
    }

    void text(const TextBlock& b) {
        switch (b.style) {
            case TextStyle::Addressee: paragraph(layout(b.text, kSong, kBodyPt, false, kAreaW, PANGO_ALIGN_LEFT, 0, true)); break;
            case TextStyle::Heading1: paragraph(layout(b.text, kHei, kBodyPt, false, kAreaW, PANGO_ALIGN_LEFT, 2 * kCharW, true), 3); break;
            case TextStyle::Heading2: paragraph(layout(b.text, kKai, kBodyPt, false, kAreaW, PANGO_ALIGN_LEFT, 2 * kCharW, true), 2); break;
            case TextStyle::Body: paragraph(layout(b.text, kSong, kBodyPt, false, kAreaW, PANGO_ALIGN_LEFT, 2 * kCharW, true)); break;
        }
    }

    void table(const TableBlock& t) {
        const double fontPt = 12, rowH = 8.0, headerH = 12.0, pad = 1.2;
        const double charMm = fontPt * kPt;  // one CJK character at 12 pt
        size_t cols = t.headers.size();
        if (cols == 0) return;
        if (!t.caption.empty()) paragraph(layout(t.caption, kHei, 14, false, kAreaW, PANGO_ALIGN_CENTER), 3);
        // Column widths: the first (labels) as wide as its longest label; the others as wide as
        // their values or half their header (headers take two lines); then scaled to the area.
        std::vector<double> want(cols, 2);
        for (size_t c = 0; c < cols; ++c) {
            double w = c == 0 ? terminalWidth(t.headers[c]) : std::ceil(terminalWidth(t.headers[c]) / 2.0);
            for (const auto& r : t.rows)
                if (c < r.size()) w = std::max<double>(w, terminalWidth(r[c]));
            want[c] = w * charMm / 2 + 2 * pad + 1;
        }
        double sum = 0;
        for (double w : want) sum += w;
        std::vector<double> widths(cols), xs(cols + 1, kLeft);
        for (size_t c = 0; c < cols; ++c) widths[c] = kAreaW * want[c] / sum, xs[c + 1] = xs[c] + widths[c];
        auto rowOps = [&](const std::vector<std::string>& cells, double y, double h, bool bold, bool header) {
            std::vector<DrawOp> ops;
            for (size_t c = 0; c < cols; ++c) {
                std::string s = c < cells.size() ? cells[c] : "";
                bool numeric = !header && c > 0 && !s.empty() && (std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-');
                LayoutPtr l = layout(s, bold ? kHei : kSong, header ? fontPt - 1.5 : fontPt, false, widths[c] - 2 * pad,
                                     numeric ? PANGO_ALIGN_RIGHT : (header || c > 0 ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT));
                double th = heightOf(l);
                ops.push_back(drawLayout(l, xs[c] + pad, y + (h - th) / 2));
            }
            ops.push_back([=](cairo_t* cr) {
                cairo_set_source_rgb(cr, 0, 0, 0);
                cairo_set_line_width(cr, 0.25);
                cairo_rectangle(cr, xs[0], y, xs[cols] - xs[0], h);
                for (size_t c = 1; c < cols; ++c) {
                    cairo_move_to(cr, xs[c], y);
                    cairo_line_to(cr, xs[c], y + h);
                }
                cairo_stroke(cr);
            });
            return ops;
        };
        // Rows go onto the grid in runs; a page break repeats the header.
        size_t next = 0;
        while (next < t.rows.size() || next == 0) {
            int freeLines = kLinesPerPage - line;
            int rowsFit = static_cast<int>((freeLines * kPitch - headerH) / rowH);
            if (rowsFit < 2) {
                newPage();
                continue;
            }
            size_t run = std::min(t.rows.size() - next, static_cast<size_t>(rowsFit));
            double top = reserve(headerH + rowH * static_cast<double>(run));
            for (auto& op : rowOps(t.headers, top, headerH, true, true)) page().push_back(std::move(op));
            for (size_t i = 0; i < run; ++i) {
                bool bold = t.totalRow && next + i + 1 == t.rows.size();
                for (auto& op : rowOps(t.rows[next + i], top + headerH + rowH * static_cast<double>(i), rowH, bold, false))
                    page().push_back(std::move(op));
            }
            next += run;
            if (t.rows.empty()) break;
        }
    }

    void chart(const BarChartBlock& c) {
        const double barH = 5.5, gap = 2.5, labelW = 34, valueW = 22;
        double h = static_cast<double>(c.values.size()) * (barH + gap) + 6;
        // The caption stays with its chart: both on this page or both on the next.
        int need = static_cast<int>(std::ceil(h / kPitch - 1e-6)) + (c.caption.empty() ? 0 : 1);
        if (line + need > kLinesPerPage && line > 0) newPage();
        if (!c.caption.empty()) paragraph(layout(c.caption, kHei, 14, false, kAreaW, PANGO_ALIGN_CENTER));
        double top = reserve(h);
        double maxV = 0;
        for (double v : c.values) maxV = std::max(maxV, v);
        double x0 = kLeft + labelW, plotW = kAreaW - labelW - valueW;
        for (size_t i = 0; i < c.values.size(); ++i) {
            double y = top + 3 + static_cast<double>(i) * (barH + gap);
            LayoutPtr lab = layout(c.labels[i], kSong, 11, false, labelW - 2, PANGO_ALIGN_RIGHT);
            page().push_back(drawLayout(lab, kLeft, y + (barH - heightOf(lab)) / 2));
            double w = maxV > 0 ? plotW * c.values[i] / maxV : 0;
            page().push_back([=](cairo_t* cr) {
                cairo_set_source_rgb(cr, 0.55, 0.08, 0.08);
                cairo_rectangle(cr, x0, y, std::max(w, 0.3), barH);
                cairo_fill(cr);
            });
            char buf[64];
            std::snprintf(buf, sizeof buf, "%.0f", c.values[i]);
            LayoutPtr val = layout(std::string(buf) + c.valueSuffix, kSong, 11, false, 0);
            page().push_back(drawLayout(val, x0 + w + 1.5, y + (barH - heightOf(val)) / 2));
        }
        page().push_back(drawRule(x0, x0, top + 1, 0.3, kBlack));
        page().push_back([=](cairo_t* cr) {
            cairo_set_source_rgb(cr, 0, 0, 0);
            cairo_set_line_width(cr, 0.3);
            cairo_move_to(cr, x0, top + 1);
            cairo_line_to(cr, x0, top + h - 2);
            cairo_stroke(cr);
        });
    }

    void header(const OfficialDocument& d) {
        // 发文机关标志: red, centred, 35 mm below the top of the type area, as wide as it needs
        // but never wider than the type area.
        LayoutPtr mark = layout(d.issuerMark, kSong, 42, true, 0);
        double w = widthOf(mark);
        double scale = w > kAreaW ? kAreaW / w : 1.0;
        double markTop = kTop + 35 - kPitch;  // the mark's visible top lands near 35 mm (the em box has air above)
        double markH = heightOf(mark) * scale;
        page().push_back([mark, w, scale, markTop](cairo_t* cr) {
            cairo_save(cr);
            cairo_translate(cr, kLeft + (kAreaW - w * scale) / 2, markTop);
            cairo_scale(cr, scale, scale);
            cairo_set_source_rgb(cr, kRed.r, kRed.g, kRed.b);
            cairo_move_to(cr, 0, 0);
            pango_cairo_show_layout(cr, mark.get());
            cairo_restore(cr);
        });
        // 发文字号 two lines under the mark, centred; the red rule 4 mm below it.
        double y = markTop + markH + kPitch;
        if (!d.number.empty()) {
            LayoutPtr num = layout(d.number, kSong, kBodyPt, false, kAreaW, PANGO_ALIGN_CENTER);
            page().push_back(drawLayout(num, kLeft, y));
            y += heightOf(num);
        }
        y += 4;
        page().push_back(drawRule(kLeft, kLeft + kAreaW, y, 0.7, kRed));
        line = static_cast<int>(std::ceil((y - kTop) / kPitch)) + 2;
        // The title, 2号 bold Song, centred.
        paragraph(layout(d.title, kSong, 22, true, kAreaW - 4 * kCharW, PANGO_ALIGN_CENTER), 2, 2 * kCharW);
        ++line;
        if (!d.addressee.empty()) text({d.addressee, TextStyle::Addressee});
    }

    void signature(const OfficialDocument& d) {
        // Room for the seal, then the office over the date.
        line += 2;
        if (line + 2 > kLinesPerPage) newPage();
        std::string date = chineseDate(d.date);
        LayoutPtr dl = layout(date, kSong, kBodyPt, false, 0, PANGO_ALIGN_LEFT, 0, true);
        double dateW = widthOf(dl);
        double dateX = kLeft + kAreaW - 4 * kCharW - dateW;
        LayoutPtr sl = layout(d.signature, kSong, kBodyPt, false, 0, PANGO_ALIGN_LEFT, 0, true);
        double sigX = dateX + dateW / 2 - widthOf(sl) / 2;  // centred over the date
        double lineH = heightOf(sl);
        page().push_back(drawLayout(sl, sigX, kTop + line * kPitch + (kPitch - lineH) / 2));
        ++line;
        page().push_back(drawLayout(dl, dateX, kTop + line * kPitch + (kPitch - lineH) / 2));
        ++line;
    }

    // 版记 at the foot of the last page: rule, 抄送, thin rule, 印发机关 … 印发日期, rule.
    void imprint(const OfficialDocument& d) {
        const double rowH = 8.5;
        LayoutPtr cc = d.copyTo.empty() ? nullptr : layout("抄送：" + d.copyTo, kSong, 14, false, kAreaW - 2 * kCharW);
        double ccH = cc ? std::max(rowH, heightOf(cc) + 2.5) : 0;
        double need = ccH + rowH + 1;
        if (kTop + line * kPitch + need > kTop + kAreaH) newPage();
        double bottom = kTop + kAreaH;
        double top = bottom - need;
        page().push_back(drawRule(kLeft, kLeft + kAreaW, top, 0.35, kBlack));
        double y = top;
        if (cc) {
            page().push_back(drawLayout(cc, kLeft + kCharW, y + (ccH - heightOf(cc)) / 2));
            y += ccH;
            page().push_back(drawRule(kLeft, kLeft + kAreaW, y, 0.25, kBlack));
        }
        LayoutPtr by = layout(d.printedBy, kSong, 14, false, 0);
        LayoutPtr on = layout(chineseDate(d.printedOn) + "印发", kSong, 14, false, 0);
        page().push_back(drawLayout(by, kLeft + kCharW, y + (rowH - heightOf(by)) / 2));
        page().push_back(drawLayout(on, kLeft + kAreaW - kCharW - widthOf(on), y + (rowH - heightOf(on)) / 2));
        page().push_back(drawRule(kLeft, kLeft + kAreaW, bottom, 0.35, kBlack));
    }

    // 「— 1 —」 under the type area: right on odd pages, left on even ones, one character in.
    void pageNumbers() {
        int n = static_cast<int>(pages.size());
        for (int i = 0; i < n; ++i) {
            LayoutPtr l = layout("— " + std::to_string(i + 1) + " —", kSong, 14, false, 0);
            double w = widthOf(l);
            bool odd = (i + 1) % 2 == 1;
            double x = odd ? kLeft + kAreaW - kCharW - w : kLeft + kCharW;
            pages[static_cast<size_t>(i)].push_back(drawLayout(l, x, kTop + kAreaH + 7));
        }
    }

    void draw(cairo_t* cr, int page) const {
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_rectangle(cr, 0, 0, kPageW, kPageH);
        cairo_fill(cr);
        for (const auto& op : pages[static_cast<size_t>(page)]) op(cr);
    }
};

DocumentLayout::DocumentLayout(const OfficialDocument& doc) : m(std::make_unique<Impl>()) {
    m->header(doc);
    for (const auto& b : doc.body) {
        if (const auto* t = std::get_if<TextBlock>(&b)) m->text(*t);
        else if (const auto* tb = std::get_if<TableBlock>(&b)) m->table(*tb);
        else m->chart(std::get<BarChartBlock>(b));
    }
    m->signature(doc);
    m->imprint(doc);
    m->pageNumbers();
}

DocumentLayout::~DocumentLayout() = default;

int DocumentLayout::pageCount() const { return static_cast<int>(m->pages.size()); }

void DocumentLayout::writePdf(const std::filesystem::path& path) const {
    cairo_surface_t* s = cairo_pdf_surface_create(path.c_str(), kPageW / kPt, kPageH / kPt);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        throw StorageError("cannot write " + path.string());
    }
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "Jiancha 监察");
    cairo_t* cr = cairo_create(s);
    cairo_scale(cr, 1 / kPt, 1 / kPt);
    for (int i = 0; i < pageCount(); ++i) {
        m->draw(cr, i);
        cairo_show_page(cr);
    }
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (st == CAIRO_STATUS_SUCCESS) st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS) throw StorageError("cannot write " + path.string() + ": " + cairo_status_to_string(st));
}

DocumentLayout::Image DocumentLayout::renderPage(int page, double pixelsPerMm) const {
    if (page < 0 || page >= pageCount()) throw ValidationError("no page " + std::to_string(page + 1));
    pixelsPerMm = std::clamp(pixelsPerMm, 0.5, 20.0);
    Image img;
    img.width = static_cast<int>(std::lround(kPageW * pixelsPerMm));
    img.height = static_cast<int>(std::lround(kPageH * pixelsPerMm));
    cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, img.width, img.height);
    cairo_t* cr = cairo_create(s);
    cairo_scale(cr, pixelsPerMm, pixelsPerMm);
    m->draw(cr, page);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    const unsigned char* data = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    img.rgba.resize(static_cast<size_t>(img.width) * static_cast<size_t>(img.height) * 4);
    for (int y = 0; y < img.height; ++y) {
        const uint32_t* row = reinterpret_cast<const uint32_t*>(data + static_cast<ptrdiff_t>(y) * stride);
        uint8_t* out = img.rgba.data() + static_cast<size_t>(y) * static_cast<size_t>(img.width) * 4;
        for (int x = 0; x < img.width; ++x) {
            uint32_t p = row[x];  // premultiplied ARGB; the page is opaque
            out[x * 4 + 0] = static_cast<uint8_t>(p >> 16);
            out[x * 4 + 1] = static_cast<uint8_t>(p >> 8);
            out[x * 4 + 2] = static_cast<uint8_t>(p);
            out[x * 4 + 3] = 255;
        }
    }
    cairo_surface_destroy(s);
    return img;
}

}  // namespace jc::report
