// The big screen: follow the gateway's live board stream (`event: board`, data = feedback's board JSON) and
// redraw the shown prompt and the question wall. Everything people wrote goes in through textContent, never as
// markup, so an answer such as <script>…</script> is shown as the text it is. The same markup as the server's
// first render (templates/dialogue/_board.html), so the page looks the same with or without this script.
(function () {
  "use strict";
  var main = document.querySelector("main[data-live-url]");
  if (!main) { return; }
  var texts = JSON.parse(main.getAttribute("data-texts") || "{}");
  var lang = main.getAttribute("data-lang") || "sv";
  var promptsBox = document.getElementById("board-prompts");
  var kindLabels = JSON.parse(promptsBox.getAttribute("data-kind-labels") || "{}");
  var questionsBox = document.getElementById("board-questions");
  var status = main.querySelector("[data-live-status]");
  var toggle = main.querySelector("[data-toggle-results]");
  var hidden = main.getAttribute("data-hidden") === "true";
  var SVG = "http://www.w3.org/2000/svg";
  var WALL = 8;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function shown(board) {
    var entries = board.prompts || [];
    var open = entries.filter(function (e) { return e.prompt.status === "open"; });
    if (open.length) { return open; }
    var closed = entries.filter(function (e) { return e.prompt.status === "closed" && e.prompt.closed_at; });
    closed.sort(function (a, b) { return a.prompt.closed_at < b.prompt.closed_at ? -1 : 1; });
    return closed.slice(-1);
  }

  function bars(r) {
    var s = r.summary || {};
    var rows = [];
    if (r.kind === "scale") {
      var labels = s.labels || {};
      Object.keys(s.distribution || {}).forEach(function (v) {
        rows.push({ label: (v + " " + (labels[v] || "")).trim(), value: s.distribution[v] });
      });
    } else {
      (s.options || []).forEach(function (o) {
        rows.push({ label: o.label, value: (r.kind === "ranking" || r.kind === "priority") ? o.points : o.count });
      });
    }
    var top = Math.max.apply(null, rows.map(function (x) { return x.value; }).concat([1]));
    var list = el("ul", "bars");
    rows.forEach(function (row) {
      var li = el("li");
      li.appendChild(el("span", "bar-label", row.label));
      var svg = document.createElementNS(SVG, "svg");
      svg.setAttribute("class", "bar");
      svg.setAttribute("viewBox", "0 0 100 10");
      svg.setAttribute("preserveAspectRatio", "none");
      svg.setAttribute("aria-hidden", "true");
      svg.setAttribute("focusable", "false");
      var rect = document.createElementNS(SVG, "rect");
      rect.setAttribute("width", String(Math.round(100 * row.value / top)));
      rect.setAttribute("height", "10");
      svg.appendChild(rect);
      li.appendChild(svg);
      var unit = (r.kind === "ranking" || r.kind === "priority") ? " " + texts.points : "";
      li.appendChild(el("span", "bar-value", row.value + unit));
      list.appendChild(li);
    });
    return list;
  }

  function cloud(r) {
    var terms = (r.summary || {}).terms || [];
    var top = Math.max.apply(null, terms.map(function (t) { return t.count; }).concat([1]));
    var list = el("ul", "cloud");
    terms.forEach(function (t) { list.appendChild(el("li", "size-" + (1 + Math.round(5 * t.count / top)), t.term)); });
    return list;
  }

  function result(r) {
    var box = el("div", "board-result");
    if (r.suppressed) {
      box.appendChild(el("p", "suppressed", r.notice ? r.notice[lang] : ""));
    } else if (["choice", "multi_choice", "scale", "ranking", "priority"].indexOf(r.kind) >= 0) {
      box.appendChild(bars(r));
      if (r.kind === "scale" && r.summary && r.summary.mean !== null && r.summary.mean !== undefined) {
        box.appendChild(el("p", "board-mean", texts.mean + ": " + r.summary.mean));
      }
    } else if (r.kind === "word_cloud") {
      box.appendChild(cloud(r));
    } else if (r.kind === "open_text") {
      var list = el("ul", "board-texts");
      (r.texts || []).slice(0, 12).forEach(function (t) { list.appendChild(el("li", null, t.text)); });
      box.appendChild(list);
    }
    return box;
  }

  function prompt(entry) {
    var p = entry.prompt, r = entry.results;
    var article = el("article", "board-prompt");
    article.setAttribute("data-prompt-id", p.id);
    var kicker = el("p", "kicker", (kindLabels[p.kind] || p.kind) + " · ");
    kicker.appendChild(el("span", "board-count", r.respondents + " " + texts.answers));
    if (p.status === "closed") { kicker.appendChild(document.createTextNode(" · " + texts.closed)); }
    article.appendChild(kicker);
    article.appendChild(el("h3", null, p.title));
    var box = result(r);
    box.hidden = hidden;
    article.appendChild(box);
    var note = el("p", "results-hidden-note", texts.hidden);
    note.hidden = !hidden;
    article.appendChild(note);
    return article;
  }

  function draw(board) {
    var entries = shown(board);
    var prompts = document.createDocumentFragment();
    entries.forEach(function (entry) { prompts.appendChild(prompt(entry)); });
    if (!entries.length) { prompts.appendChild(el("p", "waiting", texts.none)); }
    promptsBox.replaceChildren(prompts);
    var wall = document.createDocumentFragment();
    (board.questions || []).slice(0, WALL).forEach(function (q) {
      var li = el("li");
      li.appendChild(el("span", "board-votes", q.votes + " " + texts.votes));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", "board-question", q.text || ""));
      wall.appendChild(li);
    });
    if (!(board.questions || []).length) { wall.appendChild(el("li", "waiting", texts.no_questions)); }
    questionsBox.replaceChildren(wall);
  }

  function applyHidden() {
    Array.prototype.forEach.call(promptsBox.querySelectorAll(".board-result"), function (n) { n.hidden = hidden; });
    Array.prototype.forEach.call(promptsBox.querySelectorAll(".results-hidden-note"), function (n) {
      n.hidden = !hidden;
    });
    if (toggle) {
      toggle.textContent = hidden ? texts.show : texts.hide;
      toggle.setAttribute("href", hidden ? "?resultat=" : "?resultat=dolda");
    }
    history.replaceState(null, "", hidden ? "?resultat=dolda" : location.pathname);
  }

  if (toggle) {
    toggle.addEventListener("click", function (event) {
      event.preventDefault();
      hidden = !hidden;
      applyHidden();
    });
  }

  if (!window.EventSource) { return; }
  var source = new EventSource(main.getAttribute("data-live-url"));
  source.addEventListener("board", function (event) {
    try { draw(JSON.parse(event.data)); } catch (e) { return; }
    main.setAttribute("data-board-updated", String(Date.now()));
    if (status) { status.textContent = ""; }
  });
  source.addEventListener("error", function () {
    if (status) { status.textContent = texts.reconnecting; }
  });
})();
