"""Open an HTML report in headless Chromium (Debian's `chromium`; `make test` installs it when missing) and
say what a reader's browser did: which charts drew, the visible text, script errors and dialogs.

The report is not changed: a copy gets a probe as the first script of its <head>, before anything the report
holds, so a dialog opened by injected markup or a script error anywhere is recorded. Chromium prints the DOM
once the page's scripts have run (`--dump-dom`), and the probe leaves its findings in it as JSON.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

PROBE = r"""<script>
window.__probe = {errors: [], dialogs: []};
window.addEventListener('error', function (event) {
  window.__probe.errors.push(String(event.message || event.type) + ' @ ' + (event.filename || '') + ':' + event.lineno);
}, true);
window.addEventListener('unhandledrejection', function (event) {
  window.__probe.errors.push('unhandled rejection: ' + String(event.reason));
});
['alert', 'confirm', 'prompt'].forEach(function (name) {
  window[name] = function (message) { window.__probe.dialogs.push(name + ': ' + String(message)); };
});
window.addEventListener('load', function () {
  setTimeout(function () {
    var charts = Array.prototype.map.call(document.querySelectorAll('.plotly-graph-div'), function (div) {
      var box = div.getBoundingClientRect();
      var days = [];
      (div.data || []).forEach(function (trace) {
        [trace.x, trace.y, trace.customdata].forEach(function (values) {
          [].concat.apply([], values || []).forEach(function (value) {
            if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) { days.push(value.slice(0, 10)); }
          });
        });
      });
      days.sort();
      return {id: div.id, svg: div.querySelectorAll('svg.main-svg').length, traces: (div.data || []).length,
              width: box.width, height: box.height, first_day: days[0] || null,
              last_day: days[days.length - 1] || null};
    });
    var text = document.body.innerText;
    var shown = null;
    var select = document.getElementById('org-select');
    if (select) {
      select.value = '1';
      select.dispatchEvent(new Event('change'));
      shown = Array.prototype.filter.call(document.querySelectorAll('section.org'), function (section) {
        return !section.hidden;
      }).map(function (section) { return section.dataset.org; });
    }
    var found = {errors: window.__probe.errors, dialogs: window.__probe.dialogs, charts: charts, text: text,
                 shown_after_selecting_the_second: shown};
    var pre = document.createElement('pre');
    pre.id = 'devhealth-probe';
    pre.textContent = JSON.stringify(found);
    document.body.appendChild(pre);
  }, 1000);
});
</script>"""
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
         "--disable-extensions", "--allow-file-access-from-files"]


@dataclass(frozen=True)
class PageRun:
    charts: list[dict]
    text: str
    errors: list[str]
    dialogs: list[str]
    # the data-org of the sections left visible once the selector picks the second organization
    shown_after_selecting_the_second: list[str] | None


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError("no chromium on PATH: `make test` installs Debian's chromium (apt-get install -y chromium)")


def open_page(report: Path, work: Path) -> PageRun:
    """Load `report` (through a probed copy in `work`) and return what the browser saw."""
    page = report.read_text(encoding="utf-8")
    probed = work / "probed.html"
    probed.write_text(page.replace("<head>", "<head>" + PROBE, 1), encoding="utf-8")
    completed = subprocess.run(
        [chromium(), *FLAGS, f"--user-data-dir={work / 'profile'}", "--virtual-time-budget=30000",
         "--window-size=1400,1000", "--dump-dom", probed.as_uri()],
        capture_output=True, text=True, timeout=300,
    )
    found = re.search(r'<pre id="devhealth-probe">(.*?)</pre>', completed.stdout, re.DOTALL)
    if found is None:
        raise AssertionError(f"chromium printed no probe (exit {completed.returncode}): {completed.stderr[-2000:]}")
    probe = json.loads(html.unescape(found.group(1)))
    return PageRun(probe["charts"], probe["text"], probe["errors"], probe["dialogs"],
                   probe["shown_after_selecting_the_second"])


def screenshot(report: Path, work: Path, out: Path, height: int = 9000) -> Path:
    """A full-width screenshot of the report's first `height` pixels, for a person to review."""
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [chromium(), *FLAGS, f"--user-data-dir={work / 'profile'}", "--virtual-time-budget=30000",
         f"--window-size=1400,{height}", f"--screenshot={out}", report.as_uri()],
        capture_output=True, text=True, timeout=300, check=True,
    )
    return out
