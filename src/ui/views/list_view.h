#pragma once
// The skeleton the list-and-form views share (时间存疑, 效能告诫, 整改, and the layout of the
// e-supervision, complaints, monitoring and evaluation views):
//  - ListRows: the rows of a read model, loaded on the read lane again whenever the data changed
//    since they were read (Shell::dataVersion), with "loading…" or the view's "none" text drawn
//    in place of an empty table;
//  - listAndSide: the list pane and the form or detail pane beside it.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "ui/shell/shell.h"

namespace jc::ui {

// "Loading…" before the first rows arrived, else `noneKey`'s text (muted, marked `noneKey` for
// tests) when there are none. True when there are rows to draw.
bool drawListState(bool loaded, bool empty, const char* noneKey);

// The list pane (child `listId`) and, when `side` is set, a bordered pane beside it (child
// `sideId`); the list takes `listShare` of the width then, all of it otherwise.
void listAndSide(const char* listId, float listShare, const std::function<void()>& list, const char* sideId = nullptr,
                 const std::function<void()>& side = {});

template <class Row>
class ListRows {
public:
    using Fetch = std::function<std::vector<Row>(WorkerContext&)>;
    // Runs on the frame once new rows are in place: notes their text for the font atlas, fixes
    // a selection that is gone.
    using Arrived = std::function<void(const std::vector<Row>&)>;

    // The data changed since the rows were read and no load is running.
    bool stale(const Shell& shell) const { return m_version != shell.dataVersion() && !m_loading; }
    // Loads when stale() (called every frame: the callables become a job only then).
    template <class F, class A>
    void refresh(Shell& shell, const char* job, F&& fetch, A&& arrived) {
        if (stale(shell)) load(shell, job, Fetch(std::forward<F>(fetch)), Arrived(std::forward<A>(arrived)));
    }
    // Loads now (a filter changed); the job `job` replaces a queued one of the same name.
    void load(Shell& shell, const char* job, Fetch fetch, Arrived arrived) {
        m_loading = true;
        m_version = shell.dataVersion();
        shell.jobs().request<std::vector<Row>>(
            Lane::Read, std::move(fetch),
            [this, arrived = std::move(arrived)](std::vector<Row> rows) {
                m_rows = std::move(rows);
                m_loaded = true;
                m_loading = false;
                if (arrived) arrived(m_rows);
            },
            shell.failClears(m_loading), job);
    }
    // drawListState() of these rows.
    bool drawState(const char* noneKey) const { return drawListState(m_loaded, m_rows.empty(), noneKey); }

    bool loaded() const { return m_loaded; }
    bool loading() const { return m_loading; }
    const std::vector<Row>& rows() const { return m_rows; }

private:
    std::vector<Row> m_rows;
    bool m_loaded = false, m_loading = false;
    uint64_t m_version = ~0ull;
};

}  // namespace jc::ui
