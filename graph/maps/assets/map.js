/* copkg offline map: draws the views embedded as JSON with vis-network.
 * Every text from the data goes into the page through textContent, never innerHTML. */
(function () {
  "use strict";
  var payload = JSON.parse(document.getElementById("copkg-data").textContent);
  var ui = payload.ui || {};
  var views = payload.views || [];
  var opts = payload.options || {};
  var state = { step: 0, physics: !!opts.physics, presentation: !!opts.presentation,
    network: null, nodes: null, edges: null, view: null, byId: {},
    fitScale: 1, hover: null, picked: {}, shown: [], sizes: [], labelTimer: null,
    collapsed: { title: false, legend: false } };

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

  /* Labels: the largest nodes (n.sl) and, once the zoom makes room, more of them (at k
   * times the opening zoom, the k² × labelTop largest), each only where it overlaps no larger
   * node's label (as Gephi's label adjust); the hovered and the selected node always, the
   * selected one's strongest ties first where there is room. Sizes are in screen pixels (n.fs, larger in presentation mode),
   * kept within a range whatever the zoom, so names stay readable and never fill the screen. */
  function labelPx(n, scale) {
    var px = state.presentation ? n.fs * 1.45 : n.fs;
    var zoom = Math.sqrt(scale / (state.fitScale || 1));
    return px * Math.min(Math.max(zoom, 0.85), 1.5);
  }
  function labelUpdates(scale) {
    var view = state.view;
    var net = state.network;
    var zoom = scale / (state.fitScale || 1);
    // Candidates: the labelTop largest (more when zoomed in), then the next as many again
    // where the largest collide; at most labelTop + 10 names per screenful.
    var top = view.labelTop || 30;
    var room = top * Math.max(zoom * zoom, 1);
    var quota = 2 * room;
    var budget = room + 10;
    var pos = net.getPositions();
    var placed = [];
    var want = {};
    function fits(n, force) {
      var p = pos[n.i];
      if (!p) { return false; }
      var at = net.canvasToDOM(p);
      var px = labelPx(n, scale);
      var w = String(n.l).length * px * 0.56 + 6;
      var top = at.y + n.s * scale + 1;
      var box = { l: at.x - w / 2, r: at.x + w / 2, t: top, b: top + px * 1.25 };
      var clash = placed.some(function (o) {
        return box.l < o.r && box.r > o.l && box.t < o.b && box.b > o.t;
      });
      if (clash && !force) { return false; }
      placed.push(box);
      return true;
    }
    var ranked = view.ranked;
    if (!ranked) {
      ranked = view.ranked = view.nodes.slice().sort(function (a, b) { return a.r - b.r; });
    }
    ranked.forEach(function (n) {
      if (state.hover === n.i || state.pickedId === n.i) { want[n.i] = fits(n, true); }
    });
    ranked.forEach(function (n) {  // the selected node's strongest ties, where there is room
      if (!want[n.i] && state.picked[n.i]) { want[n.i] = fits(n, false); }
    });
    var count = 0;
    ranked.forEach(function (n) {
      if (want[n.i] || count >= budget || !(n.sl || n.r < quota)) { return; }
      want[n.i] = fits(n, false);
      if (want[n.i]) { count += 1; }
    });
    var out = [];
    view.nodes.forEach(function (n) {
      var on = !!want[n.i];
      var size = on ? Math.round(labelPx(n, scale) / scale * 10) / 10 : 0;
      if (on === state.shown[n.i] && (!on || size === state.sizes[n.i])) { return; }
      state.shown[n.i] = on;
      state.sizes[n.i] = size;
      out.push(on ? { id: n.i, label: n.l, font: { size: size } } : { id: n.i, label: "" });
    });
    return out;
  }
  function refreshLabels() {
    if (!state.network || !state.nodes) { return; }
    var changes = labelUpdates(state.network.getScale());
    if (changes.length) { state.nodes.update(changes); }
  }
  function refreshLabelsSoon() {
    if (state.labelTimer) { clearTimeout(state.labelTimer); }
    state.labelTimer = setTimeout(function () { state.labelTimer = null; refreshLabels(); }, 90);
  }
  function pick(id) {
    state.picked = {};
    state.pickedId = id;
    if (id !== null && id !== undefined && state.network) {
      state.picked[id] = true;
      var view = state.view;
      state.network.getConnectedEdges(id).map(function (eid) { return view.edges[eid]; })
        .filter(Boolean).sort(function (a, b) { return b.wt - a.wt; }).slice(0, 40)
        .forEach(function (e) { state.picked[e.f === id ? e.t : e.f] = true; });
    }
    refreshLabels();
  }

  function visNodes(view) {
    state.shown = [];
    state.sizes = [];
    return view.nodes.map(function (n) {
      var where = [n.kind, n.country].filter(Boolean).join(" · ");
      return {
        id: n.i, x: n.x, y: n.y, size: n.s, label: "",
        color: { background: n.c, border: "#333333",
          highlight: { background: n.c, border: "#000000" } },
        title: tooltip([n.l, where, n.o]),
        font: { size: fontSize() }
      };
    });
  }
  function visEdges(view) {
    var thin = Math.sqrt(Math.min(1, Math.sqrt(1500 / Math.max(view.edges.length, 1))));
    return view.edges.map(function (e, i) {
      return { id: i, from: e.f, to: e.t, width: Math.max(0.6, e.w * thin),
        title: tooltip([view.nodes[e.f].l + " — " + view.nodes[e.t].l,
          e.ti.map(function (p) { return p[0] + ": " + p[1]; }).join(" · ")]) };
    });
  }

  function options(view) {
    var big = view.nodes.length > 1000;
    // Many links: fainter, so the nodes and names stay readable through them.
    var faint = Math.min(1, Math.sqrt(1500 / Math.max(view.edges.length, 1)));
    var alpha = Math.max(0.08, (state.presentation ? 0.55 : 0.4) * faint).toFixed(2);
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
        color: { color: (state.presentation ? "rgba(40,40,40," : "rgba(110,110,110,") + alpha + ")",
          highlight: "#111111", hover: "#333333" } }
    };
  }

  function toggle(which, box) {
    var open = !state.collapsed[which];
    var b = button(open ? "\u2212" : "+", function () {
      state.collapsed[which] = !state.collapsed[which];
      if (which === "title") { renderTitle(state.view); } else { renderLegend(state.view); }
      fitFree();
    });
    b.className = "copkg-toggle";
    b.id = "copkg-" + which + "-toggle";
    b.title = t(open ? "map.collapse" : "map.expand");
    b.setAttribute("aria-label", b.title);
    b.setAttribute("aria-expanded", open ? "true" : "false");
    box.appendChild(b);
    box.classList.toggle("copkg-collapsed", !open);
  }

  function renderTitle(view) {
    var box = document.getElementById("copkg-title");
    clear(box);
    toggle("title", box);
    if (payload.story && payload.story.title) { box.appendChild(el("p", payload.story.title)); }
    box.appendChild(el("h1", view.title));
    if (view.illustrative) {
      var badge = el("span", t("map.illustrative"), "copkg-badge");
      badge.title = t("map.illustrative_note");
      box.appendChild(badge);
    }
    if (state.collapsed.title) { return; }
    if (view.caption) { box.appendChild(el("p", view.caption, "copkg-caption")); }
    view.notes.forEach(function (line) { box.appendChild(el("p", line)); });
  }

  function renderLegend(view) {
    var box = document.getElementById("copkg-legend");
    clear(box);
    toggle("legend", box);
    if (state.collapsed.legend) {
      // A compact strip: one swatch per colour, its name on hover.
      var strip = el("div", null, "copkg-strip");
      strip.setAttribute("aria-label", t("map.legend") + ": " + view.colorBy);
      view.legend.forEach(function (entry) {
        var swatch = el("span", null, "copkg-swatch");
        swatch.style.backgroundColor = entry.color;
        swatch.title = entry.label + " (" + entry.count + ")";
        strip.appendChild(swatch);
      });
      box.appendChild(strip);
      return;
    }
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

  /* Fit the network into the largest free rectangle of the window: the part no panel (title,
   * legend, tools, story buttons) covers, so the boxes never hide the drawing. Mirrors itself
   * in RTL because it reads where the panels actually are. */
  function fitFree() {
    var net = state.network;
    if (!net || !state.view || !state.view.nodes.length) { return; }
    var pos = net.getPositions();
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    state.view.nodes.forEach(function (n) {
      var p = pos[n.i] || n;
      x0 = Math.min(x0, p.x - n.s); x1 = Math.max(x1, p.x + n.s);
      y0 = Math.min(y0, p.y - n.s); y1 = Math.max(y1, p.y + n.s);
    });
    var bw = Math.max(x1 - x0, 1), bh = Math.max(y1 - y0, 1);
    var frame = document.getElementById("copkg-map").getBoundingClientRect();
    var W = frame.width, H = frame.height;
    if (!W || !H) { net.fit({ animation: false }); return; }
    var pad = 8;
    var boxes = ["copkg-title", "copkg-legend", "copkg-tools", "copkg-story"]
      .map(function (id) { return document.getElementById(id); })
      .filter(function (b) { return b && !b.hidden && b.offsetWidth; })
      .map(function (b) {
        var r = b.getBoundingClientRect();
        return { l: r.left - frame.left - pad, t: r.top - frame.top - pad,
          r: r.right - frame.left + pad, b: r.bottom - frame.top + pad };
      });
    var xs = [0, W], ys = [0, H];
    boxes.forEach(function (b) {
      [b.l, b.r].forEach(function (v) { if (v > 0 && v < W) { xs.push(v); } });
      [b.t, b.b].forEach(function (v) { if (v > 0 && v < H) { ys.push(v); } });
    });
    var margin = 24;  // room for the labels of the outermost nodes
    var best = { scale: 0, area: 0, rect: { l: 0, t: 0, r: W, b: H } };
    xs.forEach(function (l) { xs.forEach(function (r) {
      if (r - l < 60) { return; }
      ys.forEach(function (top) { ys.forEach(function (bottom) {
        if (bottom - top < 60) { return; }
        var free = boxes.every(function (b) {
          return b.r <= l || b.l >= r || b.b <= top || b.t >= bottom;
        });
        if (!free) { return; }
        var scale = Math.min((r - l - 2 * margin) / bw, (bottom - top - 2 * margin) / bh);
        var area = (r - l) * (bottom - top);
        if (scale > best.scale * 1.001 || (scale >= best.scale * 0.999 && area > best.area)) {
          best = { scale: scale, area: area, rect: { l: l, t: top, r: r, b: bottom } };
        }
      }); });
    }); });
    var full = Math.min((W - 2 * margin) / bw, (H - 2 * margin) / bh);
    if (best.scale < full * 0.45) {  // panels cover most of a small frame: use it all
      best = { scale: full, rect: { l: 0, t: 0, r: W, b: H } };
    }
    var scale = Math.max(Math.min(best.scale, 1.5), 0.02);
    var cx = (best.rect.l + best.rect.r) / 2, cy = (best.rect.t + best.rect.b) / 2;
    net.moveTo({ position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 }, scale: scale,
      offset: { x: cx - W / 2, y: cy - H / 2 }, animation: false });
    state.fitScale = scale;
    refreshLabels();
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
      pick(null);
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

  function select(id, stay) {
    if (!state.network) { return; }
    state.network.selectNodes([id]);
    if (!stay) {
      state.network.focus(id, { scale: Math.max(state.network.getScale(), 0.9),
        animation: false });
    }
    pick(id);
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
      state.sizes = [];
      refreshLabels();
    }, state.presentation);
    pres.id = "copkg-presentation";
    var fit = button(t("map.fit"), fitFree);
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
        if (params.nodes.length) { pick(params.nodes[0]); showNode(params.nodes[0]); }
        else if (params.edges.length) { pick(null); showEdge(params.edges[0]); }
        else { pick(null); }
      });
      state.network.on("hoverNode", function (params) { state.hover = params.node; refreshLabels(); });
      state.network.on("blurNode", function () { state.hover = null; refreshLabels(); });
      state.network.on("zoom", refreshLabelsSoon);
      state.network.on("dragEnd", refreshLabelsSoon);
      state.network.once("afterDrawing", function () {
        window.copkgFirstDraw = performance.now();
      });
    } else {
      state.network.setOptions(options(view));
      state.network.setData({ nodes: state.nodes, edges: state.edges });
    }
    state.picked = {};
    state.pickedId = null;
    state.hover = null;
    window.copkgNetwork = state.network;
    window.copkgNodes = state.nodes;
    window.copkgEdges = state.edges;
    document.getElementById("copkg-panel").hidden = true;
    container.setAttribute("aria-label", view.title);
    renderTitle(view);
    renderLegend(view);
    renderTools();
    renderStoryNav();
    fitFree();
    if (view.focus !== null && view.focus !== undefined) { select(view.focus, true); }
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
  window.copkgFit = fitFree;
  window.copkgGo = go;
  document.body.classList.toggle("copkg-presentation", state.presentation);
  var start = payload.story && payload.story.start ? payload.story.start : 0;
  if (views.length) { go(Math.min(Math.max(start, 0), views.length - 1)); }
}());
