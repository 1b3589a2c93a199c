"use strict";
// Polls the admin API and redraws the page; no framework, so it runs from the executable as it is.
(() => {
  const refreshMs = 2000;
  const windowMs = 5 * 60 * 1000;
  const forwardedMetric = "orleansproxy_sip_requests_forwarded_total";
  const rateSamples = [];
  let previousCount = null;

  const text = (tag, content, className) => {
    const element = document.createElement(tag);
    if (content !== undefined && content !== null) element.textContent = String(content);
    if (className) element.className = className;
    return element;
  };

  const badge = (label, kind) => text("span", label, "badge " + kind);

  const rttText = (member) => member.lastProbeRttMs === null ? "–" : member.lastProbeRttMs.toFixed(1) + " ms";

  const timeText = (iso) => iso ? new Date(iso).toLocaleTimeString() : "–";

  // Three states from the probes: serving, alive but not serving (with the code it answers), down; unknown before any.
  function healthBadge(member) {
    switch (member.health) {
      case "Serving": return badge("serving", "serving");
      case "NotServing": return badge("not serving (" + member.lastProbeStatus + ")", "not-serving");
      case "Down": return badge("down", "down");
      default: return badge("unknown", "unknown");
    }
  }

  function renderMember(pair, member) {
    const row = document.createElement("tr");
    row.dataset.member = member.address;
    const isActive = member.address === pair.activeMember;
    row.append(
      text("td", member.role.toLowerCase()),
      text("td", member.address),
      (() => { const cell = text("td"); cell.append(healthBadge(member)); return cell; })(),
      (() => { const cell = text("td"); if (isActive) cell.append(badge("active", "active")); else cell.textContent = "standby"; return cell; })(),
      text("td", rttText(member)),
      text("td", member.consecutiveFailures),
      text("td", timeText(member.lastAnsweredAt)));
    return row;
  }

  function renderHistory(pair) {
    if (pair.history.length === 0) return text("p", "No switchover since this node started.", "muted");
    const list = text("ol", null, "timeline");
    for (const record of [...pair.history].reverse()) {
      const item = document.createElement("li");
      const at = text("time", new Date(record.at).toLocaleString());
      at.dateTime = record.at;
      item.append(at, text("strong", record.reason), document.createTextNode(
        ` ${record.from ?? "(none)"} → ${record.to}` + (record.detail ? ` — ${record.detail}` : "")));
      list.append(item);
    }
    return list;
  }

  function renderPair(pair) {
    const card = text("section", null, "card pair");
    card.dataset.pair = pair.name;
    const head = text("div", null, "pair-head");
    const button = text("button", "Switch over");
    button.addEventListener("click", () => switchover(pair.name));
    head.append(text("h2", pair.name), pair.available ? badge("available", "available") : badge("no serving member since " + timeText(pair.unavailableSince) + ": requests wait", "unavailable"), button);

    const activeLine = text("p", null, "active-line");
    const active = text("strong", pair.activeMember, "active-member");
    active.dataset.active = pair.activeMember;
    activeLine.append(document.createTextNode("Active: "), active, document.createTextNode(` (${pair.activeRole.toLowerCase()})`));

    const table = document.createElement("table");
    const headRow = document.createElement("tr");
    for (const title of ["role", "member", "health", "state", "probe RTT", "misses", "answered"]) headRow.append(text("th", title));
    table.append(headRow, ...[pair.members[0], pair.members[1]].map((member) => renderMember(pair, member)));

    card.append(head, activeLine, table, text("h2", "Switchovers"), renderHistory(pair));
    return card;
  }

  async function switchover(name) {
    if (!window.confirm(`Switch pair ${name} over to its standby member?`)) return;
    const response = await fetch(`/api/pairs/${encodeURIComponent(name)}/switchover`, { method: "POST" });
    if (!response.ok) {
      const body = await response.json().catch(() => ({ error: response.statusText }));
      window.alert(`Switchover refused: ${body.error}`);
    }
    await refresh();
  }

  function forwardedCount(metricsText) {
    let sum = 0;
    let seen = false;
    for (const line of metricsText.split("\n")) {
      if (!line.startsWith(forwardedMetric)) continue;
      const next = line.charAt(forwardedMetric.length);
      if (next !== "{" && next !== " ") continue;
      const value = Number(line.slice(line.lastIndexOf(" ") + 1));
      if (!Number.isNaN(value)) { sum += value; seen = true; }
    }
    return seen ? sum : 0;
  }

  function recordRate(count, now) {
    if (previousCount !== null && now > previousCount.at) {
      rateSamples.push({ at: now, rate: Math.max(0, (count - previousCount.count) * 1000 / (now - previousCount.at)) });
    }
    previousCount = { count, at: now };
    while (rateSamples.length > 0 && rateSamples[0].at < now - windowMs) rateSamples.shift();
  }

  function drawChart(now) {
    const svg = document.getElementById("rate-chart");
    svg.replaceChildren();
    const peak = rateSamples.reduce((max, sample) => Math.max(max, sample.rate), 0);
    const scale = peak > 0 ? peak * 1.1 : 1;
    const points = rateSamples.map((sample) =>
      `${(600 - (now - sample.at) * 600 / windowMs).toFixed(1)},${(118 - sample.rate * 116 / scale).toFixed(1)}`);
    const line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
    line.setAttribute("points", points.join(" "));
    svg.append(line);
    const latest = rateSamples.length > 0 ? rateSamples[rateSamples.length - 1].rate : 0;
    document.getElementById("rate-now").textContent = latest.toFixed(1);
    document.getElementById("rate-peak").textContent = peak.toFixed(1);
  }

  // The node's latest configuration reload; every pair entry carries the same one, so the first says it.
  function renderReload(pairs) {
    const element = document.getElementById("reload");
    const last = pairs.length > 0 ? pairs[0].lastReload : null;
    if (!last) {
      element.textContent = "configuration not reloaded since start";
      element.className = "muted";
      return;
    }

    element.textContent = `last reload ${new Date(last.at).toLocaleString()}: ${last.outcome}`;
    element.className = last.outcome === "applied" ? "muted" : "error";
  }

  async function refresh() {
    const updated = document.getElementById("updated");
    try {
      const [pairsResponse, metricsResponse] = await Promise.all([fetch("/api/pairs"), fetch("/metrics")]);
      if (!pairsResponse.ok) throw new Error(`/api/pairs answered ${pairsResponse.status}`);
      const pairs = await pairsResponse.json();
      const now = Date.now();
      if (metricsResponse.ok) recordRate(forwardedCount(await metricsResponse.text()), now);
      document.getElementById("pairs").replaceChildren(...pairs.map(renderPair));
      renderReload(pairs);
      drawChart(now);
      updated.textContent = "updated " + new Date(now).toLocaleTimeString();
      updated.className = "muted";
    } catch (error) {
      updated.textContent = "not reachable: " + error.message;
      updated.className = "error";
    }
  }

  refresh();
  setInterval(refresh, refreshMs);
})();
