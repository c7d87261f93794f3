#!/usr/bin/python3
# A stand-in for xdg-desktop-portal's FileChooser, for the UI tests: it owns
# org.freedesktop.portal.Desktop on the test's private session bus, exports
# org.freedesktop.portal.FileChooser (OpenFile, SaveFile, version 3) at /org/freedesktop/portal/desktop
# and answers each call the way the real portal does: it returns a Request object path built from
# the caller's unique name and handle_token, then emits org.freedesktop.portal.Request.Response
# on it (0 with "uris", or 1 when the user cancelled); Request.Close withdraws a request.
#
# Usage: fake_file_chooser_portal.py LOG ANSWERS
#   ANSWERS: a JSON list, one answer per call in order:
#     {"uris": ["file:///…", …]}     the user chose these
#     {"save_in": "/dir"}             SaveFile: the user accepted the proposed name in /dir
#     {"cancel": true}                the user closed the dialog (response 1)
#     {"wait": true}                  no answer until the caller closes the request
#   LOG: one JSON object a line: {"ready": true} once the name is owned, then per call the method,
#   title, options (handle_token, multiple, filters, current_name, current_folder), and "closed"
#   when a request was closed.
# Needs Debian's python3-gi (GLib's own D-Bus code, as the real portal uses).
import json
import sys

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

CHOOSER_XML = """
<node>
  <interface name="org.freedesktop.portal.FileChooser">
    <method name="OpenFile">
      <arg type="s" name="parent_window" direction="in"/>
      <arg type="s" name="title" direction="in"/>
      <arg type="a{sv}" name="options" direction="in"/>
      <arg type="o" name="handle" direction="out"/>
    </method>
    <method name="SaveFile">
      <arg type="s" name="parent_window" direction="in"/>
      <arg type="s" name="title" direction="in"/>
      <arg type="a{sv}" name="options" direction="in"/>
      <arg type="o" name="handle" direction="out"/>
    </method>
    <property name="version" type="u" access="read"/>
  </interface>
</node>"""

REQUEST_XML = """
<node>
  <interface name="org.freedesktop.portal.Request">
    <method name="Close"/>
    <signal name="Response">
      <arg type="u" name="response"/>
      <arg type="a{sv}" name="results"/>
    </signal>
  </interface>
</node>"""

log_path, answers_path = sys.argv[1], sys.argv[2]
with open(answers_path, encoding="utf-8") as f:
    answers = json.load(f)
chooser_info = Gio.DBusNodeInfo.new_for_xml(CHOOSER_XML).interfaces[0]
request_info = Gio.DBusNodeInfo.new_for_xml(REQUEST_XML).interfaces[0]
requests = {}  # path -> registration id
loop = GLib.MainLoop()


def log(entry):
    with open(log_path, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry, ensure_ascii=False) + "\n")


def plain(value):
    """Option values as JSON: byte strings (current_folder) as text without the trailing NUL."""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).rstrip(b"\0").decode("utf-8", "replace")
    if isinstance(value, list) and value and all(isinstance(b, int) for b in value):
        return bytes(value).rstrip(b"\0").decode("utf-8", "replace")
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def on_request_call(conn, sender, path, iface, method, params, invocation):
    if method == "Close":
        log({"closed": path})
        reg = requests.pop(path, None)
        if reg is not None:
            conn.unregister_object(reg)
        invocation.return_value(None)


def respond(conn, sender, path, code, uris):
    if path not in requests:
        return False  # closed meanwhile
    results = {"uris": GLib.Variant("as", uris)} if code == 0 else {}
    conn.emit_signal(sender, path, "org.freedesktop.portal.Request", "Response",
                     GLib.Variant("(ua{sv})", (code, results)))
    conn.unregister_object(requests.pop(path))
    return False


def on_chooser_call(conn, sender, path, iface, method, params, invocation):
    parent, title, options = params.unpack()
    token = options.get("handle_token", "t%d" % len(requests))
    request_path = "/org/freedesktop/portal/desktop/request/%s/%s" % (sender[1:].replace(".", "_"), token)
    requests[request_path] = conn.register_object(request_path, request_info, on_request_call, None, None)
    log({"method": method, "title": title, "parent": parent,
         "options": {k: plain(v) for k, v in options.items()}})
    invocation.return_value(GLib.Variant("(o)", (request_path,)))
    answer = answers.pop(0) if answers else {"cancel": True}
    if answer.get("wait"):
        return
    if answer.get("cancel"):
        code, uris = 1, []
    elif "save_in" in answer:
        name = plain(options.get("current_name", "unnamed"))
        code, uris = 0, [GLib.filename_to_uri(GLib.build_filenamev([answer["save_in"], name]), None)]
    else:
        code, uris = 0, answer.get("uris", [])
    GLib.timeout_add(150, respond, conn, sender, request_path, code, uris)


def get_property(conn, sender, path, iface, name):
    return GLib.Variant("u", 3) if name == "version" else None


def on_bus(conn, name):
    conn.register_object("/org/freedesktop/portal/desktop", chooser_info, on_chooser_call, get_property, None)


Gio.bus_own_name(Gio.BusType.SESSION, "org.freedesktop.portal.Desktop", Gio.BusNameOwnerFlags.NONE,
                 on_bus, lambda conn, name: log({"ready": True}), lambda conn, name: loop.quit())
loop.run()
