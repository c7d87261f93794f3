#pragma once
// The shell: owns the string tables, fonts, job runner, the session snapshot and the views;
// draws the frame around the current view (navigation, message line, status bar) and routes
// keyboard shortcuts. Platform code (shell/platform_glfw.cpp) or a headless test harness runs
// the frame loop:
//
//     shell.beginFrame();   // drain the main-thread queue, swap a rebuilt glyph atlas in
//     ImGui::NewFrame();  shell.draw();  ImGui::Render();
//
// Everything the views need from the outside world goes through here; views never open the
// store (DESIGN.md §6).
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/jobs.h"
#include "app/read_models.h"
#include "ui/shell/fonts.h"
#include "ui/shell/settings.h"
#include "ui/shell/sync_status.h"
#include "ui/shell/view.h"
#include "ui/widgets/file_chooser.h"
#include "sync/client/enrolment.h"

namespace jc {
class OutsideViewer;
}

namespace jc::ui {

class Renderer;
class ThumbnailCache;

struct ShellOptions {
    std::filesystem::path dataDir;
    std::string asUser;                // --as USER ("" = the store's user)
    std::optional<Date> today;         // pinned "today" (tests, screenshots of demo data)
    std::string startView = "home";
    std::string openId;                // a record to open at start (finding id or local number)
    bool automation = false;           // remember named widgets (headless UI tests)
    float fontSize = 0;                // 0 = from ui.json
    std::string language;              // "" = from ui.json
    std::string search;                // a full-text search to start the findings list with
    bool syncEnabled = true;           // background sync with the enrolled server (--no-sync turns it off)
    SyncWorkerOptions sync;            // its intervals (tests shorten them); the paths are filled in
    ChooserBackend fileChooser = ChooserBackend::Auto;  // which file dialog (tests: Builtin)
    // A new store (empty data directory) is created unprotected instead of asking for a
    // passphrase first (`jiancha gui --no-passphrase`; tests and demos). Shown in red.
    bool newStorePlain = false;
    double idleLockSeconds = 0;  // 0 = the settings' idle minutes (tests shorten it)
};

// What stands between the user and the store (sign_in.cpp).
enum class Gate {
    Open,      // the views
    SignIn,    // a protected store not yet opened: nothing of it has been read
    NewStore,  // no store yet: choose its passphrase first
    Locked,    // idle: the views are hidden; jobs and sync keep running with the key in memory
};

class Shell {
public:
    Shell(ShellOptions opt, Renderer& renderer);
    ~Shell();
    Shell(const Shell&) = delete;
    Shell& operator=(const Shell&) = delete;

    // Start-up, first half (no ImGui context needed, so the platform runs it before creating the
    // window): string tables, settings, fonts found and the first atlas building on a thread,
    // workers opening the store. False with a message when the client cannot run (no Chinese
    // font, assets missing).
    bool prepare(std::string* error);
    // Second half (an ImGui context must exist): installs the atlas as io.Fonts, the theme and
    // the views. Runs prepare() first if it was not called.
    bool init(std::string* error);
    void beginFrame();
    void draw();
    // Saves pending input and waits for queued writes (call before destroying the ImGui context).
    void shutdown();

    bool quitRequested() const { return m_quit; }
    void requestQuit() { m_quit = true; }
    // True when the next frame should come soon (timers running, jobs or a font build pending).
    bool busy() const;
    // Nothing pending anywhere: jobs, fonts, view snapshots (screenshots wait for this).
    bool settled() const;

    // [SECTION] Services for views
    JobRunner& jobs() { return *m_jobs; }
    bool hasJobs() const { return m_jobs != nullptr; }
    MainThreadQueue& mainQueue() { return m_main; }  // exists before the workers do  // false until a protected store is signed in
    FontManager& fonts() { return m_fonts; }
    Renderer& renderer() { return m_renderer; }
    ThumbnailCache& thumbnails() { return *m_thumbs; }
    const SessionData& session() const { return *m_session; }
    const StatusBarData& statusBar() const { return m_statusBar; }
    UiSettings& settings() { return m_settings; }
    void saveSettings();
    const std::filesystem::path& dataDir() const { return m_opt.dataDir; }
    const std::string& startSearch() const { return m_opt.search; }
    // The campaign new findings and complaints go into (settings, else the first active one).
    std::string currentCampaignId() const;

    void show(std::string_view viewId);
    View* view(std::string_view id);
    View* currentView() const { return m_current; }  // the view on screen (tests check navigation)
    void openFinding(const std::string& id, std::string_view fromView = {});
    void newFinding();
    void openComplaint(const std::string& id);
    // Shows view `viewId` with a filter (drill-down from statistics; see View::drill).
    void drillDown(std::string_view viewId, const DrillDown& d);
    const std::string& findingOrigin() const { return m_findingOrigin; }

    // runCommand with a view's usual bookkeeping: `busy` is true while the command runs, `error`
    // is cleared first and holds the failure's words afterwards (shown by the view beside its
    // buttons); `done` runs after a success.
    void runGuarded(bool& busy, std::string& error, std::function<void(WorkerContext&)> work,
                    std::function<void()> done) {
        busy = true;
        error.clear();
        runCommand(
            std::move(work),
            [&busy, done = std::move(done)]() {
                busy = false;
                if (done) done();
            },
            [&busy, &error](const JobError& e) {
                busy = false;
                error = e.message;
            });
    }
    // The message line above the status bar.
    void notify(std::string message, bool error = false);
    // A failure on the message line, in the error colour: a job's, or one said in words.
    void notifyError(const JobError& e) { notify(e.message, true); }
    void notifyError(std::string message) { notify(std::move(message), true); }
    // The error handler of a view's job: clears the view's loading or busy flag and shows the error.
    std::function<void(const JobError&)> failClears(bool& flag) {
        return [this, &flag](const JobError& e) {
            flag = false;
            notifyError(e);
        };
    }
    // The same for a load that counts as done even when it failed (the view draws what it has).
    std::function<void(const JobError&)> failLoaded(bool& loading, bool& loaded) {
        return [this, &loading, &loaded](const JobError& e) {
            loading = false;
            loaded = true;
            notifyError(e);
        };
    }
    // Runs a command on the write lane; on success reloads snapshots (dataChanged) and calls
    // `done`; on failure shows the error (and calls `failed`).
    void runCommand(std::function<void(WorkerContext&)> work, std::function<void()> done = {},
                    std::function<void(const JobError&)> failed = {});
    // Something was written: views compare dataVersion() with what they loaded and reload.
    void dataChanged();
    uint64_t dataVersion() const { return m_dataVersion; }
    // Declares text that will be drawn (snapshots call this when they arrive).
    void noteText(std::string_view utf8) { m_fonts.want(utf8); }
    // Seconds since start (autosave timers).
    double now() const;
    void setLanguage(const std::string& code);
    void setFontSize(float px);
    // The monitor's content scale (HiDPI): fonts and sizes are multiplied by it.
    void setDisplayScale(float scale);
    // First run: creates the local user, then reloads everything.
    void initialiseStore(const std::string& user, const std::string& role, const std::string& team);
    // Files dropped on the window: the current view decides (the editor attaches them).
    void filesDropped(const std::vector<std::string>& paths);
    // Works as another user of this store from now on (settings).
    void switchUser(const std::string& name);
    // The background sync's state as of this frame; nullptr while it is off or not started (it
    // starts once the store has a user).
    const SyncStatus* syncStatus() const { return m_sync ? &m_syncStatus : nullptr; }
    // "Sync now": a round at once, even while backing off.
    void syncNow();
    // [SECTION] Sign-in and lock (sign_in.cpp)
    Gate gate() const { return m_gate; }
    bool storeProtected() const { return m_storeProtected; }
    void lockNow();  // as when idle (only a protected store locks)
    void setIdleLockSeconds(double s) { m_opt.idleLockSeconds = s; }  // overrides the settings (tests)
    // Delay before the next passphrase may be tried (0 = now): grows after five wrong ones.
    double signInDelay() const;
    // The sign-in screen shows HQ recovery of a forgotten passphrase (sign_in_recovery.cpp).
    bool recovering() const { return m_recovering; }
    // Outside programs for evidence (app/outside_viewer.h): their plaintext copies go when the
    // window locks and when the client exits; leftovers of an earlier run were swept at start.
    OutsideViewer& outsideViewer();
    // [SECTION] Enrolment and files (shell_enrol.cpp)
    // Enrols this device with HQ on the write worker (reference data, code exchange); on success
    // the store is the enrolled user's, the session reloads and sync starts (or runs at once).
    // `done` runs on the UI thread with the outcome either way.
    void enrolDevice(sync::EnrolRequest request, std::function<void(const sync::EnrollOutcome&)> done);
    // Leaves the server (sync/client/enrolment.h leaveServer); `done` gets the unsent changes.
    void leaveServer(std::function<void(int64_t unsent)> done);
    // The one file chooser (widgets/file_chooser.h) for every place that needs a file.
    FileChooser& fileChooser();

private:
    void startStore();  // the workers open the store (after sign-in, or at once when plain)
    void drawGate();
    void drawRecovery(float width);
    void pollSignIn();
    void refreshSignInWait();  // reads the stored wait (app::signInWaitSeconds) into m_signRetryAt
    void noteActivity();
    void registerViews();
    void reloadSession();
    void reloadStatusBar();
    void handleShortcuts();
    void drawNavigation(float width);
    void drawStatusBar(float height);
    void drawSyncStatus(float right);
    void startSync();
    void drawMessageLine();
    void drawRejections();
    void installAtlas(std::unique_ptr<BuiltAtlas> atlas);
    void actorChanged(const std::string& user);  // tell the read and background workers

    ShellOptions m_opt;
    Renderer& m_renderer;
    UiSettings m_settings;
    FontManager m_fonts;
    std::unique_ptr<BuiltAtlas> m_atlas;
    MainThreadQueue m_main;
    std::unique_ptr<JobRunner> m_jobs;
    Gate m_gate = Gate::Open;
    bool m_storeProtected = false;
    std::string m_signUser, m_signPass, m_signPass2, m_signError;
    int m_signSuite = 0;  // 0 default, 1 gm (new store)
    // When the next passphrase may be tried (now() seconds), from the count beside the key file
    // as of m_signWaitCheckedAt (refreshSignInWait()).
    double m_signRetryAt = 0, m_signWaitCheckedAt = -1e9, m_lastActivity = 0;
    // 1 ok, 0 wrong passphrase, -1 failed (with why); runs the key derivation off the frame.
    std::future<std::pair<int, std::string>> m_signTask;
    // HQ recovery on the sign-in screen: the request made, HQ's answer, the new passphrase.
    bool m_recovering = false, m_recoveryRunning = false;
    std::string m_recoveryRequest, m_recoveryShown, m_recoveryAnswer, m_recoveryNote;
    std::unique_ptr<OutsideViewer> m_viewer;
    std::unique_ptr<ThumbnailCache> m_thumbs;
    std::shared_ptr<const SessionData> m_session;
    bool m_sessionLoaded = false;
    StatusBarData m_statusBar;
    bool m_statusLoading = false;
    bool m_statusStale = false;  // a sync round changed the outbox: reload the pending count
    std::unique_ptr<SyncWorker> m_sync;
    std::unique_ptr<FileChooser> m_files;
    SyncStatus m_syncStatus;
    uint64_t m_statusVersion = 0;
    bool m_sessionLoading = false;
    uint64_t m_dataVersion = 1, m_sessionVersion = 0;
    std::vector<std::unique_ptr<View>> m_views;
    View* m_current = nullptr;
    std::string m_findingOrigin = "findings";
    std::string m_message;
    bool m_messageError = false;
    double m_messageAt = 0;
    bool m_quit = false;
    bool m_scanStarted = false;
    bool m_scanDone = false;
    double m_lastStatusRefresh = 0;
    bool m_firstFrame = true;
    bool m_pendingOpen = false;
    bool m_prepared = false;
    float m_displayScale = 1.0f;
};

}  // namespace jc::ui
