/* copkg add-on for map.js (graph.maps.geo.geo_scripts): the basemap and leader lines under a
 * geographic map, links as arcs, and the year slider (all years' links are in the page; a
 * year only shows or hides them, client-side). Reads the add-on data map.js passes through:
 * the view's "view" ({basemap, leaders, years, start_year}) and each node's / link's "view"
 * ({y0, yc, arc}); hooks in on map.js's "copkg:view" event. Texts go into the page through
 * textContent only. */
(function () {
  "use strict";
  var payload = JSON.parse(document.getElementById("copkg-data").textContent);
  var ui = payload.ui || {};
  var rtl = document.documentElement.dir === "rtl";
  var style = document.createElement("style");  // the slider sits in the tools box
  style.textContent = [
    "#copkg-years { display: flex; flex-wrap: wrap; align-items: center; gap: 2px 8px;",
    "  margin-top: 4px; flex-basis: 100%; }",
    "#copkg-years input[type=range] { flex: 1 1 260px; min-width: 200px; }",
    // The status is a line under the slider, small: the box stays low over the map.
    "#copkg-year-status { flex-basis: 100%; font-size: 0.85em; line-height: 1.25; }",
    ".copkg-presentation #copkg-years { font-size: 1.1em; }"].join("\n");
  document.head.appendChild(style);
  var state = { view: null, network: null, nodes: null, edges: null, year: null, timer: null,
    shownEdges: {}, shownNodes: {}, hooked: false };

  function t(key, values) {
    var text = Object.prototype.hasOwnProperty.call(ui, key) ? ui[key] : key;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(values[name]));
    });
    return text;
  }
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }

  /* ------------------------------------------------------------------ basemap */
  function extra(item) { return (item && item.view) || {}; }
  /* The canvas's visible area in the network's coordinates, grown to hold the bounds. */
  function beyond(ctx, b) {
    var inv = ctx.getTransform().inverse();
    var c = ctx.canvas;
    var p = inv.transformPoint(new DOMPoint(0, 0));
    var q = inv.transformPoint(new DOMPoint(c.width, c.height));
    return [Math.min(p.x, q.x, b[0]), Math.min(p.y, q.y, b[1]),
      Math.max(p.x, q.x, b[2]), Math.max(p.y, q.y, b[3])];
  }
  function drawBasemap(ctx) {
    var map = extra(state.view).basemap;
    if (!map) { return; }
    var net = state.network;
    var scale = net ? net.getScale() : 1;
    var b = map.bounds;
    ctx.save();
    // Beyond the vendored outlines (no white frame around the map, whatever the fit): land to
    // the north, east and south of the region, the Atlantic to its west — as the pictures.
    var away = beyond(ctx, b);
    ctx.fillStyle = "#f6f3ec";
    ctx.fillRect(away[0], away[1], away[2] - away[0], away[3] - away[1]);
    ctx.fillStyle = "#dcebf5";  // sea
    if (away[0] < b[0]) { ctx.fillRect(away[0], away[1], b[0] - away[0], away[3] - away[1]); }
    ctx.fillRect(b[0], b[1], b[2] - b[0], b[3] - b[1]);
    ctx.fillStyle = "#f6f3ec";  // land
    ctx.strokeStyle = "#a39e93";
    ctx.lineWidth = 1.1 / scale;
    ctx.lineJoin = "round";
    map.rings.forEach(function (ring) {
      ctx.beginPath();
      ctx.moveTo(ring[0], ring[1]);
      for (var i = 2; i < ring.length; i += 2) { ctx.lineTo(ring[i], ring[i + 1]); }
      ctx.closePath();
      ctx.fill();
      ctx.stroke();
    });
    // Groups moved off a crowded place: a line from the country's true place to its group.
    (extra(state.view).leaders || []).forEach(function (l) {
      ctx.strokeStyle = "#4a4740";
      ctx.lineWidth = 1.5 / scale;
      ctx.beginPath();
      ctx.moveTo(l[0], l[1]);
      ctx.lineTo(l[2], l[3]);
      ctx.stroke();
      ctx.fillStyle = "#4a4740";
      ctx.beginPath();
      ctx.arc(l[0], l[1], 3.5 / scale, 0, 2 * Math.PI);
      ctx.fill();
    });
    var out = map.outside;
    if (out) {  // the column of countries outside the mapped region
      ctx.setLineDash([6 / scale, 4 / scale]);
      ctx.strokeStyle = "#6d6a63";
      ctx.lineWidth = 1.2 / scale;
      ctx.strokeRect(out[0], out[1], out[2] - out[0], out[3] - out[1]);
      ctx.setLineDash([]);
      ctx.fillStyle = "#4a4740";
      ctx.font = (16 / Math.max(scale, 0.05)) + "px " + getComputedStyle(document.body).fontFamily;
      ctx.direction = rtl ? "rtl" : "ltr";
      ctx.textAlign = "left";  // from the box's west edge, into the map, in both directions
      ctx.textBaseline = "alphabetic";
      var caption = t("map.outside");
      ctx.fillText(caption, out[0], out[1] - 6 / scale);
      // No name is placed over the caption (map.js reads view.view.clear for its labels).
      var extraView = state.view.view;
      extraView.clear = [[out[0], out[1] - 26 / scale,
        out[0] + ctx.measureText(caption).width, out[1] - 2 / scale]];
    }
    ctx.restore();
  }

  /* ------------------------------------------------------------------ arcs and years */
  function baseWidth(e) { return Math.max(0.6, e.w); }
  function countAt(yc, year) {
    var n = 0;
    for (var i = 0; i < yc.length && yc[i][0] <= year; i += 1) { n = yc[i][1]; }
    return n;
  }
  /* A country-to-country arc (v.yc) is as thick as the ties started up to the year (square
   * root, against the thickest), and as orange as the share of them started that year (a pair
   * first linked that year is fully orange). A plain link (v.y0) is orange the year it starts. */
  var ORANGE = [213, 94, 0], GREY = [120, 120, 120];
  function mix(f) {
    var c = GREY.map(function (g, k) { return Math.round(g + (ORANGE[k] - g) * f); });
    var alpha = (0.45 + 0.5 * f).toFixed(2);
    return "rgba(" + c.join(",") + "," + alpha + ")";
  }
  function edgeState(e, year, top) {
    var v = extra(e);
    if (v.yc && v.yc.length) {
      var n = countAt(v.yc, year), before = countAt(v.yc, year - 1);
      var f = n > 0 ? (before === 0 ? 1 : Math.min(1, 3 * (n - before) / n)) : 0;
      f = Math.round(f * 10) / 10;
      return { shown: n > 0, fresh: n > before, mix: f,
        width: Math.round((1 + 11 * Math.sqrt(n / Math.max(top, 1))) * 10) / 10 };
    }
    if (v.y0 === null || v.y0 === undefined) { return { shown: true, fresh: false }; }
    return { shown: v.y0 <= year, fresh: v.y0 === year, mix: v.y0 === year ? 1 : 0 };
  }
  function applyYear(year) {
    var view = state.view;
    var edges = state.edges, nodes = state.nodes;
    if (!view || !edges || !nodes) { return; }
    state.year = year;
    var edgeChanges = [], nodeChanges = [], shown = 0, fresh = 0, top = 0;
    view.edges.forEach(function (e) {
      if (extra(e).yc) { top = Math.max(top, countAt(extra(e).yc, year)); }
    });
    view.edges.forEach(function (e, i) {
      var s = edgeState(e, year, top);
      if (s.shown) { shown += 1; if (s.fresh) { fresh += 1; } }
      var key = (s.shown ? 1 : 0) + "|" + s.mix + "|" + (s.width || "");
      if (state.shownEdges[i] === key) { return; }
      state.shownEdges[i] = key;
      edgeChanges.push({ id: i, hidden: !s.shown,
        width: s.width ? s.width : baseWidth(e) + (s.fresh ? 1.5 : 0),
        color: s.mix > 0 ? { color: mix(s.mix), highlight: "#8a3b00", hover: "#8a3b00" }
          : (extra(e).yc ? { color: mix(0), highlight: "#111111", hover: "#333333" } : null) });
    });
    view.nodes.forEach(function (n) {
      /* As graph.maps.years.node_shown: active by then; "idle" = active in no dated year. */
      var y0 = extra(n).y0;
      var on = !extra(n).idle && (y0 === null || y0 === undefined || y0 <= year);
      if (state.shownNodes[n.i] === on) { return; }
      state.shownNodes[n.i] = on;
      nodeChanges.push({ id: n.i, hidden: !on });
    });
    if (nodeChanges.length) { nodes.update(nodeChanges); }
    if (edgeChanges.length) { edges.update(edgeChanges); }
    var status = document.getElementById("copkg-year-status");
    if (status) {
      /* Written by Python per year (graph.maps.years.links_at, the catalogue's plurals). */
      var notes = extra(view).year_notes;
      status.textContent = notes && notes[String(year)] ? notes[String(year)]
        : t("map.year_status", { year: year, links: shown, fresh: fresh });
      status.dataset.shown = String(shown);
      status.dataset.fresh = String(fresh);
      status.dataset.year = String(year);
    }
    /* The title block's counts line says what this year draws (written by Python per year:
     * graph.maps.years, with the catalogue's plural forms). */
    var counts = extra(view).count_notes;
    if (counts && counts[String(year)]) {
      view.notes[0] = counts[String(year)];
      var line = document.getElementById("copkg-counts");
      if (line) { line.textContent = view.notes[0]; }
    }
    /* The legend counts the actors this year draws (graph.maps.years.legend_at). */
    var legend = extra(view).legend_counts;
    if (legend && legend[String(year)]) {
      legend[String(year)].forEach(function (n, k) {
        if (view.legend[k]) { view.legend[k].count = n; }
      });
      document.querySelectorAll("#copkg-legend [data-k]").forEach(function (item) {
        var entry = view.legend[Number(item.dataset.k)];
        if (!entry) { return; }
        item.hidden = entry.count === 0;
        var count = item.querySelector(".copkg-count");
        if (count) { count.textContent = "(" + entry.count + ")"; }
        else { item.title = entry.label + " (" + entry.count + ")"; }
      });
    }
    var slider = document.getElementById("copkg-year");
    if (slider && String(slider.value) !== String(year)) { slider.value = String(year); }
    window.copkgYearDrawn = performance.now();
  }

  function startYear(view) {
    var years = extra(view).years || [];
    var last = years[years.length - 1];
    var start = extra(view).start_year;
    if (start === undefined || start === null) { return last; }
    return Math.min(Math.max(start, years[0]), last);
  }

  function stop(play) {
    if (state.timer) { clearInterval(state.timer); state.timer = null; }
    if (play) { play.textContent = t("map.play"); play.setAttribute("aria-pressed", "false"); }
  }

  function renderSlider(view) {
    var old = document.getElementById("copkg-years");
    if (old) { old.parentNode.removeChild(old); }
    var years = extra(view).years || [];
    if (years.length < 2) { return; }
    var box = el("div");
    box.id = "copkg-years";
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", t("map.year"));
    var label = el("label", t("map.year"));
    label.setAttribute("for", "copkg-year");
    var slider = el("input");
    slider.type = "range";
    slider.id = "copkg-year";
    slider.min = String(years[0]);
    slider.max = String(years[years.length - 1]);
    slider.step = "1";
    slider.value = String(startYear(view));
    var play = el("button", t("map.play"));
    play.type = "button";
    play.id = "copkg-play";
    play.setAttribute("aria-pressed", "false");
    var status = el("span", "", "copkg-count");
    status.id = "copkg-year-status";
    status.setAttribute("aria-live", "polite");
    slider.addEventListener("input", function () { stop(play); applyYear(Number(slider.value)); });
    play.addEventListener("click", function () {
      if (state.timer) { stop(play); return; }
      var first = Number(slider.min), last = Number(slider.max);
      var year = Number(slider.value) >= last ? first : Number(slider.value);
      applyYear(year);
      play.textContent = t("map.pause");
      play.setAttribute("aria-pressed", "true");
      state.timer = setInterval(function () {
        if (state.year >= last) { stop(play); return; }
        applyYear(state.year + 1);
      }, 1200);
    });
    box.appendChild(label);
    box.appendChild(slider);
    box.appendChild(play);
    box.appendChild(status);
    // In the tools box, so fitting the map to the free part of the window leaves it room.
    (document.getElementById("copkg-tools") || document.body).appendChild(box);
    if (window.copkgFit) { window.copkgFit(); }
  }

  function attach(view, net, nodes, edges) {
    state.view = view;
    state.network = net;
    state.nodes = nodes;
    state.edges = edges;
    state.shownEdges = {};
    state.shownNodes = {};
    if (!net) { return; }
    if (!state.hooked) {
      net.on("beforeDrawing", drawBasemap);
      state.hooked = true;
    }
    var arcs = [];
    view.edges.forEach(function (e, i) {
      if (extra(e).arc) {
        arcs.push({ id: i, smooth: { enabled: true, type: "curvedCW", roundness: extra(e).arc } });
      }
    });
    if (arcs.length && edges) { edges.update(arcs); }
    renderSlider(view);
    if ((extra(view).years || []).length) { applyYear(startYear(view)); }
    net.redraw();
  }

  document.addEventListener("copkg:view", function (ev) {
    var d = ev.detail;
    attach(d.view, d.network, d.nodes, d.edges);
  });
  window.copkgYear = applyYear;
  // map.js drew its first view before this script listened: attach to that one now.
  if (window.copkgView && window.copkgView() && window.copkgNetwork) {
    attach(window.copkgView(), window.copkgNetwork, window.copkgNodes, window.copkgEdges);
  }
}());
