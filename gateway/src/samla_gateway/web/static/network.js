/* A matching run's live progress bar (Nätverk → a run). "Start the search" opens a Server-Sent Events stream
   that starts the run (GET .../forlopp?starta=1 with the CSRF token) and moves the bar with each message; a page
   loaded while the run is running follows it. "Stop" is sent in the background so the stream stays open and
   shows the end. When the search is done, the "Update" link becomes "Show the result" and takes focus.
   Without JavaScript the forms post normally and "Update" reloads the page. Texts come from the page. */
(function () {
  "use strict";
  var section = document.getElementById("matching");
  if (!section || !window.EventSource) { return; }
  var panel = document.getElementById("progress-panel");
  var bar = document.getElementById("progress-bar");
  var text = document.getElementById("progress-text");
  var startForm = document.getElementById("start-form");
  var stopForm = document.getElementById("stop-form");
  var link = document.getElementById("refresh-link");
  var source = null;

  function message(name, percent) {
    var t = section.dataset[name] || "";
    return t.split("%(percent)s").join(String(percent)).split("%%").join("%");
  }
  function show(data) {
    var percent = Math.round((data.fraction || 0) * 100);
    bar.value = percent;
    bar.textContent = percent + " %";
    var words = data.done ? message("msgDone", percent) : message("msgProgress", percent);
    if (data.closeness !== null && data.closeness !== undefined) {
      words += " " + message("msgClose", data.closeness);
    }
    text.textContent = words;
  }
  function finish() {
    if (source) { source.close(); source = null; }
    if (stopForm) { stopForm.hidden = true; }
    link.textContent = section.dataset.msgResult || link.textContent;
    link.focus();
  }
  function follow(url) {
    panel.hidden = false;
    section.hidden = false;
    source = new EventSource(url);
    source.addEventListener("progress", function (e) { show(JSON.parse(e.data)); });
    source.addEventListener("done", function (e) {
      show(JSON.parse(e.data));
      section.dataset.state = "done";
      finish();
    });
    source.addEventListener("problem", function (e) {
      text.textContent = JSON.parse(e.data).message;
      section.dataset.state = "problem";
      finish();
    });
    source.onerror = function () {
      if (source && source.readyState === EventSource.CLOSED) {
        text.textContent = section.dataset.msgLost;
        finish();
      }
    };
  }

  if (startForm) {
    startForm.addEventListener("submit", function (e) {
      e.preventDefault();
      startForm.hidden = true;
      follow(section.dataset.stream + "?starta=1&csrf_token=" + encodeURIComponent(startForm.dataset.csrf));
    });
  }
  if (stopForm) {
    stopForm.addEventListener("submit", function (e) {
      e.preventDefault();
      var button = stopForm.querySelector("button");
      button.disabled = true;
      fetch(stopForm.action, { method: "POST", credentials: "same-origin", body: new FormData(stopForm) })
        .then(function (resp) { if (!resp.ok) { button.disabled = false; } })
        .catch(function () { button.disabled = false; });
    });
  }
  if (section.dataset.running === "true") { follow(section.dataset.stream); }
})();
