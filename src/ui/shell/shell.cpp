#include "ui/shell/shell.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "app/outside_viewer.h"
#include "app/paths.h"
#include "app/protection.h"
#include "app/setup.h"
#include "core/dates.h"
#include "core/workflow.h"
#include "ui/shell/clock_warning.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/renderer.h"
#include "ui/shell/sync_status.h"
#include "ui/shell/theme.h"
#include "ui/views/views.h"
#include "ui/widgets/thumbnails.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

namespace {
const auto kStart = std::chrono::steady_clock::now();

// Every label of the domain code lists in both languages (they are drawn straight from core).
std::string domainText() {
    std::string s;
    auto add = [&](std::span<const CodeLabel> list) {
        for (const auto& c : list) (s += c.zh) += c.en;
    };
    add(areas());
    add(categories());
    add(misconductTypes());
    add(complaintChannels());
    add(severities());
    add(unitKinds());
    add(warningLevels());
    for (Machine m : {Machine::Finding, Machine::Complaint, Machine::Rectification}) {
        add(statuses(m));
        add(actions(m));
    }
    return s;
}

}  // namespace

Shell::Shell(ShellOptions opt, Renderer& renderer)
    : m_opt(std::move(opt)), m_renderer(renderer), m_session(std::make_shared<const SessionData>()) {}

Shell::~Shell() {
    m_sync.reset();  // before the queue its rounds post to
    m_files.reset();
    m_viewer.reset();  // the outside programs' plaintext copies are deleted
    m_views.clear();
    m_thumbs.reset();
    m_jobs.reset();
    if (m_storeProtected) signOut(m_opt.dataDir);  // the key is wiped from memory
    if (ImGui::GetCurrentContext() && m_atlas && ImGui::GetIO().Fonts == m_atlas->atlas.get()) {
        // Give the context an atlas of its own again so DestroyContext() does not touch ours.
        ImGui::GetIO().Fonts = IM_NEW(ImFontAtlas)();
        ImGui::GetCurrentContext()->FontAtlasOwnedByContext = true;
    }
}

bool Shell::prepare(std::string* error) {
    if (m_prepared) return true;
    try {
        i18n().load(assetsDir() / "i18n");
    } catch (const std::exception& e) {
        if (error) *error = std::string("cannot load the string tables: ") + e.what();
        return false;
    }
    std::error_code ec;
    std::filesystem::create_directories(m_opt.dataDir, ec);
    m_settings = UiSettings::load(m_opt.dataDir / "ui.json");
    if (!m_opt.language.empty()) m_settings.language = m_opt.language;
    if (m_opt.fontSize > 0) m_settings.fontSize = m_opt.fontSize;
    i18n().setLanguage(parseLanguage(m_settings.language));

    double t0 = now();
    if (!m_fonts.init(error)) return false;
    m_fonts.setPixelSize(m_settings.fontSize);
    m_fonts.want(i18n().allText());
    m_fonts.want(domainText());
    m_fonts.want("●✓×");  // symbols views draw as literals, not from the string tables (✓ is not in Noto Sans CJK SC)
    m_fonts.startBuild();
    if (std::getenv("JIANCHA_TRACE_STARTUP")) std::fprintf(stderr, "fonts found in %.1f ms\n", (now() - t0) * 1000);

    m_viewer = std::make_unique<OutsideViewer>();  // sweeps plaintext copies an earlier run left behind

    // Nothing of a protected store is read before sign-in: the workers start only then.
    m_signUser = m_opt.asUser.empty() ? m_settings.lastUser : m_opt.asUser;
    StoreLock lock = StoreLock::Plain;
    try {
        lock = storeLockState(m_opt.dataDir);
    } catch (const std::exception& e) {
        if (error) *error = e.what();
        return false;
    }
    if (lock == StoreLock::Locked) {
        m_gate = Gate::SignIn;
        m_storeProtected = true;
        refreshSignInWait();  // a wait after wrong passphrases (this run's or not) shows at once
    } else if (lock == StoreLock::NoStore && !m_opt.newStorePlain) {
        m_gate = Gate::NewStore;
    } else {
        m_storeProtected = lock == StoreLock::Unlocked;
        startStore();
    }
    m_prepared = true;
    return true;
}

void Shell::startStore() {
    JobRunnerOptions jo;
    jo.storePath = storePath(m_opt.dataDir).string();
    jo.actorName = m_opt.asUser;
    jo.today = m_opt.today;
    m_jobs = std::make_unique<JobRunner>(jo, m_main);
    m_jobs->setErrorHandler([this](const JobError& e) { notifyError(e); });
    m_lastActivity = now();
    reloadSession();  // the workers open the store while the window comes up
}

bool Shell::init(std::string* error) {
    if (!prepare(error)) return false;
    installAtlas(m_fonts.finishBuild());
    if (std::getenv("JIANCHA_TRACE_STARTUP"))
        std::fprintf(stderr, "atlas %.1f ms (%d glyphs) ready at %.1f ms\n", m_fonts.lastBuildMs(), m_fonts.glyphCount(), now() * 1000);
    theme::apply(m_settings.fontSize / 18.0f);
    automation::setEnabled(m_opt.automation);
    m_thumbs = std::make_unique<ThumbnailCache>(m_renderer, m_main);
    registerViews();
    show(m_opt.startView.empty() ? "home" : m_opt.startView);
    m_pendingOpen = !m_opt.openId.empty();
    return true;
}

void Shell::shutdown() {
    if (m_sync) m_sync->stop();  // a round in progress gets a few seconds (sync/client/sync_worker.h)
    for (auto& v : m_views) v->flush(*this);
    if (m_jobs) {
        // Queued autosaves must reach the disk; their results are drained so nothing is left half done.
        m_jobs->waitIdle();
        m_main.drain();
        m_jobs->waitIdle();
    }
}

void Shell::registerViews() {
    for (auto& v : makeViews()) m_views.push_back(std::move(v));
}

// [SECTION] Frame

void Shell::installAtlas(std::unique_ptr<BuiltAtlas> atlas) {
    if (!atlas) return;
    ImGuiIO& io = ImGui::GetIO();
    ImGuiContext* g = ImGui::GetCurrentContext();
    ImFontAtlas* old = io.Fonts;
    std::unique_ptr<BuiltAtlas> previous = std::move(m_atlas);
    m_atlas = std::move(atlas);
    io.Fonts = m_atlas->atlas.get();
    m_renderer.replaceFontTexture(old);
    if (g->FontAtlasOwnedByContext && old) {
        IM_DELETE(old);
        g->FontAtlasOwnedByContext = false;
    }
    // `previous` (the atlas being replaced) dies here, after its texture was released.
}

void Shell::beginFrame() {
    automation::newFrame();
    m_main.drain();
    ImGuiIO& io = ImGui::GetIO();
    for (ImWchar c : io.InputQueueCharacters) m_fonts.wantCodepoint(c);
    installAtlas(m_fonts.poll());
    pollSignIn();
    if (m_gate == Gate::SignIn || m_gate == Gate::NewStore) return;  // no store opened yet
    noteActivity();

    if (m_sessionLoaded && !m_scanStarted && m_session->hasUser && m_statusBar.loaded) {
        m_scanStarted = true;
        m_jobs->request<CodepointSet>(
            Lane::Background,
            [](WorkerContext& w) {
                CodepointSet set;
                forEachStoreText(w.store, [&](const std::string& text) { set.addUtf8(text); });
                return set;
            },
            [this](CodepointSet set) {
                m_fonts.wantSet(set);
                m_scanDone = true;
            });
    }
    // Sync starts once the store has a user: the write worker has created and migrated it by then.
    if (!m_sync && m_opt.syncEnabled && m_sessionLoaded && m_session->hasUser && !m_quit) startSync();
    if (m_sync) {
        SyncStatus st = m_sync->status();
        // The error's own words may hold new characters (the rest of the bar is translated text).
        if (st.lastError != m_syncStatus.lastError) noteText(st.lastError);
        m_syncStatus = std::move(st);
    }
    double t = now();
    if (m_sessionVersion != m_dataVersion && !m_sessionLoading) reloadSession();
    if ((m_statusVersion != m_dataVersion || m_statusStale || t - m_lastStatusRefresh > 10.0) && !m_statusLoading) {
        m_lastStatusRefresh = t;
        m_statusStale = false;
        reloadStatusBar();
    }
}

void Shell::startSync() {
    SyncWorkerOptions o = m_opt.sync;
    o.storePath = storePath(m_opt.dataDir);
    o.blobDir = blobDir(m_opt.dataDir);
    // Runs on the sync thread: hand the outcome to the UI thread. Other people's changes mean
    // every snapshot may be stale; pushed ones only change the pending count.
    m_sync = std::make_unique<SyncWorker>(o, [this](const sync::SyncReport& r) {
        bool pulled = r.pulled > 0 || r.conflicts > 0 || r.blobsDown > 0;
        m_main.post([this, pulled] {
            if (pulled) ++m_dataVersion;  // not dataChanged(): that would poke the worker again
            m_statusStale = true;
        });
    });
    m_syncStatus = m_sync->status();
}

void Shell::syncNow() {
    if (m_sync) m_sync->syncNow();
}

bool Shell::busy() const {
    if (m_signTask.valid() || signInDelay() > 0) return true;  // argon2id running, or a retry counting down
    if (m_jobs && m_jobs->pendingJobs() > 0) return true;
    if (m_fonts.pending() || !m_main.empty()) return true;
    for (const auto& v : m_views)
        if (v->hasUnsavedWork()) return true;
    return false;
}

bool Shell::settled() const {
    if (m_gate == Gate::SignIn || m_gate == Gate::NewStore) return !m_signTask.valid() && !busy();
    if (!m_sessionLoaded || busy() || (m_session->hasUser && !m_scanDone)) return false;
    if (m_thumbs && m_thumbs->pending() > 0) return false;
    const View* visible = m_session->hasUser ? m_current : nullptr;  // the first-run screen loads nothing
    return !visible || visible->settled();
}

double Shell::now() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - kStart).count();
}

void Shell::reloadSession() {
    m_sessionLoading = true;
    uint64_t version = m_dataVersion;
    m_jobs->request<SessionData>(
        Lane::Read, [](WorkerContext& w) { return loadSession(w); },
        [this, version](SessionData s) {
            noteText(s.actor.name);
            for (const auto& c : s.campaigns) noteText(c.title);
            for (const auto& u : s.users) noteText(u.name);
            for (const auto& u : s.units) noteText(u.name);
            for (const auto& p : s.persons) noteText(p.name), noteText(p.post);
            m_session = std::make_shared<const SessionData>(std::move(s));
            m_sessionLoaded = true;
            m_sessionLoading = false;
            m_sessionVersion = version;
            if (m_pendingOpen && m_session->hasUser) {
                m_pendingOpen = false;
                if (m_opt.startView == "complaints") openComplaint(m_opt.openId);
                else if (m_opt.startView == "esup" || m_opt.startView == "time_suspect") {
                    // esup: a file to preview; time_suspect: a flagged record's correction form
                    if (View* e = view(m_opt.startView)) e->open(*this, m_opt.openId);
                } else if (m_opt.startView == "admin") {
                    if (View* a = view("admin")) a->open(*this, m_opt.openId);  // a tab: users, devices …
                } else openFinding(m_opt.openId, m_opt.startView);
            }
        },
        [this](const JobError& e) {
            m_sessionLoading = false;
            m_sessionLoaded = true;
            notifyError(e);
        },
        "session");
}

void Shell::reloadStatusBar() {
    m_statusLoading = true;
    uint64_t version = m_dataVersion;
    // Background lane: the status bar must never hold up the snapshots a view waits for.
    m_jobs->request<StatusBarData>(
        Lane::Background, [](WorkerContext& w) { return loadStatusBar(w); },
        [this, version](StatusBarData d) {
            for (const auto& r : d.rejected) {  // glyphs for the list of refused changes
                noteText(r.record);
                noteText(r.reason);
            }
            m_statusBar = std::move(d);
            m_statusLoading = false;
            m_statusVersion = version;
        },
        [this](const JobError&) { m_statusLoading = false; }, "statusbar");
}

void Shell::dataChanged() {
    ++m_dataVersion;
    if (m_sync) m_sync->poke();  // a saved finding leaves within a couple of seconds
}

void Shell::runCommand(std::function<void(WorkerContext&)> work, std::function<void()> done,
                       std::function<void(const JobError&)> failed) {
    m_jobs->command(
        std::move(work),
        [this, done = std::move(done)]() {
            dataChanged();
            if (done) done();
        },
        [this, failed = std::move(failed)](const JobError& e) {
            notifyError(e);
            if (failed) failed(e);
        });
}

void Shell::notify(std::string message, bool error) {
    noteText(message);
    m_message = std::move(message);
    m_messageError = error;
    m_messageAt = now();
}

std::string Shell::currentCampaignId() const {
    if (!m_settings.campaignId.empty() && m_session->campaign(m_settings.campaignId)) return m_settings.campaignId;
    for (const auto& c : m_session->campaigns)
        if (c.status == "active") return c.id;
    return m_session->campaigns.empty() ? std::string() : m_session->campaigns.front().id;
}

void Shell::saveSettings() {
    if (!m_settings.save(m_opt.dataDir / "ui.json")) notifyError(tr("settings.save_failed"));
}

void Shell::setLanguage(const std::string& code) {
    m_settings.language = code;
    i18n().setLanguage(parseLanguage(code));
    saveSettings();
}

void Shell::setFontSize(float px) {
    m_settings.fontSize = px;
    m_fonts.setPixelSize(px * m_displayScale);
    theme::apply(px * m_displayScale / 18.0f);
    saveSettings();
}

void Shell::setDisplayScale(float scale) {
    if (scale < 0.5f || scale > 4.0f || scale == m_displayScale) return;
    m_displayScale = scale;
    m_fonts.setPixelSize(m_settings.fontSize * scale);  // rebuilt off the frame, swapped in when ready
    theme::apply(m_settings.fontSize * scale / 18.0f);
}

void Shell::initialiseStore(const std::string& user, const std::string& role, const std::string& team) {
    InitOptions o;
    o.userName = user;
    o.teamName = team;
    try {
        o.role = parseRole(role);
    } catch (const Error& e) {
        notifyError(e.what());
        return;
    }
    m_jobs->setUpStore(
        o,
        [this, user]() {
            dataChanged();
            m_scanStarted = false;
            notify(trf("firstrun.done", {user}));
            show("home");
        },
        [this](const JobError& e) { notifyError(e); });
}

void Shell::filesDropped(const std::vector<std::string>& paths) {
    if (m_current && std::string_view(m_current->id()) == "editor") m_current->onFilesDropped(*this, paths);
    else notify(tr("shell.drop_in_editor"));
}

void Shell::switchUser(const std::string& name) {
    m_jobs->switchUser(name, [this, name]() {
        dataChanged();
        notify(trf("settings.switched_user", {name}));
    });
}

// [SECTION] Views

View* Shell::view(std::string_view id) {
    for (auto& v : m_views)
        if (id == v->id()) return v.get();
    return nullptr;
}

void Shell::show(std::string_view viewId) {
    View* v = view(viewId);
    if (!v) v = view("home");
    if (v == m_current) return;
    if (m_current) m_current->flush(*this);
    m_current = v;
    if (m_current) m_current->onShow(*this);
}

void Shell::openFinding(const std::string& id, std::string_view fromView) {
    if (!fromView.empty() && fromView != "editor") m_findingOrigin = std::string(fromView);
    else if (m_current && std::string_view(m_current->id()) != "editor") m_findingOrigin = m_current->id();
    show("editor");
    if (View* e = view("editor")) e->open(*this, id);
}

void Shell::newFinding() {
    show("editor");
    if (View* e = view("editor")) e->open(*this, std::string());
}

void Shell::openComplaint(const std::string& id) {
    show("complaints");
    if (View* c = view("complaints")) c->open(*this, id);
}

void Shell::drillDown(std::string_view viewId, const DrillDown& d) {
    show(viewId);
    if (View* v = view(viewId)) v->drill(*this, d);
}

// [SECTION] Drawing

void Shell::handleShortcuts() {
    ImGuiIO& io = ImGui::GetIO();
    if (!io.KeyCtrl || io.KeyAlt) return;
    if (!m_session->hasUser || m_gate != Gate::Open) return;
    auto pressed = [](int key) { return ImGui::IsKeyPressed(key, false); };
    if (pressed('N')) newFinding();
    else if (pressed('S')) {
        if (m_current && !m_current->onCommand(*this, ShellCommand::Save)) notify(tr("shell.nothing_to_save"));
    } else if (pressed('F')) {
        if (!m_current || !m_current->onCommand(*this, ShellCommand::Search)) {
            show("findings");
            if (m_current) m_current->onCommand(*this, ShellCommand::Search);
        }
    } else if (pressed('Q')) {
        requestQuit();
    } else if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_UpArrow))) {
        if (m_current) m_current->onCommand(*this, ShellCommand::Previous);
    } else if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_DownArrow))) {
        if (m_current) m_current->onCommand(*this, ShellCommand::Next);
    }
}

void Shell::draw() {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::Begin("##jiancha", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleVar();
    handleShortcuts();

    float fs = ImGui::GetFontSize();
    float statusH = ImGui::GetFrameHeight() + 4;
    float messageH = m_message.empty() ? 0.0f : ImGui::GetFrameHeight() + 2;
    float navW = fs * 8.0f;
    bool ready = m_sessionLoaded && m_session->hasUser && m_gate == Gate::Open;

    if (ready) {
        ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0.92f, 0.92f, 0.93f, 1));
        ImGui::BeginChild("##nav", ImVec2(navW, -statusH), false, ImGuiWindowFlags_AlwaysUseWindowPadding);
        drawNavigation(navW);
        ImGui::EndChild();
        ImGui::PopStyleColor();
        ImGui::SameLine(0, 0);
    }
    ImGui::BeginChild("##content", ImVec2(0, -(statusH + messageH)), false,
                      ImGuiWindowFlags_AlwaysUseWindowPadding | ImGuiWindowFlags_NoScrollbar);
    if (m_gate != Gate::Open) {
        drawGate();
    } else if (!m_sessionLoaded) {
        ImGui::TextUnformatted(tr("shell.opening"));
    } else if (!m_session->hasUser) {
        if (View* fr = view("first_run")) fr->draw(*this);
    } else if (m_current) {
        m_current->draw(*this);
    }
    ImGui::EndChild();
    if (!m_message.empty()) {
        // Placed, not flowed: beside the navigation the line below the content starts under the
        // (taller) navigation column, which would put the message under the status bar.
        ImGui::SetCursorPos(ImVec2(ready ? navW : 0.0f, ImGui::GetWindowHeight() - statusH - messageH));
        drawMessageLine();
    }
    ImGui::SetCursorPos(ImVec2(0, ImGui::GetWindowHeight() - statusH));
    if (m_jobs) drawStatusBar(statusH);
    if (m_files) m_files->draw(*this);
    ImGui::End();
}

void Shell::drawNavigation(float width) {
    const SessionData& s = *m_session;
    ImGui::PushStyleColor(ImGuiCol_Text, theme::kAccent);
    ImGui::TextUnformatted(tr("app.name"));
    ImGui::PopStyleColor();
    ImGui::TextColored(theme::kMuted, "%s", tr("app.subtitle"));
    ImGui::Separator();
    if (ImGui::Button(trId("nav.new_finding"), ImVec2(width - ImGui::GetStyle().WindowPadding.x * 2, 0))) newFinding();
    mark("nav.new_finding");
    ImGui::Spacing();
    for (auto& v : m_views) {
        if (!v->inNavigation(s)) continue;
        bool selected = v.get() == m_current || (std::string_view(v->id()) == "findings" && m_current &&
                                                  std::string_view(m_current->id()) == "editor" && m_findingOrigin == "findings");
        int64_t badge = v->badge(*this);
        std::string label = std::string(tr(v->titleKey())) + (badge > 0 ? " (" + std::to_string(badge) + ")" : "") +
                            (v->hasUnsavedWork() ? " *" : "") + "###nav." + v->id();
        if (ImGui::Selectable(label.c_str(), selected)) show(v->id());
        mark(std::string("nav.") + v->id());
        if (badge > 0) mark(std::string("nav.") + v->id() + ".badge." + std::to_string(badge));
    }
}

void Shell::drawMessageLine() {
    ImVec4 col = m_messageError ? theme::kRed : theme::kGreen;
    ImGui::AlignTextToFramePadding();
    ImGui::PushStyleColor(ImGuiCol_Text, col);
    ImGui::TextUnformatted(m_messageError ? "●" : "✓");
    ImGui::SameLine();
    // One line: the first line of the message; the rest is in the tooltip.
    std::string first = m_message.substr(0, m_message.find('\n'));
    ImGui::TextUnformatted(first.c_str());
    ImGui::PopStyleColor();
    if (ImGui::IsItemHovered() && first.size() != m_message.size()) ImGui::SetTooltip("%s", m_message.c_str());
    ImGui::SameLine();
    if (ImGui::SmallButton(trId("shell.dismiss"))) m_message.clear();
    mark("shell.dismiss");
}

}  // namespace jc::ui
