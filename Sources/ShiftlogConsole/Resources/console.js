// Shiftlog console: follows the log live. Pages are complete without this script; with it,
// a page whose events arrive on GET /api/events is rendered again by the server and its
// content swapped in place. No polling: nothing is fetched unless an event concerns the page.
"use strict";
(function () {
  const body = document.body;
  const region = document.getElementById("live-region");

  // Countdowns (the cooldown): one tick a second, down to 0.
  function startCountdowns() {
    for (const element of document.querySelectorAll("[data-countdown]")) {
      let left = parseInt(element.dataset.countdown, 10);
      if (!(left > 0)) continue;
      const timer = setInterval(function () {
        left -= 1;
        element.textContent = String(Math.max(0, left));
        if (left <= 0 || !element.isConnected) clearInterval(timer);
      }, 1000);
    }
  }
  startCountdowns();

  // Heartbeat ages (the workers page) grow by a second a second while the page follows the
  // log, turning to a warning past 80 % of the stale threshold and to stale past it; a
  // heartbeat arriving re-renders the row from the server.
  function text(seconds) {
    if (seconds < 60) return seconds + "s";
    if (seconds < 3600) return Math.floor(seconds / 60) + "m" + String(seconds % 60).padStart(2, "0") + "s";
    return Math.floor(seconds / 3600) + "h" + String(Math.floor((seconds % 3600) / 60)).padStart(2, "0") + "m";
  }
  if (body.dataset.live === "yes") {
    setInterval(function () {
      for (const cell of document.querySelectorAll("[data-age]")) {
        const age = parseInt(cell.dataset.age, 10) + 1;
        const limit = parseInt(cell.dataset.limit, 10);
        cell.dataset.age = String(age);
        const shown = cell.querySelector(".age");
        if (shown) shown.textContent = text(age);
        cell.className = age > limit ? "age-stale" : (age * 5 > limit * 4 ? "age-warn" : "age-ok");
      }
    }, 1000);
  }

  if (!region || body.dataset.live !== "yes" || typeof EventSource === "undefined") return;

  const toggle = document.getElementById("live-toggle");
  const stateLabel = document.getElementById("live-state");
  const scope = body.dataset.scope || "none";
  const types = (body.dataset.eventTypes || "").split(" ").filter(Boolean);
  let position = body.dataset.sequence || "0";
  let source = null;
  let paused = false;
  let pending = false;
  let timer = null;
  let refreshing = false;

  function say(text) { if (stateLabel) stateLabel.textContent = text; }

  // Which events concern the page (DESIGN.md, "The console": live updates).
  function concerns(type, payload) {
    switch (true) {
      case scope === "none": return false;
      case scope === "all" || scope === "events": return true;
      case scope === "workers": return Boolean(payload.workerId);
      case scope === "items": return Boolean(payload.workItemId || payload.parentWorkItemId);
      case scope.startsWith("item:"): {
        const id = scope.slice(5);
        if (payload.workItemId === id || payload.parentWorkItemId === id) return true;
        if (!payload.workerId) return false;
        return document.querySelector('[data-worker="' + CSS.escape(payload.workerId) + '"]') !== null;
      }
      default: return false;
    }
  }

  function typing() {
    const active = document.activeElement;
    return active && region.contains(active) && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName) && active.type !== "hidden";
  }

  function schedule() {
    pending = true;
    if (paused || timer) return;
    timer = setTimeout(refresh, 250);
  }

  async function refresh() {
    timer = null;
    if (paused || !pending || refreshing) return;
    if (typing()) { say("live: changes wait while you type"); return; }
    pending = false;
    refreshing = true;
    try {
      const response = await fetch(location.href, { headers: { "X-Shiftlog-Live": "1" }, redirect: "manual", credentials: "same-origin" });
      if (!response.ok) return;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const next = page.getElementById("live-region");
      if (!next) return;
      region.replaceChildren(...Array.from(next.childNodes).map(function (node) { return document.adoptNode(node); }));
      body.dataset.sequence = page.body.dataset.sequence || body.dataset.sequence;
      const footer = document.querySelector("footer.bottom");
      const nextFooter = page.querySelector("footer.bottom");
      if (footer && nextFooter) footer.textContent = nextFooter.textContent;
      startCountdowns();
      say("live");
    } catch (error) {
      say("live: could not refresh");
    } finally {
      refreshing = false;
      if (pending) schedule();
    }
  }

  function onEvent(message) {
    position = message.lastEventId || position;
    let payload = {};
    try { payload = JSON.parse(message.data).payload || {}; } catch (error) { return; }
    if (concerns(message.type, payload)) schedule();
  }

  function open() {
    // EventSource resends the last id it saw as Last-Event-ID when it reconnects after a drop,
    // and the service resumes from there (it wins over `after`).
    source = new EventSource("/api/events?after=" + encodeURIComponent(position));
    for (const type of types) source.addEventListener(type, onEvent);
    source.onopen = function () { say("live"); };
    source.onerror = function () { say(source.readyState === EventSource.CLOSED ? "disconnected" : "reconnecting…"); };
  }

  function close() {
    if (source) source.close();
    source = null;
  }

  region.addEventListener("focusout", function () { if (pending && !paused) schedule(); });

  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      paused = !paused;
      toggle.setAttribute("aria-pressed", String(!paused));
      toggle.textContent = paused ? "Paused" : "Live";
      if (paused) { close(); say("paused"); } else { open(); schedule(); }
    });
  }
  open();
})();
