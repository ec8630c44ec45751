// The panel inside Miro: every call carries the Web SDK id token (never a cookie) and reads /api/v1.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const state = { cycle: null, board: null, selected: null };

  async function api(method, path, body) {
    const token = await miro.board.getIdToken();
    const answer = await fetch("/api/v1" + path, {
      method,
      headers: Object.assign({ Authorization: "Bearer " + token }, body ? { "Content-Type": "application/json" } : {}),
      body: body ? JSON.stringify(body) : undefined,
      credentials: "omit",
    });
    const data = await answer.json();
    if (!answer.ok) {
      const fields = Object.entries((data.error && data.error.fields) || {}).map(([k, v]) => k + ": " + v.join("; "));
      throw new Error([data.error ? data.error.message : answer.statusText, ...fields].join(" "));
    }
    return data;
  }

  function text(el, value) { el.textContent = value == null ? "" : String(value); }

  function keyResults() {
    return state.cycle.objectives.flatMap((o) => o.key_results);
  }

  function render() {
    const view = state.cycle;
    text($("panel-title"), view.cycle.name);
    text($("panel-status"), view.cycle.status + " · " + view.cycle.start + " to " + view.cycle.end);
    $("panel-dashboard").href = document.body.dataset.dashboard.replace(/0$/, String(view.cycle.id));
    const body = $("panel-krs").querySelector("tbody");
    body.replaceChildren();
    for (const kr of keyResults()) {
      const row = document.createElement("tr");
      row.id = "panel-" + kr.ref;
      for (const [value, cls] of [[kr.ref + " " + kr.title, ""], [kr.score.toFixed(2), "num"], [kr.health.replace("_", " "), "health-" + kr.health]]) {
        const cell = document.createElement("td");
        cell.className = cls;
        text(cell, value);
        row.appendChild(cell);
      }
      body.appendChild(row);
    }
    const findings = $("panel-findings");
    findings.replaceChildren();
    for (const f of view.findings) {
      const item = document.createElement("li");
      item.className = "sev-" + f.severity;
      text(item, f.rule + " " + f.ref + ": " + f.message);
      findings.appendChild(item);
    }
    // The board's record of its last sync (from any sync: this panel, the dashboard or the command line).
    const problems = $("panel-problems");
    problems.replaceChildren();
    const last = view.last_sync;
    const listed = last && last.synced_at ? last.problems : [];
    for (const p of listed) {
      const item = document.createElement("li");
      item.className = "problem-" + p.kind;
      text(item, (p.ref ? p.ref + ": " : "") + p.message);
      problems.appendChild(item);
    }
    if (!listed.length) {
      const item = document.createElement("li");
      item.className = "muted";
      text(item, last && last.synced_at ? "No problems." : "Not synced yet.");
      problems.appendChild(item);
    }
    $("panel-cycle").hidden = false;
    showSelected();
  }

  function showSelected() {
    const ref = state.selected && state.cycle.board && state.cycle.board.kr_items[state.selected];
    const kr = ref && keyResults().find((k) => k.ref === ref);
    $("panel-selected").hidden = !kr;
    if (!kr) return;
    text($("panel-kr-title"), kr.ref + " " + kr.title);
    text($("panel-kr-detail"), "score " + kr.score.toFixed(2) + " · " + kr.health.replace("_", " ") + " · owner " + (kr.owner || "-") + " · due " + (kr.due || "-"));
    $("panel-kr-current").value = kr.current == null ? "" : kr.current;
    $("panel-kr-score").value = kr.manual_score == null ? "" : kr.manual_score;
    $("panel-kr-form").dataset.ref = kr.ref;
  }

  async function load() {
    const info = await miro.board.getInfo();
    state.board = info.id;
    try {
      state.cycle = await api("GET", "/boards/" + encodeURIComponent(info.id) + "/cycle");
      render();
    } catch (error) {
      text($("panel-status"), error.message);
    }
  }

  async function runJob(kind) {
    text($("panel-status"), kind + "…");
    try {
      let job = await api("POST", "/cycles/" + state.cycle.cycle.id + "/jobs", { kind });
      while (job.state === "queued" || job.state === "running") {
        await new Promise((done) => setTimeout(done, 700));
        job = await api("GET", "/jobs/" + job.id);
      }
      await load();
      text($("panel-status"), job.state === "done" ? kind + " done." : job.error);
    } catch (error) {
      text($("panel-status"), error.message);
    }
  }

  $("panel-sync").addEventListener("click", () => runJob("sync"));
  $("panel-checkin").addEventListener("click", () => runJob("checkin"));
  $("panel-kr-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const ref = event.target.dataset.ref;
    const body = { current: $("panel-kr-current").value.trim() };
    const score = $("panel-kr-score").value.trim();
    body.score = score === "" ? null : score;
    if (body.current === "") delete body.current;
    try {
      const kr = await api("PATCH", "/cycles/" + state.cycle.cycle.id + "/key-results/" + ref, body);
      text($("panel-kr-message"), kr.ref + " saved: score " + kr.score.toFixed(2) + ". The next sync writes it to the card.");
      await load();
    } catch (error) {
      text($("panel-kr-message"), error.message);
    }
  });
  miro.board.ui.on("selection:update", (event) => {
    const items = event.items || [];
    state.selected = items.length === 1 ? items[0].id : null;
    if (state.cycle) showSelected();
  });
  load();
})();
