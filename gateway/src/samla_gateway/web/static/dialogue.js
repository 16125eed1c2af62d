// "Dialog" on the phone: when the gateway's live stream says the open prompts changed, fetch the panel again
// (server-rendered, escaped) and swap in the prompts that are new, keeping the ones still open untouched so nothing
// a person is typing is lost. Without JavaScript the page still works: a reload shows the same panel.
(function () {
  "use strict";
  var region = document.querySelector("[data-live-url]");
  if (!region || !window.EventSource) { return; }
  var announce = region.querySelector("[data-announce]");
  var shown = openIds(region);

  function openIds(root) {
    return Array.prototype.map.call(root.querySelectorAll("[data-prompt-id]"), function (el) {
      return el.getAttribute("data-prompt-id");
    }).sort().join(" ");
  }

  function refresh() {
    fetch(region.getAttribute("data-panel-url"), { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (resp) { return resp.ok ? resp.text() : Promise.reject(resp.status); })
      .then(function (html) {
        var parsed = new DOMParser().parseFromString(html, "text/html").getElementById("oppna-fragor");
        var current = document.getElementById("oppna-fragor");
        if (!parsed || !current) { return; }
        var fresh = document.adoptNode(parsed);
        // Prompts still open keep their own nodes (focus and typing stay); new ones go in after the one before
        // them; whatever the fresh panel no longer has (closed prompts, the "none open" note) goes.
        var kept = [];
        var cursor = null;
        var added = false;
        Array.prototype.slice.call(fresh.children).forEach(function (child) {
          var id = child.getAttribute("data-prompt-id");
          var old = id ? current.querySelector('[data-prompt-id="' + CSS.escape(id) + '"]') : null;
          var node = old || child;
          if (!old) {
            if (cursor) { cursor.after(node); } else { current.prepend(node); }
            if (id) { added = true; }
          }
          kept.push(node);
          cursor = node;
        });
        Array.prototype.slice.call(current.children).forEach(function (child) {
          if (kept.indexOf(child) < 0) { child.remove(); }
        });
        shown = openIds(region);
        wirePoints(document);
        if (added && announce) { announce.textContent = region.getAttribute("data-new-text"); }
      })
      .catch(function () { /* the next change, or a reload, tries again */ });
  }

  var source = new EventSource(region.getAttribute("data-live-url"));
  source.addEventListener("prompts", function (event) {
    var data;
    try { data = JSON.parse(event.data); } catch (e) { return; }
    var ids = (data.open || []).map(function (p) { return String(p.id); }).sort().join(" ");
    if (ids !== shown) { refresh(); }
  });

  // Priority prompts: say how many points are left while people type.
  function wirePoints(root) {
    Array.prototype.forEach.call(root.querySelectorAll("fieldset.points"), function (set) {
      if (set.getAttribute("data-wired")) { return; }
      set.setAttribute("data-wired", "1");
      var total = parseInt(set.getAttribute("data-total"), 10) || 100;
      var out = set.querySelector(".points-left");
      var update = function () {
        var sum = 0;
        Array.prototype.forEach.call(set.querySelectorAll("input[type=number]"), function (input) {
          sum += parseInt(input.value, 10) || 0;
        });
        if (out) { out.textContent = out.getAttribute("data-label") + " " + (total - sum); }
      };
      set.addEventListener("input", update);
      update();
    });
  }
  wirePoints(document);
})();
