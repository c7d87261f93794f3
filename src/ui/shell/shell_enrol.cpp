// The shell's enrolment and file-chooser services (shell.h [SECTION] Enrolment and files).
#include "app/paths.h"
#include "core/assets.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"

namespace jc::ui {

void Shell::actorChanged(const std::string& user) {
    for (Lane lane : {Lane::Read, Lane::Background})
        m_jobs->submit(lane, [user](WorkerContext& w) -> JobRunner::MainTask {
            w.reloadActor(user);
            return {};
        });
    m_scanStarted = false;
}

void Shell::enrolDevice(sync::EnrolRequest request, std::function<void(const sync::EnrollOutcome&)> done) {
    m_jobs->request<sync::EnrollOutcome>(
        Lane::Write,
        [request](WorkerContext& w) {
            sync::EnrollOutcome out = sync::enrolStore(w.store, assetsDir(), request);
            if (out.ok) w.reloadActor(out.userName);
            return out;
        },
        [this, done](sync::EnrollOutcome out) {
            if (out.ok) {
                bool firstRun = !m_session->hasUser;
                actorChanged(out.userName);
                dataChanged();
                if (m_sync) m_sync->syncNow();  // the worker was waiting for an enrolment
                notify(trf("enrol.done", {out.userName}));
                if (firstRun) show("home");
            }
            if (done) done(out);
        },
        [done](const JobError& e) {
            sync::EnrollOutcome out;
            out.kind = sync::SyncErrorKind::Local;
            out.error = e.message;
            if (done) done(out);
        });
}

void Shell::leaveServer(std::function<void(int64_t)> done) {
    m_jobs->request<int64_t>(
        Lane::Write, [](WorkerContext& w) { return sync::leaveServer(w.store); },
        [this, done](int64_t unsent) {
            dataChanged();
            if (m_sync) m_sync->syncNow();  // it finds no enrolment and says so
            if (done) done(unsent);
        });
}

FileChooser& Shell::fileChooser() {
    if (!m_files) m_files = std::make_unique<FileChooser>(m_main, m_opt.fileChooser);
    return *m_files;
}

}  // namespace jc::ui
