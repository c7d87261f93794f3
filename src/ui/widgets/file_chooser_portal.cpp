// The desktop's own file dialog through the XDG desktop portal (libportal): works on GNOME,
// KDE and the other desktops Debian ships, sandboxed or not. libportal answers through a GLib
// main context; this thread runs one of its own until the dialog is closed.
#include <chrono>
#include <thread>

#include "ui/widgets/file_chooser.h"

#ifdef JC_HAVE_LIBPORTAL
#include <gio/gio.h>
#include <libportal/portal.h>
#endif

namespace jc::ui {

#ifdef JC_HAVE_LIBPORTAL

namespace {
constexpr const char* kPortalName = "org.freedesktop.portal.Desktop";

bool busHas(GDBusConnection* bus, const char* method, const char* name) {
    GError* error = nullptr;
    GVariant* r = g_dbus_connection_call_sync(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                              method, std::string_view(method) == "NameHasOwner" ? g_variant_new("(s)", name) : nullptr,
                                              nullptr, G_DBUS_CALL_FLAGS_NONE, 2000, nullptr, &error);
    if (!r) {
        g_clear_error(&error);
        return false;
    }
    bool found = false;
    if (g_variant_is_of_type(r, G_VARIANT_TYPE("(b)"))) {
        gboolean b = FALSE;
        g_variant_get(r, "(b)", &b);
        found = b;
    } else if (g_variant_is_of_type(r, G_VARIANT_TYPE("(as)"))) {
        GVariantIter* it = nullptr;
        const char* s = nullptr;
        g_variant_get(r, "(as)", &it);
        while (g_variant_iter_next(it, "&s", &s))
            if (std::string_view(s) == name) found = true;
        g_variant_iter_free(it);
    }
    g_variant_unref(r);
    return found;
}

struct PortalCall {
    bool done = false;
    GVariant* result = nullptr;
    GError* error = nullptr;
    bool save = false;
};

void onAnswer(GObject* source, GAsyncResult* res, gpointer data) {
    auto* call = static_cast<PortalCall*>(data);
    XdpPortal* portal = XDP_PORTAL(source);
    call->result = call->save ? xdp_portal_save_file_finish(portal, res, &call->error)
                              : xdp_portal_open_file_finish(portal, res, &call->error);
    call->done = true;
}
}  // namespace

bool portalAvailable() {
    if (!std::getenv("DBUS_SESSION_BUS_ADDRESS") && !std::getenv("XDG_RUNTIME_DIR")) return false;
    GError* error = nullptr;
    GDBusConnection* bus = g_bus_get_sync(G_BUS_TYPE_SESSION, nullptr, &error);
    if (!bus) {
        g_clear_error(&error);
        return false;
    }
    bool ok = busHas(bus, "NameHasOwner", kPortalName) || busHas(bus, "ListActivatableNames", kPortalName);
    g_object_unref(bus);
    return ok;
}

std::optional<std::vector<std::string>> runPortalChooser(const FileRequest& req, const std::atomic<bool>& cancel) {
    GMainContext* ctx = g_main_context_new();
    g_main_context_push_thread_default(ctx);
    XdpPortal* portal = xdp_portal_new();
    GCancellable* cancellable = g_cancellable_new();
    PortalCall call;
    call.save = req.mode == FileRequest::Mode::Save;

    GVariant* filters = nullptr;
    if (!req.patterns.empty()) {
        GVariantBuilder globs;
        g_variant_builder_init(&globs, G_VARIANT_TYPE("a(us)"));
        for (const auto& p : req.patterns) g_variant_builder_add(&globs, "(us)", 0u, p.c_str());
        GVariantBuilder list;
        g_variant_builder_init(&list, G_VARIANT_TYPE("a(sa(us))"));
        g_variant_builder_add(&list, "(sa(us))", req.filterName.empty() ? "*" : req.filterName.c_str(), &globs);
        filters = g_variant_builder_end(&list);
    }
    if (call.save) {
        xdp_portal_save_file(portal, nullptr, req.title.c_str(), req.suggestedName.c_str(),
                             req.startDir.empty() ? nullptr : req.startDir.c_str(), nullptr, filters, nullptr, nullptr,
                             XDP_SAVE_FILE_FLAG_NONE, cancellable, onAnswer, &call);
    } else {
        xdp_portal_open_file(portal, nullptr, req.title.c_str(), filters, nullptr, nullptr,
                             req.mode == FileRequest::Mode::OpenMany ? XDP_OPEN_FILE_FLAG_MULTIPLE : XDP_OPEN_FILE_FLAG_NONE,
                             cancellable, onAnswer, &call);
    }
    while (!call.done) {
        if (cancel.load() && !g_cancellable_is_cancelled(cancellable)) g_cancellable_cancel(cancellable);
        if (!g_main_context_iteration(ctx, FALSE)) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::optional<std::vector<std::string>> out;
    if (call.result) {
        out.emplace();
        GVariant* uris = g_variant_lookup_value(call.result, "uris", G_VARIANT_TYPE_STRING_ARRAY);
        if (uris) {
            gsize n = 0;
            const gchar** list = g_variant_get_strv(uris, &n);
            for (gsize i = 0; i < n; ++i) {
                gchar* path = g_filename_from_uri(list[i], nullptr, nullptr);
                if (path) {
                    out->push_back(path);
                    g_free(path);
                }
            }
            g_free(list);
            g_variant_unref(uris);
        }
        g_variant_unref(call.result);
    } else if (call.error && g_error_matches(call.error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
        out.emplace();  // the user closed the dialog
    }
    if (call.error) g_error_free(call.error);
    g_object_unref(cancellable);
    g_object_unref(portal);
    g_main_context_pop_thread_default(ctx);
    g_main_context_unref(ctx);
    return out;
}

#else

bool portalAvailable() { return false; }
std::optional<std::vector<std::string>> runPortalChooser(const FileRequest&, const std::atomic<bool>&) { return std::nullopt; }

#endif

}  // namespace jc::ui
