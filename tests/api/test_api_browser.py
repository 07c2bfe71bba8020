"""A real browser, as a hostile web page would use it (spec §1.1).

Headless Chromium opens a page served from another local port; the page's script sends the
action API what any site could make the supervisor's browser send: "simple" ``text/plain``
POSTs (no preflight; also ``no-cors``), JSON that needs a preflight, and auto-submitted HTML
forms (one of them the ``text/plain`` trick that makes a form body valid JSON), to the action
path and a catalogue path. Each would create a project. The page writes what it could read
of each answer into its DOM, which ``--dump-dom`` prints.

None may change anything (the counts through the services are the same after) and none may
be read (a fetch fails or is opaque and empty; a form's answer is not readable from the
page). The server's log shows each request arrived and was refused, so the test cannot pass
because the browser never sent them.

Chromium is the Debian package ``chromium``; ``.ci/run`` installs it. Without it the test is
skipped, except under CI, where a missing browser is a failure.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from mixtimer_gui.api.actions import ACTIONS, catalogue_path
from mixtimer_gui.api.server import ApiServer
from mixtimer_gui.services import Services

pytestmark = [pytest.mark.browser,
              pytest.mark.expect_log("refused", logger="mixtimer_gui.api.wsgi")]

CATALOGUE = catalogue_path(ACTIONS["create_v2_project"])
FETCHES = ("simple", "simple_catalogue", "no_cors", "preflight", "preflight_catalogue")
FORMS = ("form_text_json", "form_text_json_catalogue", "form_urlencoded")

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>pending</title></head><body>
<pre id="out">pending</pre>
<script>
const API = "http://127.0.0.1:%(port)d";
const results = {};
function project(uid) {
  return JSON.stringify({action: "create_v2_project", uid: uid, name: "从网页创建",
    cycle_type: "自然时间周期", period_num: 1, period_unit: "日", object_id_list: ["web-1"]});
}
function send(key, path, init) {
  return fetch(API + path, init)
    .then(r => r.text().then(t => { results[key] = r.type + ":" + r.status + ":" + t; }))
    .catch(e => { results[key] = "blocked:" + e.name; });
}
function submit(key, path, enctype, fields) {
  return new Promise(resolve => {
    const frame = document.createElement("iframe");
    frame.name = key;
    document.body.appendChild(frame);
    const form = document.createElement("form");
    form.method = "POST"; form.action = API + path; form.enctype = enctype; form.target = key;
    for (const [name, value] of fields) {
      const input = document.createElement("input");
      input.type = "hidden"; input.name = name; input.value = value;
      form.appendChild(input);
    }
    document.body.appendChild(form);
    let loads = 0;
    frame.onload = () => {
      if (++loads < 2) return;  // the first load is the empty frame
      try {
        const doc = frame.contentDocument;
        results[key] = doc ? "read:" + doc.body.innerText : "blocked:no-document";
      } catch (e) { results[key] = "blocked:" + e.name; }
      resolve();
    };
    frame.onload();  // counts the empty frame, in case its load fired already
    form.submit();
    setTimeout(() => { if (!(key in results)) { results[key] = "timeout"; resolve(); } }, 8000);
  });
}
// A form body "NAME=VALUE" in text/plain: with NAME = '{"action": …, "pad": "' and
// VALUE = '"}' the body is valid JSON, the classic cross-site JSON forgery.
function jsonForm(uid) {
  const body = project(uid);
  return [[body.slice(0, -1) + ',"pad":"', '"}']];
}
Promise.all([
  send("simple", "/mixtimer/api", {method: "POST", headers: {"Content-Type": "text/plain"},
                                   body: project("web-simple")}),
  send("simple_catalogue", "%(catalogue)s", {method: "POST",
       headers: {"Content-Type": "text/plain"}, body: project("web-catalogue")}),
  send("no_cors", "/mixtimer/api", {method: "POST", mode: "no-cors",
       headers: {"Content-Type": "text/plain"}, body: project("web-no-cors")}),
  send("preflight", "/mixtimer/api", {method: "POST",
       headers: {"Content-Type": "application/json"}, body: project("web-json")}),
  send("preflight_catalogue", "%(catalogue)s", {method: "POST",
       headers: {"Content-Type": "application/json"}, body: project("web-json-catalogue")}),
  submit("form_text_json", "/mixtimer/api", "text/plain", jsonForm("web-form")),
  submit("form_text_json_catalogue", "%(catalogue)s", "text/plain",
         jsonForm("web-form-catalogue")),
  submit("form_urlencoded", "/mixtimer/api", "application/x-www-form-urlencoded",
         [["action", "create_v2_project"], ["uid", "web-urlencoded"], ["name", "x"]]),
]).then(() => {
  document.getElementById("out").textContent = JSON.stringify(results);
  document.title = "done";
});
</script></body></html>
"""


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed, and CI must run the browser test "
                    "(.ci/run installs the Debian package chromium)")
    pytest.skip("chromium is not installed (apt-get install chromium)")


@pytest.fixture
def hostile_site(server: ApiServer) -> Iterator[str]:
    """A page on another local port, as any site the supervisor has open."""
    page = (PAGE % {"port": server.port, "catalogue": CATALOGUE}).encode("utf-8")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    site = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{site.server_address[1]}/"
    finally:
        site.shutdown()
        site.server_close()
        thread.join(5)


def open_in_browser(url: str, profile: Path) -> dict[str, str]:
    argv = [chromium(), "--headless", "--disable-gpu", "--no-first-run",
            "--no-proxy-server", f"--user-data-dir={profile}",
            "--virtual-time-budget=20000", "--dump-dom", url]
    if os.geteuid() == 0:
        argv.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
    done = subprocess.run(argv, capture_output=True, text=True, timeout=180)
    match = re.search(r'<pre id="out">(.*?)</pre>', done.stdout, re.S)
    assert match and "<title>done</title>" in done.stdout, (done.stdout[-2000:],
                                                             done.stderr[-2000:])
    return json.loads(html.unescape(match.group(1)))


def counts(services: Services) -> tuple[int, int, int]:
    return (services.projects.list({})["total_records"], services.tasks.list({})["total_records"],
            services.objects.list({})["total_records"])


def test_a_hostile_page_can_neither_change_nor_read_anything(
        services: Services, server: ApiServer, hostile_site: str, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    services.projects.create({"uid": "kept", "name": "月检", "cycle_type": "自然时间周期",
                              "period_num": 1, "period_unit": "月", "object_id_list": ["p-1"]})
    before = counts(services)
    with caplog.at_level(logging.WARNING, logger="mixtimer_gui.api"):
        results = open_in_browser(hostile_site, tmp_path / "profile")
    assert counts(services) == before
    assert set(results) == {*FETCHES, *FORMS}, results
    for key in FETCHES:
        assert results[key] in ("blocked:TypeError", "opaque:0:"), (key, results[key])
    assert results["no_cors"] == "opaque:0:"  # sent, but its answer is an empty box
    for key in FORMS:
        assert results[key].startswith("blocked:"), (key, results[key])
    # The requests did arrive, and were refused: not a browser that sent nothing.
    refused = [r.getMessage() for r in caplog.records if r.getMessage().startswith("refused")]
    posts = [line for line in refused if line.startswith("refused POST")]
    assert len(posts) >= 6, refused  # simple ×2, no-cors, forms ×3
    assert any(line.startswith("refused OPTIONS") for line in refused), refused
    assert any(CATALOGUE in line for line in posts), refused


def test_without_chromium_ci_fails_and_elsewhere_skips(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="chromium"):
        chromium()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        chromium()
