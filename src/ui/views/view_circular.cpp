// 生成通报: HQ's monthly circular (report/circular.h). The period, number and HQ's own text
// (六、存在问题和下一步工作) are typed here; 预览 lays the document out on the background lane and
// renders every page with the same cairo drawing code that writes the PDF (image surface →
// texture), so what HQ sees is what prints; 保存 writes that same layout as PDF (and, when asked,
// the monthly register as XLSX).
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "report/circular.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/renderer.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/views/views.h"
#include "ui/widgets/export_button.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

namespace {

struct Preview {
    std::shared_ptr<report::DocumentLayout> layout;
    std::vector<report::DocumentLayout::Image> pages;
    std::string title;
};

class CircularView : public View {
public:
    const char* id() const override { return "circular"; }
    const char* titleKey() const override { return "nav.circular"; }
    bool inNavigation(const SessionData& s) const override { return s.actor.role == Role::HqAdmin; }
    bool settled() const override { return !m_busy; }

    ~CircularView() override { m_textures.clear(); }

    void drill(Shell& shell, const DrillDown& d) override {
        m_campaign = d.findings.campaignId;
        if (!d.findings.dateFrom.empty()) m_from = d.findings.dateFrom;
        if (!d.findings.dateTo.empty()) m_to = d.findings.dateTo;
        m_basis = d.findings.dateBasis;
        m_back = d.backView;
        (void)shell;
    }

    void onShow(Shell& shell) override {
        if (m_from.empty() && !m_busy) {
            // The last full month before the store's "today" (pinned in tests and demos).
            m_busy = true;
            shell.jobs().request<Date>(
                Lane::Read, [](WorkerContext& w) { return w.app.today(); },
                [this](Date t) {
                    m_busy = false;
                    if (!m_from.empty()) return;
                    Date prevLast = Date{t.year, t.month, 1}.plusDays(-1);
                    m_from = Date{prevLast.year, prevLast.month, 1}.str();
                    m_to = prevLast.str();
                },
                [this](const JobError&) { m_busy = false; });
        }
    }

    void draw(Shell& shell) override {
        float em = ImGui::GetFontSize();
        ImGui::BeginChild("##circular.form", ImVec2(em * 19, 0), true);
        widgets::heading(tr("circular.title"));
        if (!m_back.empty()) {
            if (ImGui::SmallButton(trId("circular.back"))) shell.show(m_back);
            mark("circular.back");
        }
        const SessionData& s = shell.session();
        widgets::fieldLabel(tr("circular.campaign"));
        const CampaignInfo* camp = s.campaign(m_campaign);
        ImGui::SetNextItemWidth(-1);
        if (ImGui::BeginCombo("##circular.campaign", camp ? camp->title.c_str() : tr("circular.active_campaign"))) {
            if (ImGui::Selectable(tr("circular.active_campaign"), m_campaign.empty())) m_campaign.clear();
            for (const auto& c : s.campaigns)
                if (ImGui::Selectable(c.title.c_str(), c.id == m_campaign)) m_campaign = c.id;
            ImGui::EndCombo();
        }
        widgets::fieldLabel(tr("circular.period"));
        ImGui::SetNextItemWidth(em * 6.5f);
        ImGui::InputText("##circular.from", &m_from);
        mark("circular.from");
        ImGui::SameLine();
        ImGui::TextUnformatted(tr("circular.to"));
        ImGui::SameLine();
        ImGui::SetNextItemWidth(em * 6.5f);
        ImGui::InputText("##circular.to", &m_to);
        mark("circular.to_date");
        bool accepted = m_basis == "accepted";
        if (ImGui::RadioButton(trId("stats.basis_recorded"), !accepted)) m_basis = "recorded";
        ImGui::SameLine();
        if (ImGui::RadioButton(trId("stats.basis_accepted"), accepted)) m_basis = "accepted";
        widgets::fieldLabel(tr("circular.number"));
        widgets::inputText("##circular.number", m_number, "张监通〔2026〕12号");
        mark("circular.number");
        widgets::fieldLabel(tr("circular.notes"));
        widgets::inputMultiline("##circular.notes", m_notes, 5, 9);
        mark("circular.notes");
        ImGui::Checkbox(trId("circular.register"), &m_register);
        ImGui::Spacing();
        ImGui::BeginDisabled(m_busy);
        if (ImGui::Button(trId("circular.preview"))) preview(shell);
        mark("circular.preview");
        ImGui::SameLine();
        ImGui::BeginDisabled(!m_preview);
        if (ImGui::Button(trId("circular.save"))) chooseAndSave(shell);
        mark("circular.save");
        ImGui::EndDisabled();
        ImGui::EndDisabled();
        if (!m_path.empty()) {  // where the last one went
            ImGui::PushTextWrapPos(0);
            ImGui::TextColored(theme::kMuted, "%s", trf("circular.saved", {m_path}).c_str());
            ImGui::PopTextWrapPos();
            mark("circular.saved");
        }
        if (m_busy) ImGui::TextColored(theme::kMuted, "%s", tr("common.loading"));
        if (!m_error.empty()) ImGui::TextColored(theme::kRed, "%s", m_error.c_str());
        ImGui::EndChild();
        ImGui::SameLine();
        ImGui::BeginChild("##circular.pages", ImVec2(0, 0), true, ImGuiWindowFlags_NoScrollbar);
        drawPages(em);
        ImGui::EndChild();
    }

private:
    report::CircularOptions options(std::string* error) const {
        report::CircularOptions o;
        auto from = Date::tryParse(m_from), to = Date::tryParse(m_to);
        if (!from || !to) {
            *error = tr("circular.bad_period");
            return o;
        }
        o.from = *from;
        o.to = *to;
        o.campaignId = m_campaign;
        o.dateBasis = m_basis;
        o.number = m_number;
        o.notes = m_notes;
        return o;
    }

    void preview(Shell& shell) {
        m_error.clear();
        report::CircularOptions opt = options(&m_error);
        if (!m_error.empty()) return;
        m_busy = true;
        // Pages as tall as the preview panel (two side by side), drawn at the size they are shown.
        double pxPerMm = std::clamp(std::min((m_pagesH > 0 ? m_pagesH : 600.0) / 297.0, (m_pagesW > 0 ? m_pagesW / 2 - 8 : 400.0) / 210.0), 1.2, 4.0);
        shell.jobs().request<std::shared_ptr<Preview>>(
            Lane::Background,
            [opt, pxPerMm](WorkerContext& w) {
                auto p = std::make_shared<Preview>();
                report::Circular c = report::buildCircular(w.app, opt);
                p->title = c.document.title;
                p->layout = std::make_shared<report::DocumentLayout>(c.document);
                for (int i = 0; i < p->layout->pageCount(); ++i) p->pages.push_back(p->layout->renderPage(i, pxPerMm));
                return p;
            },
            [this, &shell](std::shared_ptr<Preview> p) {
                m_busy = false;
                m_textures.clear();
                for (const auto& img : p->pages)
                    m_textures.push_back(Texture(shell.renderer(), shell.renderer().createTexture(img.rgba.data(), img.width, img.height),
                                                 img.width, img.height));
                m_preview = std::move(p);
                m_page = 0;
            },
            [this](const JobError& e) {
                m_busy = false;
                m_error = e.message;
            });
    }

    // The destination from the file chooser (save mode, the PDF filter, "工作通报-….pdf"
    // proposed); the register, when asked for, goes beside it with the same name as XLSX.
    void chooseAndSave(Shell& shell) {
        shell.fileChooser().open(exportFileRequest(tr("circular.choose_title"), tr("circular.file_name"), "pdf"), [this, &shell](std::vector<std::string> paths) {
            if (!paths.empty() && m_preview) save(shell, paths.front());
        });
    }

    void save(Shell& shell, const std::string& path) {
        m_busy = true;
        auto layout = m_preview->layout;
        bool reg = m_register;
        std::string error;
        report::CircularOptions opt = options(&error);
        shell.jobs().request<std::string>(
            Lane::Background,
            [layout, path, reg, opt](WorkerContext& w) {
                layout->writePdf(path);
                if (!reg) return std::string();
                std::filesystem::path x(path);
                x.replace_extension(".xlsx");
                report::writeCircularRegister(w.app, report::buildCircular(w.app, opt), x, w.app.actor.name);
                return x.string();
            },
            [this, &shell, path](std::string reg) {
                m_busy = false;
                m_path = path;
                shell.notify(trf("circular.saved", {path}) + (reg.empty() ? "" : " · " + reg));
            },
            shell.failClears(m_busy));
    }

    void drawPages(float em) {
        if (m_textures.empty()) {
            m_pagesH = ImGui::GetContentRegionAvail().y - em * 2.5f;
            m_pagesW = ImGui::GetContentRegionAvail().x;
            ImGui::TextColored(theme::kMuted, "%s", tr("circular.no_preview"));
            return;
        }
        int n = static_cast<int>(m_textures.size());
        if (ImGui::ArrowButton("##circular.prev", ImGuiDir_Left) && m_page > 0) m_page = std::max(0, m_page - 2);
        mark("circular.prev_page");
        ImGui::SameLine();
        ImGui::Text("%s", trf("circular.page", {std::to_string(m_page + 1), std::to_string(n)}).c_str());
        mark("circular.pages." + std::to_string(n));
        ImGui::SameLine();
        if (ImGui::ArrowButton("##circular.next", ImGuiDir_Right) && m_page + 2 < n) m_page += 2;
        mark("circular.next_page");
        float h = ImGui::GetContentRegionAvail().y - em * 0.5f;
        m_pagesH = h;
        m_pagesW = ImGui::GetContentRegionAvail().x;
        for (int i = m_page; i < std::min(n, m_page + 2); ++i) {
            if (i > m_page) ImGui::SameLine();
            const Texture& t = m_textures[static_cast<size_t>(i)];
            float scale = std::min({1.0f, h / static_cast<float>(t.height), (m_pagesW / 2 - 8) / static_cast<float>(t.width)});
            ImVec2 size(static_cast<float>(t.width) * scale, static_cast<float>(t.height) * scale);
            ImVec2 p = ImGui::GetCursorScreenPos();
            ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x + 3, p.y + 3), ImVec2(p.x + size.x + 3, p.y + size.y + 3), IM_COL32(0, 0, 0, 60));
            ImGui::Image(t.id, size);
            mark("circular.page." + std::to_string(i));
        }
    }

    // A page texture, destroyed with the view or the next preview.
    struct Texture {
        Renderer* renderer = nullptr;
        ImTextureID id = nullptr;
        int width = 0, height = 0;
        Texture(Renderer& r, ImTextureID i, int w, int h) : renderer(&r), id(i), width(w), height(h) {}
        Texture(Texture&& o) noexcept : renderer(o.renderer), id(o.id), width(o.width), height(o.height) { o.id = nullptr; }
        Texture& operator=(Texture&&) = delete;
        Texture(const Texture&) = delete;
        ~Texture() {
            if (id && renderer) renderer->destroyTexture(id);
        }
    };

    std::string m_campaign, m_from, m_to, m_basis = "recorded", m_number, m_notes, m_path, m_back, m_error;
    bool m_register = false, m_busy = false;
    std::shared_ptr<Preview> m_preview;
    std::vector<Texture> m_textures;
    int m_page = 0;
    float m_pagesH = 0, m_pagesW = 0;  // the preview panel (two pages are rendered to fit it)
};

}  // namespace

std::unique_ptr<View> makeCircularView() { return std::make_unique<CircularView>(); }

}  // namespace jc::ui
