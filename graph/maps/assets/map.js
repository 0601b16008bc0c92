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
    fitScale: 1, hover: null, picked: {}, pickedId: null, labels: [],
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

  function basePx() {
    return parseFloat(getComputedStyle(document.body).fontSize) || 16;
  }

  /* Labels ("which names"): drawn by this page on the canvas after vis-network draws the
   * nodes, in screen pixels whatever the zoom. Rule (the same as graph/maps/labels.py for
   * images): nodes in order (the focus, the selected node, the hovered one, the selected
   * node's strongest ties, then the others largest first); each label tries below, above,
   * right and left of its node (then of its group, view.reach: a country's actors) and
   * takes the first place that stays inside the map, clear of the panels and of every label
   * already placed, preferring a place that covers no other node; a label that fits nowhere is not drawn. The focus is always drawn. Zooming in
   * makes room, so more names appear. */
  var measureCache = {};
  function textWidth(ctx, text, font) {
    var key = font + "\u0000" + text;
    if (!(key in measureCache)) {  // the shaped text's advance or its ink, whichever is wider
      ctx.font = font;
      var m = ctx.measureText(text);
      measureCache[key] = Math.max(m.width,
        (m.actualBoundingBoxLeft || 0) + (m.actualBoundingBoxRight || 0));
    }
    return measureCache[key];
  }
  function halo(px) { return Math.max(2.5, px * 0.14) + 1; }  // white halo + 1 px, each side
  function overlaps(a, b) { return a.l < b.r && a.r > b.l && a.t < b.b && a.b > b.t; }
  function Grid(size) { this.size = size; this.cells = {}; }
  Grid.prototype.keys = function (box) {
    var out = [], s = this.size;
    for (var x = Math.floor(box.l / s); x <= Math.floor(box.r / s); x++) {
      for (var y = Math.floor(box.t / s); y <= Math.floor(box.b / s); y++) { out.push(x + ":" + y); }
    }
    return out;
  };
  Grid.prototype.add = function (box) {
    var cells = this.cells;
    this.keys(box).forEach(function (k) { (cells[k] = cells[k] || []).push(box); });
  };
  Grid.prototype.hits = function (box, skip) {
    var cells = this.cells;
    return this.keys(box).some(function (k) {
      return (cells[k] || []).some(function (o) { return o !== skip && o.id !== skip && overlaps(box, o); });
    });
  };
  function panelRects() {
    var frame = document.getElementById("copkg-map").getBoundingClientRect();
    return ["copkg-title", "copkg-legend", "copkg-tools", "copkg-story", "copkg-panel"]
      .map(function (id) { return document.getElementById(id); })
      .filter(function (b) { return b && !b.hidden && b.offsetWidth; })
      .map(function (b) {
        var r = b.getBoundingClientRect();
        return { l: r.left - frame.left, t: r.top - frame.top, r: r.right - frame.left,
          b: r.bottom - frame.top };
      });
  }
  function labelOrder() {
    var view = state.view;
    var first = [];
    [view.focus, state.pickedId, state.hover].forEach(function (id) {
      if (id !== null && id !== undefined && view.nodes[id] && first.indexOf(id) < 0) { first.push(id); }
    });
    var ranked = view.ranked;
    if (!ranked) {
      ranked = view.ranked = view.nodes.slice().sort(function (a, b) { return a.r - b.r; })
        .map(function (n) { return n.i; });
    }
    var ties = ranked.filter(function (i) { return state.picked[i] && first.indexOf(i) < 0; });
    var rest = ranked.filter(function (i) { return first.indexOf(i) < 0 && !state.picked[i]; });
    return { forced: first, order: first.concat(ties, rest) };
  }
  function placeLabels(ctx) {
    var net = state.network, view = state.view;
    var frame = document.getElementById("copkg-map");
    var W = frame.clientWidth, H = frame.clientHeight;
    var scale = net.getScale();
    var base = basePx() * (state.presentation ? 1.15 : 1.0);
    var family = getComputedStyle(document.body).fontFamily;
    var pos = net.getPositions();
    var discs = new Grid(48);
    var at = {};
    view.nodes.forEach(function (n) {
      var p = pos[n.i];
      if (!p) { return; }
      var d = net.canvasToDOM(p);
      var r = n.s * scale;
      at[n.i] = { x: d.x, y: d.y, r: r };
      discs.add({ l: d.x - r, r: d.x + r, t: d.y - r, b: d.y + r, id: n.i });
    });
    var panels = panelRects();
    // An add-on's own annotations (network coordinates, view.view.clear): no name covers them.
    ((view.view && view.view.clear) || []).forEach(function (c) {
      var a = net.canvasToDOM({ x: c[0], y: c[1] }), b = net.canvasToDOM({ x: c[2], y: c[3] });
      panels.push({ l: a.x, t: a.y, r: b.x, b: b.y });
    });
    var placed = new Grid(64);
    var boxes = [];
    var order = labelOrder();
    order.order.forEach(function (i) {
      var n = view.nodes[i], p = at[i];
      if (!p || p.x < -p.r || p.y < -p.r || p.x > W + p.r || p.y > H + p.r) { return; }
      var forced = order.forced.indexOf(i) >= 0;
      var px = Math.round(base * n.fs * 10) / 10;
      var bold = forced && i === view.focus;
      var font = (bold ? "700 " : "400 ") + px + "px " + family;
      // the box holds the text as drawn (same canvas, font and direction) and its halo
      var w = textWidth(ctx, n.l, font) + 2 * halo(px), h = px * 1.25 + halo(px);
      var gap = 2 + px * 0.1;
      var spots = [[p.x - w / 2, p.y + p.r + gap], [p.x - w / 2, p.y - p.r - gap - h],
        [p.x + p.r + gap, p.y - h / 2], [p.x - p.r - gap - w, p.y - h / 2]];
      // a node with a group around it (a country's actors): then just outside the group, as
      // graph/maps/labels.py _outside (below/above slide sideways into the frame)
      var reach = ((n.view && n.view.reach) || 0) * scale;
      if (reach > 0) {
        reach = Math.max(reach, p.r);
        var d = (reach + gap) / Math.SQRT2, high = Math.max(0, W - w);
        var slide = function (left) { return Math.min(Math.max(left, 0), high); };
        spots = spots.concat([[slide(p.x - w / 2), p.y + reach + gap],
          [slide(p.x - w / 2), p.y - reach - gap - h], [p.x + reach + gap, p.y - h / 2],
          [p.x - reach - gap - w, p.y - h / 2], [p.x + d, p.y + d], [p.x - d - w, p.y + d],
          [p.x + d, p.y - d - h], [p.x - d - w, p.y - d - h],
          [slide(p.x - w / 2), p.y + reach + gap + h],
          [slide(p.x - w / 2), p.y - reach - gap - 2 * h]]);
      }
      var best = null, fallback = null;
      for (var k = 0; k < spots.length; k++) {
        var box = { l: spots[k][0], t: spots[k][1], r: spots[k][0] + w, b: spots[k][1] + h };
        var inside = box.l >= 0 && box.t >= 0 && box.r <= W && box.b <= H &&
          !panels.some(function (q) { return overlaps(box, q); });
        if (!inside && !forced) { continue; }
        if (placed.hits(box)) { continue; }
        if (!discs.hits(box, i)) { best = box; break; }
        if (!fallback) { fallback = box; }
      }
      // only a forced name or one of the ten largest nodes' (labels.COVERING) may cover a node
      best = best || (forced || n.r < 10 ? fallback : null);
      if (!best && forced) {
        best = { l: spots[0][0], t: spots[0][1], r: spots[0][0] + w, b: spots[0][1] + h };
      }
      if (!best) { return; }
      best.id = i; best.text = n.l; best.font = font; best.px = px;
      placed.add(best);
      boxes.push(best);
    });
    return boxes;
  }
  function drawLabels(ctx) {
    if (!state.network || !state.view) { return; }
    var canvas = ctx.canvas;
    var ratio = canvas.width / (canvas.clientWidth || canvas.width) || 1;
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    var focus = state.view.focus;
    if (focus !== null && focus !== undefined && state.view.nodes[focus]) {
      var p = state.network.getPositions([focus])[focus];
      if (p) {  // the focus: a black ring with a white gap around its disc
        var d = state.network.canvasToDOM(p);
        var r = state.view.nodes[focus].s * state.network.getScale();
        ctx.beginPath(); ctx.arc(d.x, d.y, r + 4, 0, 2 * Math.PI);
        ctx.lineWidth = 4; ctx.strokeStyle = "#ffffff"; ctx.stroke();
        ctx.beginPath(); ctx.arc(d.x, d.y, r + 8, 0, 2 * Math.PI);
        ctx.lineWidth = 4; ctx.strokeStyle = "#000000"; ctx.stroke();
      }
    }
    var boxes = placeLabels(ctx);
    ctx.textBaseline = "middle";
    ctx.textAlign = "center";
    ctx.lineJoin = "round";
    boxes.forEach(function (b) {
      ctx.font = b.font;
      ctx.lineWidth = 2 * halo(b.px) - 2;
      ctx.strokeStyle = "rgba(255,255,255,0.92)";
      ctx.fillStyle = "#111111";
      var x = (b.l + b.r) / 2, y = (b.t + b.b) / 2;
      ctx.strokeText(b.text, x, y);
      ctx.fillText(b.text, x, y);
    });
    ctx.restore();
    state.labels = boxes;
  }
  function refreshLabels() { if (state.network) { state.network.redraw(); } }
  function pick(id) {
    state.picked = {};
    state.pickedId = id;
    if (id !== null && id !== undefined && state.network) {
      var view = state.view;
      state.network.getConnectedEdges(id).map(function (eid) { return view.edges[eid]; })
        .filter(Boolean).sort(function (a, b) { return b.wt - a.wt; }).slice(0, 40)
        .forEach(function (e) { state.picked[e.f === id ? e.t : e.f] = true; });
    }
    refreshLabels();
  }

  function visNodes(view) {
    return view.nodes.map(function (n) {
      var where = [n.kind, n.country].filter(Boolean).join(" · ");
      return {
        id: n.i, x: n.x, y: n.y, size: n.s, label: undefined,
        borderWidth: n.ring ? 3 : 1,
        color: { background: n.c, border: n.ring ? "#111111" : "#333333",
          highlight: { background: n.c, border: "#000000" } },
        title: tooltip([n.l, where, n.o])
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
      nodes: { shape: "dot", borderWidth: 1 },
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
    view.notes.forEach(function (line, k) {
      var p = el("p", line);
      if (k === 0) { p.id = "copkg-counts"; }  // the counts line: a year slider rewrites it
      box.appendChild(p);
    });
  }

  function renderLegend(view) {
    var box = document.getElementById("copkg-legend");
    clear(box);
    toggle("legend", box);
    if (state.collapsed.legend) {
      // A compact strip: one swatch per colour, its name on hover.
      var strip = el("div", null, "copkg-strip");
      strip.setAttribute("aria-label", t("map.legend") + ": " + view.colorBy);
      view.legend.forEach(function (entry, k) {
        var swatch = el("span", null, "copkg-swatch");
        swatch.style.backgroundColor = entry.color;
        swatch.title = entry.label + " (" + entry.count + ")";
        swatch.dataset.k = String(k);  // a year slider recounts the entries (geo.js)
        swatch.hidden = entry.count === 0;
        strip.appendChild(swatch);
      });
      box.appendChild(strip);
      return;
    }
    box.appendChild(el("h2", t("map.legend")));
    box.appendChild(el("p", view.colorBy, "copkg-count"));
    var list = el("ul");
    view.legend.forEach(function (entry, k) {
      var item = el("li");
      item.dataset.k = String(k);  // a year slider recounts the entries (geo.js)
      item.hidden = entry.count === 0;  // no actor of this group drawn (yet)
      var swatch = el("span", null, "copkg-swatch");
      swatch.style.backgroundColor = entry.color;
      item.appendChild(swatch);
      var name = el("span", entry.label + " ");
      name.appendChild(el("span", "(" + entry.count + ")", "copkg-count"));
      item.appendChild(name);
      list.appendChild(item);
    });
    box.appendChild(list);
    box.appendChild(el("p", view.sizeBy, "copkg-count"));
  }

  /* Fit the network into the largest free rectangle of the window: the part no panel (title,
   * legend, tools, story buttons) covers, so the boxes never hide the drawing. Mirrors itself
   * in RTL because it reads where the panels actually are. */
  function sizeLegend() {
    // The title block takes the height it needs; the legend the rest. When both do not fit,
    // the title block widens and the legend goes to two columns (fewer, longer lines), so no
    // note or entry is hidden below the frame.
    var box = document.getElementById("copkg-title");
    var legend = document.getElementById("copkg-legend");
    var H = window.innerHeight;
    legend.classList.remove("copkg-two");
    box.classList.remove("copkg-wide");
    legend.style.maxBlockSize = "none";
    box.style.maxBlockSize = "none";
    var extra = legend.hidden ? 0 : legend.offsetHeight;
    if (box.offsetHeight + 50 + extra > H) {  // too tall together: wider boxes, fewer lines
      box.classList.add("copkg-wide");
      if (!legend.hidden) { legend.classList.add("copkg-two"); }
    }
    var wants = legend.hidden ? 0 : Math.min(legend.offsetHeight, 0.4 * H);
    box.style.maxBlockSize = Math.round(Math.max(0.3 * H, H - 50 - wants)) + "px";
    var title = box.getBoundingClientRect();
    legend.style.maxBlockSize = Math.max(120, Math.round(H - title.bottom - 30)) + "px";
    if (legend.scrollHeight > legend.clientHeight + 1) { legend.classList.add("copkg-two"); }
  }
  function fitFree() {
    var net = state.network;
    sizeLegend();
    if (!net || !state.view || !state.view.nodes.length) { return; }
    var pos = net.getPositions();
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    state.view.nodes.forEach(function (n) {
      var p = pos[n.i] || n;
      x0 = Math.min(x0, p.x - n.s); x1 = Math.max(x1, p.x + n.s);
      y0 = Math.min(y0, p.y - n.s); y1 = Math.max(y1, p.y + n.s);
    });
    var fit = state.view.view && state.view.view.fit;  // an add-on's box kept in view too
    if (fit && fit.length === 4) {
      x0 = Math.min(x0, fit[0]); y0 = Math.min(y0, fit[1]);
      x1 = Math.max(x1, fit[2]); y1 = Math.max(y1, fit[3]);
    }
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

  /* The details panel opens below the tools, above the story buttons, on the inline-end side,
   * and the map moves so the node it describes is not under it. */
  function placePanel(panel) {
    var tools = document.getElementById("copkg-tools").getBoundingClientRect();
    var nav = document.getElementById("copkg-story");
    var bottom = nav && !nav.hidden ? window.innerHeight - nav.getBoundingClientRect().top : 0;
    panel.style.insetBlockStart = Math.round(tools.bottom + 10) + "px";
    panel.style.maxBlockSize = Math.max(160, Math.round(window.innerHeight - tools.bottom -
      20 - bottom)) + "px";
  }
  function keepVisible(id) {
    var net = state.network, panel = document.getElementById("copkg-panel");
    if (!net || panel.hidden || id === null || id === undefined) { return; }
    var p = net.getPositions([id])[id];
    if (!p) { return; }
    var d = net.canvasToDOM(p);
    var frame = document.getElementById("copkg-map").getBoundingClientRect();
    var r = panel.getBoundingClientRect();
    var room = state.view.nodes[id].s * net.getScale() + 12 * basePx();
    var rtl = document.documentElement.dir === "rtl";
    var x = d.x + frame.left;
    var dx = 0;
    if (!rtl && x + room > r.left) { dx = r.left - room - x; }
    if (rtl && x - room < r.right) { dx = r.right + room - x; }
    if (!dx) { return; }
    var c = net.getViewPosition(), s = net.getScale();
    net.moveTo({ position: { x: c.x - dx / s, y: c.y }, scale: s, animation: false });
  }
  function panelShell(title) {
    var panel = document.getElementById("copkg-panel");
    clear(panel);
    panel.hidden = false;
    placePanel(panel);
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
    keepVisible(id);
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
      fitFree();
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
      state.network.on("afterDrawing", drawLabels);
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
    // The focus is ringed and named, its strongest ties named first; its details open on a
    // click only, so no panel covers the map when a story step opens.
    if (view.focus !== null && view.focus !== undefined) {
      state.network.selectNodes([view.focus]);
      pick(view.focus);
    }
    // Add-ons (geo.js: basemap, arcs, year slider) redraw for the view now shown.
    document.dispatchEvent(new CustomEvent("copkg:view", { detail: { view: view, step: step,
      network: state.network, nodes: state.nodes, edges: state.edges } }));
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
  // The names drawn, as the page placed them (screen pixels of the map), for tests.
  window.copkgLabelBoxes = function () {
    return state.labels.map(function (b) {
      return { id: b.id, text: b.text, px: b.px, font: b.font, rank: state.view.nodes[b.id].r,
               l: b.l, t: b.t, r: b.r, b: b.b };
    });
  };
  window.copkgFit = fitFree;
  window.copkgGo = go;
  window.copkgFocus = function () { return state.view ? state.view.focus : null; };
  window.copkgView = function () { return state.view; };  // the view drawn, for add-ons
  document.body.classList.toggle("copkg-presentation", state.presentation);
  var start = payload.story && payload.story.start ? payload.story.start : 0;
  if (views.length) { go(Math.min(Math.max(start, 0), views.length - 1)); }
}());
