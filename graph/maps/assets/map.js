/* copkg offline map: draws the views embedded as JSON with vis-network.
 * Every text from the data goes into the page through textContent, never innerHTML. */
(function () {
  "use strict";
  var payload = JSON.parse(document.getElementById("copkg-data").textContent);
  var ui = payload.ui || {};
  var views = payload.views || [];
  var opts = payload.options || {};
  var state = { step: 0, physics: !!opts.physics, presentation: !!opts.presentation,
    network: null, nodes: null, edges: null, view: null, byId: {} };

  function t(key, values) {
    var text = Object.prototype.hasOwnProperty.call(ui, key) ? ui[key] : key;
    if (values) {
      Object.keys(values).forEach(function (name) {
        text = text.split("{" + name + "}").join(String(values[name]));
      });
    }
    return text;
  }
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f\u064b-\u065f\u0670\u0640]/g, "")
      .toLowerCase();
  }
  function button(text, onClick, pressed) {
    var b = el("button", text);
    b.type = "button";
    if (pressed !== undefined) { b.setAttribute("aria-pressed", pressed ? "true" : "false"); }
    b.addEventListener("click", onClick);
    return b;
  }

  function tooltip(lines) {
    var box = el("div");
    lines.forEach(function (line, i) {
      if (line) { box.appendChild(el(i === 0 ? "strong" : "div", line)); }
    });
    return box;
  }

  function fontSize() { return state.presentation ? 22 : 14; }

  function visNodes(view) {
    return view.nodes.map(function (n) {
      var where = [n.kind, n.country].filter(Boolean).join(" · ");
      return {
        id: n.i, x: n.x, y: n.y, size: n.s, label: n.sl ? n.l : undefined,
        color: { background: n.c, border: "#333333",
          highlight: { background: n.c, border: "#000000" } },
        title: tooltip([n.l, where, n.o]),
        font: { size: fontSize() }
      };
    });
  }
  function visEdges(view) {
    return view.edges.map(function (e, i) {
      return { id: i, from: e.f, to: e.t, width: e.w,
        title: tooltip([view.nodes[e.f].l + " — " + view.nodes[e.t].l,
          e.ti.map(function (p) { return p[0] + ": " + p[1]; }).join(" · ")]) };
    });
  }

  function options(view) {
    var big = view.nodes.length > 1000;
    return {
      autoResize: true,
      layout: { improvedLayout: false, randomSeed: 42 },
      physics: { enabled: state.physics, solver: "forceAtlas2Based", stabilization: false },
      interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: big,
        hideEdgesOnZoom: big, keyboard: false },
      nodes: { shape: "dot", borderWidth: 1,
        font: { face: getComputedStyle(document.body).fontFamily, size: fontSize(),
          color: "#111111", strokeWidth: state.presentation ? 6 : 3, strokeColor: "#ffffff" } },
      edges: { smooth: false, selectionWidth: 2,
        color: { color: state.presentation ? "rgba(40,40,40,0.55)" : "rgba(110,110,110,0.35)",
          highlight: "#111111", hover: "#333333" } }
    };
  }

  function renderTitle(view) {
    var box = document.getElementById("copkg-title");
    clear(box);
    if (payload.story && payload.story.title) { box.appendChild(el("p", payload.story.title)); }
    box.appendChild(el("h1", view.title));
    if (view.illustrative) {
      var badge = el("span", t("map.illustrative"), "copkg-badge");
      badge.title = t("map.illustrative_note");
      box.appendChild(badge);
    }
    if (view.caption) { box.appendChild(el("p", view.caption, "copkg-caption")); }
    view.notes.forEach(function (line) { box.appendChild(el("p", line)); });
  }

  function renderLegend(view) {
    var box = document.getElementById("copkg-legend");
    clear(box);
    box.appendChild(el("h2", t("map.legend")));
    box.appendChild(el("p", view.colorBy, "copkg-count"));
    var list = el("ul");
    view.legend.forEach(function (entry) {
      var item = el("li");
      var swatch = el("span", null, "copkg-swatch");
      swatch.style.backgroundColor = entry.color;
      item.appendChild(swatch);
      item.appendChild(el("span", entry.label));
      item.appendChild(el("span", "(" + entry.count + ")", "copkg-count"));
      list.appendChild(item);
    });
    box.appendChild(list);
    box.appendChild(el("p", view.sizeBy, "copkg-count"));
  }

  function panelShell(title) {
    var panel = document.getElementById("copkg-panel");
    clear(panel);
    panel.hidden = false;
    var head = el("div", null, "copkg-panel-head");
    head.appendChild(el("h2", title));
    head.appendChild(button(t("map.close"), function () {
      panel.hidden = true;
      if (state.network) { state.network.unselectAll(); }
    }));
    panel.appendChild(head);
    return panel;
  }
  function facts(panel, rows) {
    var dl = el("dl");
    rows.forEach(function (row) {
      if (row[1] === undefined || row[1] === null || row[1] === "" ||
          (Array.isArray(row[1]) && !row[1].length)) { return; }
      dl.appendChild(el("dt", row[0]));
      dl.appendChild(el("dd", Array.isArray(row[1]) ? row[1].join(", ") : row[1]));
    });
    panel.appendChild(dl);
  }
  function evidenceList(panel, items, more) {
    panel.appendChild(el("h3", t("map.evidence")));
    if (!items.length) { panel.appendChild(el("p", t("map.no_evidence"))); return; }
    var list = el("ul");
    items.forEach(function (ev) {
      var text = ev[1] + (ev[2] ? " (" + ev[2] + ")" : "");
      list.appendChild(el("li", (ev[0] ? ev[0] + " · " : "") + text));
    });
    panel.appendChild(list);
    if (more > 0) { panel.appendChild(el("p", t("map.more", { n: more }), "copkg-count")); }
  }

  function showNode(id) {
    var view = state.view;
    var n = view.nodes[id];
    if (!n) { return; }
    var panel = panelShell(n.l);
    if (n.il) { panel.appendChild(el("span", t("map.illustrative"), "copkg-badge")); }
    facts(panel, [[t("map.kind"), n.kind], [t("map.type"), n.type], [t("map.country"), n.country],
      [t("map.organization"), n.o], [t("map.communities"), n.cm], [t("map.identifier"), n.id]]
      .concat(n.m));
    var edgeIds = state.network ? state.network.getConnectedEdges(id) : [];
    var links = edgeIds.map(function (eid) { return view.edges[eid]; })
      .sort(function (a, b) { return b.wt - a.wt; });
    if (links.length) {
      panel.appendChild(el("h3", t("map.neighbours") + " (" + links.length + ")"));
      var list = el("ul");
      links.slice(0, 20).forEach(function (e) {
        var other = e.f === id ? e.t : e.f;
        var item = el("li");
        item.appendChild(button(view.nodes[other].l, function () { select(other); }));
        item.lastChild.className = "copkg-link";
        list.appendChild(item);
      });
      panel.appendChild(list);
      if (links.length > 20) {
        panel.appendChild(el("p", t("map.more", { n: links.length - 20 }), "copkg-count"));
      }
    }
    var seen = {};
    var items = [];
    var more = 0;
    links.forEach(function (e) {
      more += e.more;
      e.ev.forEach(function (ev) {
        var key = ev.join("\u0000");
        if (seen[key]) { return; }
        seen[key] = true;
        if (items.length < 25) { items.push(ev); } else { more += 1; }
      });
    });
    evidenceList(panel, items, more);
  }

  function showEdge(eid) {
    var view = state.view;
    var e = view.edges[eid];
    if (!e) { return; }
    var panel = panelShell(view.nodes[e.f].l + " — " + view.nodes[e.t].l);
    facts(panel, [[t("map.weight"), e.wl]].concat(e.ti));
    evidenceList(panel, e.ev, e.more);
  }

  function select(id) {
    if (!state.network) { return; }
    state.network.selectNodes([id]);
    state.network.focus(id, { scale: Math.max(state.network.getScale(), 0.9), animation: false });
    showNode(id);
  }

  function renderTools() {
    var box = document.getElementById("copkg-tools");
    clear(box);
    var input = el("input");
    input.type = "search";
    input.id = "copkg-search";
    input.placeholder = t("map.search_placeholder");
    input.setAttribute("aria-label", t("map.search"));
    var status = el("span", "", "copkg-count");
    status.id = "copkg-status";
    var results = el("ul");
    results.id = "copkg-results";
    function search() {
      clear(results);
      var q = fold(input.value.trim());
      if (!q) { status.textContent = ""; return []; }
      var hits = state.view.nodes.filter(function (n) { return n.f.indexOf(q) >= 0; });
      status.textContent = hits.length ? t("map.search_count", { n: hits.length })
        : t("map.search_none");
      hits.slice(0, 8).forEach(function (n) {
        var item = el("li");
        item.appendChild(button(n.l, function () { select(n.i); }));
        results.appendChild(item);
      });
      return hits;
    }
    input.addEventListener("input", search);
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { var hits = search(); if (hits.length) { select(hits[0].i); } }
    });
    box.appendChild(input);
    var physics = button(state.physics ? t("map.physics_off") : t("map.physics_on"), function () {
      state.physics = !state.physics;
      physics.textContent = state.physics ? t("map.physics_off") : t("map.physics_on");
      physics.setAttribute("aria-pressed", state.physics ? "true" : "false");
      state.network.setOptions({ physics: { enabled: state.physics } });
    }, state.physics);
    physics.id = "copkg-physics";
    var pres = button(t("map.presentation"), function () {
      state.presentation = !state.presentation;
      pres.setAttribute("aria-pressed", state.presentation ? "true" : "false");
      document.body.classList.toggle("copkg-presentation", state.presentation);
      state.network.setOptions(options(state.view));
      state.nodes.update(state.view.nodes.map(function (n) {
        return { id: n.i, font: { size: fontSize() } };
      }));
    }, state.presentation);
    pres.id = "copkg-presentation";
    var fit = button(t("map.fit"), function () {
      state.network.fit({ animation: false, maxZoomLevel: 1.5 });
    });
    box.appendChild(physics);
    box.appendChild(pres);
    box.appendChild(fit);
    // Full screen for projectors; absent where the page may not use it (e.g. a sandboxed frame).
    if (document.fullscreenEnabled) {
      var full = button(document.fullscreenElement ? t("present.exit_fullscreen")
        : t("present.fullscreen"), function () {
        if (document.fullscreenElement) { document.exitFullscreen(); }
        else { document.documentElement.requestFullscreen(); }
      }, !!document.fullscreenElement);
      full.id = "copkg-fullscreen";
      box.appendChild(full);
    }
    box.appendChild(status);
    box.appendChild(results);
  }

  function renderStoryNav() {
    var nav = document.getElementById("copkg-story");
    if (views.length < 2) { nav.hidden = true; return; }
    nav.hidden = false;
    clear(nav);
    var prev = button(t("story.previous"), function () { go(state.step - 1); });
    var next = button(t("story.next"), function () { go(state.step + 1); });
    prev.id = "copkg-prev";
    next.id = "copkg-next";
    prev.disabled = state.step === 0;
    next.disabled = state.step === views.length - 1;
    var where = el("span", t("story.step", { n: state.step + 1, total: views.length }));
    where.id = "copkg-step";
    where.title = t("story.keys");
    nav.appendChild(prev);
    nav.appendChild(where);
    nav.appendChild(next);
  }

  function go(step) {
    if (step < 0 || step >= views.length) { return; }
    state.step = step;
    var view = views[step];
    state.view = view;
    view.nodes.forEach(function (n) { n.f = fold(n.l); });
    state.nodes = new vis.DataSet(visNodes(view));
    state.edges = new vis.DataSet(visEdges(view));
    var container = document.getElementById("copkg-map");
    if (!state.network) {
      state.network = new vis.Network(container, { nodes: state.nodes, edges: state.edges },
        options(view));
      state.network.on("click", function (params) {
        if (params.nodes.length) { showNode(params.nodes[0]); }
        else if (params.edges.length) { showEdge(params.edges[0]); }
      });
      state.network.once("afterDrawing", function () {
        window.copkgFirstDraw = performance.now();
      });
    } else {
      state.network.setOptions(options(view));
      state.network.setData({ nodes: state.nodes, edges: state.edges });
    }
    state.network.fit({ animation: false, maxZoomLevel: 1.5 });
    window.copkgNetwork = state.network;
    window.copkgNodes = state.nodes;
    window.copkgEdges = state.edges;
    document.getElementById("copkg-panel").hidden = true;
    container.setAttribute("aria-label", view.title);
    renderTitle(view);
    renderLegend(view);
    renderTools();
    renderStoryNav();
    if (view.focus !== null && view.focus !== undefined) { select(view.focus); }
  }

  document.addEventListener("keydown", function (ev) {
    if (views.length < 2 || (ev.target && ev.target.tagName === "INPUT")) { return; }
    var rtl = document.documentElement.dir === "rtl";
    var forward = ev.key === "PageDown" || ev.key === " " ||
      ev.key === (rtl ? "ArrowLeft" : "ArrowRight");
    var back = ev.key === "PageUp" || ev.key === (rtl ? "ArrowRight" : "ArrowLeft");
    if (forward) { ev.preventDefault(); go(state.step + 1); }
    else if (back) { ev.preventDefault(); go(state.step - 1); }
  });

  document.addEventListener("fullscreenchange", function () {
    var full = document.getElementById("copkg-fullscreen");
    if (!full) { return; }
    var on = !!document.fullscreenElement;
    full.textContent = on ? t("present.exit_fullscreen") : t("present.fullscreen");
    full.setAttribute("aria-pressed", on ? "true" : "false");
  });

  window.copkgShowNode = select;
  window.copkgGo = go;
  document.body.classList.toggle("copkg-presentation", state.presentation);
  var start = payload.story && payload.story.start ? payload.story.start : 0;
  if (views.length) { go(Math.min(Math.max(start, 0), views.length - 1)); }
}());
