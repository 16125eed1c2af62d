/* The door page (Incheckning): QR codes read by the phone's camera (BarcodeDetector, where the browser has it)
   or typed, checked in at once when the network is there and otherwise kept in a queue in localStorage that is
   sent to POST /api/events/events/{id}/check-in/batch when the network is back. Every operation carries a client
   id, so sending it twice (a retry, two tabs) checks nobody in twice. Texts come from the page (the catalogue). */
(function () {
  "use strict";
  var door = document.getElementById("door");
  if (!door) { return; }
  var eventId = door.dataset.eventId;
  var entrance = door.dataset.entrance || null;
  var api = "/api/events/events/" + encodeURIComponent(eventId);
  var queueKey = "samla-door-queue-" + eventId;
  var status = document.getElementById("scan-status");
  var queueStatus = document.getElementById("queue-status");
  var form = document.getElementById("code-form");
  var field = document.getElementById("token");
  var syncing = false;

  function csrf() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || ""; }
    catch (e) { return ""; }
  }
  function text(name, values) {
    var t = door.dataset[name] || "";
    Object.keys(values || {}).forEach(function (k) { t = t.split("%(" + k + ")s").join(values[k]); });
    return t;
  }
  function say(message) { status.textContent = message; }
  function clientId() {
    if (window.crypto && crypto.randomUUID) { return "door-" + crypto.randomUUID(); }
    return "door-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }
  function load() {
    try { return JSON.parse(localStorage.getItem(queueKey) || "[]"); } catch (e) { return []; }
  }
  function store(items) {
    localStorage.setItem(queueKey, JSON.stringify(items));
    queueStatus.textContent = items.length ? text("msgQueue", { n: items.length }) : "";
  }
  function refreshCounts() { document.body.dispatchEvent(new CustomEvent("samla:refresh")); }
  function post(path, body) {
    return fetch(api + path, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf(), "Accept": "application/json" },
      body: JSON.stringify(body)
    });
  }

  function checkIn(token) {
    var op = { client_id: clientId(), action: "check_in", occurred_at: new Date().toISOString(), token: token,
               entrance: entrance };
    if (!navigator.onLine) { queue(op); return; }
    post("/check-in", { token: token, entrance: entrance, client_id: op.client_id }).then(function (resp) {
      if (resp.status >= 500) { queue(op); return; }
      return resp.json().then(function (body) {
        if (resp.ok) {
          say(text(body.already_checked_in ? "msgAlready" : "msgCheckedIn", { name: body.name }));
          refreshCounts();
        } else {
          say(text("msgRefused") + " " + (body.detail || ""));
        }
      });
    }).catch(function () { queue(op); });
  }
  function queue(op) {
    var items = load();
    items.push(op);
    store(items);
    say(text("msgQueued"));
  }
  function sync() {
    var items = load();
    if (syncing || !items.length || !navigator.onLine) { return; }
    syncing = true;
    post("/check-in/batch", { items: items }).then(function (resp) {
      if (!resp.ok) { return; }
      return resp.json().then(function (body) {
        var sent = {};
        body.results.forEach(function (r) { sent[r.client_id] = true; });
        store(load().filter(function (op) { return !sent[op.client_id]; }));
        say(text("msgSynced", { n: body.results.length }));
        refreshCounts();
      });
    }).catch(function () { /* still offline: try again later */ }).then(function () { syncing = false; });
  }

  form.addEventListener("submit", function (e) {
    var token = field.value.trim();
    if (!token) { return; }
    e.preventDefault();
    field.value = "";
    field.focus();
    checkIn(token);
  });
  window.addEventListener("online", sync);
  window.setInterval(sync, 20000);
  store(load());
  sync();

  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
  var scanner = document.getElementById("scanner");
  var toggle = document.getElementById("scan-toggle");
  var video = document.getElementById("scan-video");
  var detector = null;
  var stream = null;
  var seen = {};
  scanner.hidden = false;

  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null;
    video.hidden = true;
    toggle.textContent = toggle.dataset.start;
  }
  function look() {
    if (!stream) { return; }
    detector.detect(video).then(function (codes) {
      var now = Date.now();
      codes.forEach(function (c) {
        if (c.rawValue && !(seen[c.rawValue] > now - 5000)) {
          seen[c.rawValue] = now;
          if (navigator.vibrate) { navigator.vibrate(80); }
          checkIn(c.rawValue);
        }
      });
    }).catch(function () { /* a frame that could not be read */ }).then(function () {
      window.setTimeout(look, 250);
    });
  }
  toggle.addEventListener("click", function () {
    if (stream) { stop(); return; }
    detector = detector || new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.hidden = false;
      toggle.textContent = toggle.dataset.stop;
      say(text("msgScanning"));
      return video.play().then(look);
    }).catch(function () { stop(); say(text("msgCameraOff")); });
  });
})();
