/* The place layer, made in the browser from compact columns (geo/web/maplayer.py).
 *
 * One Leaflet.markercluster group holds a marker per place; the layer control's three marker
 * layers, the filters (a bit mask) and the selection only change what that group holds, so
 * nothing is sent again. Tooltips and popups are made on first use. Text from the data reaches
 * the page as text: through textContent, or, where Leaflet wants markup (tooltips, layer
 * names), through esc().
 *
 * window.placeMap.apply({select, view, mask, years}) is how the dashboard selects a place,
 * switches between the home view and all places, and filters, without redrawing the map.
 *
 * The timeline's play control steps through the years of the view (`years`, or from the
 * earliest place to this year) in the browser: each step shows the places there that year,
 * and places whose time is unknown, without asking the server. Its step time is kept in
 * window.placeMap.lastStepMs, for the benchmark.
 *
 * Every marker is a named button (its place, and "approximate location" where that applies)
 * that Enter or Space selects the way a click does; its hit area is 24 px, larger than the
 * dot. The layer control and the legend start folded, clear of the markers.
 */
(function () {
  "use strict";

  var ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;",
                  "`": "&#96;"};

  function esc(text) {
    return String(text).replace(/[&<>"'`]/g, function (c) { return ENTITIES[c]; });
  }

  function bits(mask, total) {
    if (mask === null || mask === undefined) return null;
    var raw = atob(mask), out = new Uint8Array(total);
    for (var i = 0; i < total; i++) out[i] = (raw.charCodeAt(i >> 3) >> (i & 7)) & 1;
    return out;
  }

  // Data that came in a script (geo/web/maplayer.py writes the map's libraries and its data as
  // one file, so the map starts without a second round trip), by the URL it stands for.
  var preloaded = {};

  function preload(source, data) { preloaded[source] = data; }

  function fetched(source) {
    if (typeof source !== "string") return Promise.resolve(source);
    if (Object.prototype.hasOwnProperty.call(preloaded, source)) {
      return Promise.resolve(preloaded[source]);
    }
    return fetch(source).then(function (answer) {
      if (!answer.ok) throw new Error(source + ": HTTP " + answer.status);
      return answer.json();
    });
  }

  var POPUP_LEFT_PX = 56;  // a popup opens right of the zoom buttons
  var NARROW_PX = 450;  // a map narrower than this (a phone's) folds its controls away
  var TARGET_PX = 24;  // the smallest touch target (WCAG 2.2, 2.5.8)

  var PlaceMarker = L.Marker.extend({
    onAdd: function (map) {
      L.Marker.prototype.onAdd.call(this, map);
      if (this._icon) {
        this._icon.dataset.placeId = this.options.placeId;
        this._icon.setAttribute("aria-label", this.options.label);
      }
      return this;
    }
  });

  // What a screen reader calls a marker: its name, and whether its pin is only approximate.
  function markerLabel(name, approximate) {
    return approximate ? name + " (approximate location)" : name;
  }

  function isSelectKey(event) {
    return event.key === "Enter" || event.key === " " || event.key === "Spacebar";
  }

  function create(map, config) {
    var stepStarted = null;  // when the timeline's last step began (performance.now())
    var cluster = L.markerClusterGroup({maxClusterRadius: 24, spiderfyDistanceMultiplier: 1.6,
                                        chunkedLoading: true, chunkProgress: stepDone});
    var canvas = L.canvas({padding: 0.5});
    var areas = L.featureGroup(), links = L.featureGroup(), ring = L.featureGroup();
    var toggles = [L.layerGroup(), L.layerGroup(), L.layerGroup(), L.layerGroup()];
    map.addLayer(cluster);
    toggles.forEach(function (layer) { layer.addTo(map); });
    areas.addTo(map);
    links.addTo(map);
    ring.addTo(map);

    // Leaflet focuses the map on every press. A map partly below the fold (on a phone, most
    // of the time) then scrolls the page between the press and the release, and the tap
    // lands beside the marker it was meant for: the focus must not scroll.
    var container = map.getContainer(), focusMap = container.focus;
    container.focus = function (options) {
      return focusMap.call(container, L.extend({preventScroll: true}, options));
    };

    var data = null, index = new Map(), markers = [], shown = null, icons = {}, texts = null;
    var pending = null, applied = {select: null, view: "home", mask: null};
    var year = null, playing = null, range = [null, null], timeline = null;
    var api = {map: map, cluster: cluster, areas: areas, links: links, ring: ring, esc: esc,
               ready: false, apply: apply, marker: marker, showYear: showYear, play: play,
               lastStepMs: null, shownCount: 0};
    window.placeMap = api;

    function marker(id) {
      return index.has(id) ? markers[index.get(id)] : null;
    }

    // A context place (researched, layer 3) is a diamond ringed in black: a badge that needs
    // no colour to be told from the articles' own places.
    function icon(category, approximate, context) {
      var key = category + (approximate ? "a" : "e") + (context ? "c" : "");
      if (!icons[key]) {
        var colour = esc(data.categories[category].colour);
        icons[key] = L.divIcon({
          className: "pm-wrap", iconSize: [TARGET_PX, TARGET_PX],
          iconAnchor: [TARGET_PX / 2, TARGET_PX / 2],
          html: "<div class=\"pm " + (approximate ? "pm-approx" : "pm-exact") +
                (context ? " pm-ctx" : "") +
                "\" style=\"border-color:" + colour + ";background:" + colour + "\"></div>"});
      }
      return icons[key];
    }

    // The name, then (hidden) the id and how many clicks the map has had: a click changes the
    // text streamlit-folium reports, so clicking the same marker again still counts.
    var clicks = 0;
    function tooltip(i) {
      return esc(data.names[i]) + "<span class=\"pm-id\" hidden>" +
             esc(config.separator + data.ids[i] + config.separator + clicks) + "</span>";
    }

    function popup(i, target) {
      var box = document.createElement("div");
      box.className = "pm-popup";
      box.appendChild(document.createElement("b")).textContent = data.names[i];
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createElement("i")).textContent =
        data.categories[data.category[i]].label + " \u00b7 " + data.labels[data.label[i]];
      box.appendChild(document.createElement("br"));
      var excerpt = box.appendChild(document.createElement("span"));
      excerpt.className = "pm-excerpt";
      texts = texts || fetched(config.text);
      texts.then(function (text) {
        excerpt.textContent = text.excerpts[i] || "";
        // Taller now, the popup must pan again to clear the controls. Leaflet skips the pan of
        // the first update after its own (a guard against recursion); the second one pans.
        var open = target.getPopup();
        if (open) { open.update(); if (open.isOpen()) open.update(); }
      }).catch(function (err) { console.error("place excerpts:", err); });
      return box;
    }

    function ensureTooltip(target) {
      if (!target.getTooltip()) target.bindTooltip(tooltip(target.placeIndex));
    }

    // Registered before streamlit-folium's own click handler on the group, so the tooltip it
    // reads (to report the click) exists by then.
    cluster.on("mouseover", function (event) {
      var target = event.sourceTarget;
      if (target && target.placeIndex !== undefined && !target.getTooltip()) {
        ensureTooltip(target);
        target.openTooltip();
      }
    });
    cluster.on("click", function (event) {
      var target = event.sourceTarget;
      if (!target || target.placeIndex === undefined) return;
      clicks += 1;
      ensureTooltip(target);
      target.setTooltipContent(tooltip(target.placeIndex));
      if (!target.getPopup()) {
        target.bindPopup(popup(target.placeIndex, target), {maxWidth: 320, closeButton: true});
        // Read whenever the popup opens, so it clears the controls as they are then.
        Object.defineProperty(target.getPopup().options, "autoPanPaddingTopLeft",
                              {get: clearOfControls});
        // And no wider than the map leaves it, so that on a phone the popup and its close
        // button stay on the map.
        Object.defineProperty(target.getPopup().options, "maxWidth", {get: popupWidth});
        target.openPopup();
      }
      setTimeout(reportClick, 0);  // after streamlit-folium's own handler has noted the click
    });
    // Enter or Space on a focused marker is a click on it: the same listeners, in the same
    // order, so the selection is reported the same way.
    cluster.on("keydown", function (event) {
      var target = event.sourceTarget, key = event.originalEvent;
      if (!target || target.placeIndex === undefined || !isSelectKey(key)) return;
      key.preventDefault();
      target.fire("click", {latlng: target.getLatLng(), originalEvent: key}, true);
    });

    // streamlit-folium reports a click 250 ms late (it debounces every report, map moves
    // included). A marker click is reported at once instead, in the very form its
    // updateComponentValue would send (its fields, in its order, filtered by returned_objects)
    // and marked as sent, so the late report finds nothing new and sends nothing.
    var REPORTED = ["last_clicked", "last_object_clicked_tooltip"];
    function reportClick() {
      var state = window.__GLOBAL_DATA__, lib = window.Streamlit;
      if (!state || !state.returned_objects || !lib || !lib.setComponentValue) return;
      if (state.returned_objects.some(function (key) { return REPORTED.indexOf(key) < 0; })) return;
      var wrap = function (point) { return point && state.wrap_longitude ? map.wrapLatLng(point) : point; };
      var all = {last_clicked: wrap(state.lat_lng_clicked),
                 last_object_clicked_tooltip: state.last_object_clicked_tooltip};
      var value = {};
      REPORTED.forEach(function (key) {
        if (state.returned_objects.indexOf(key) >= 0) value[key] = all[key];
      });
      if (JSON.stringify(value) === JSON.stringify(state.previous_data)) return;
      state.previous_data = value;
      lib.setComponentValue(value);
    }

    // The popup pans the map so that it opens below the zoom buttons and the layer control
    // (as tall as they are now: the layer control may be open or folded).
    function clearOfControls() {
      var top = 0, corner = map.getContainer().querySelectorAll(
        ".leaflet-top .leaflet-control");
      for (var k = 0; k < corner.length; k++) {
        top = Math.max(top, corner[k].offsetTop + corner[k].offsetHeight);
      }
      return L.point(POPUP_LEFT_PX, top + 10);
    }

    // The widest popup content that fits between that left padding and Leaflet's 5 px on the
    // right, less the popup's own margins (47 px).
    function popupWidth() {
      return Math.max(50, Math.min(320, map.getSize().x - POPUP_LEFT_PX - 5 - 47));
    }

    function narrow() { return map.getSize().x < NARROW_PX; }

    // The colours of the categories on the map, and what the dashed style means.
    function legend() {
      var control = L.control({position: "bottomright"});
      control.onAdd = function () {
        var box = L.DomUtil.create("details", "pm-legend");
        box.open = false;  // folded: open, it hid markers under it (a third of a 548 px map)
        box.appendChild(document.createElement("summary")).textContent = "Legend";
        var list = box.appendChild(document.createElement("ul"));
        function item(className, colour, text) {
          var row = list.appendChild(document.createElement("li"));
          var dot = row.appendChild(document.createElement("span"));
          dot.className = "pm " + className;
          dot.setAttribute("aria-hidden", "true");
          if (colour) { dot.style.borderColor = colour; dot.style.background = colour; }
          row.appendChild(document.createTextNode(" " + text));
        }
        data.categories.forEach(function (category) {
          item("pm-exact", category.colour, category.label);
        });
        item("pm-exact pm-key pm-ctx", "", "Researched context place (not from the articles)");
        item("pm-exact pm-key", "", "Exact location");
        item("pm-approx pm-key", "", "Approximate: somewhere in its dashed circle");
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      };
      return control;
    }

    function inMask(i) { return shown === null || shown[i] === 1; }

    // Whether place i was there in the timeline's year: an unknown time (-1) never hides it.
    function inYear(i) {
      if (year === null || data.from[i] < 0) return true;
      return (data.from[i] === 0 || data.from[i] <= year) &&
             (data.until[i] === 0 || data.until[i] >= year);
    }

    // Only what changed goes in or out of the cluster: a step of the timeline changes a few
    // places, and at 10,000 places redrawing them all took most of a step's time.
    var held = null;  // 1 where the cluster holds place i's marker
    function refresh() {
      var wanted = new Uint8Array(markers.length), adding = [], removing = [], count = 0;
      for (var i = 0; i < markers.length; i++) {
        if (inMask(i) && inYear(i) && map.hasLayer(toggles[data.layer[i]])) {
          wanted[i] = 1;
          count++;
          if (!held || !held[i]) adding.push(markers[i]);
        } else if (held && held[i]) {
          removing.push(markers[i]);
        }
      }
      held = wanted;
      api.shownCount = count;
      if (removing.length) cluster.removeLayers(removing);
      if (adding.length) cluster.addLayers(adding);
      else stepDone(0, 0);  // nothing to add: no chunk reports the end
    }

    // A step is done when the cluster holds its markers and the next frame is painted.
    function stepDone(processed, total) {
      if (stepStarted === null || processed < total) return;
      var started = stepStarted;
      stepStarted = null;
      requestAnimationFrame(function () { api.lastStepMs = performance.now() - started; });
    }

    // The timeline: a year slider, Play and Pause, and a status line screen readers hear.
    function firstYear() {
      var first = range[0];
      if (first !== null) return first;
      for (var i = 0; i < data.from.length; i++) {
        if (data.from[i] > 0 && (first === null || data.from[i] < first)) first = data.from[i];
      }
      return first === null ? new Date().getFullYear() : first;
    }

    function lastYear() { return range[1] !== null ? range[1] : new Date().getFullYear(); }

    function showYear(wanted) {
      if (!data) return;  // the places have not arrived yet
      api.lastStepMs = null;
      stepStarted = performance.now();
      year = wanted;
      refresh();
      if (timeline) {
        timeline.slider.value = String(wanted === null ? timeline.slider.max : wanted);
        timeline.output.textContent = wanted === null ? "All years of this view" :
          wanted + ": " + api.shownCount + (api.shownCount === 1 ? " place" : " places");
      }
    }

    function play(on) {
      if (playing) { clearInterval(playing); playing = null; }
      if (!data) return;
      if (timeline) {
        timeline.button.textContent = on ? "Pause" : "Play";
        timeline.button.setAttribute("aria-pressed", on ? "true" : "false");
      }
      if (!on) return;
      var next = year === null || year >= lastYear() ? firstYear() : year + 1;
      showYear(next);
      playing = setInterval(function () {
        if (year >= lastYear()) { play(false); return; }
        showYear(year + 1);
      }, 700);
    }

    function timelineControl() {
      var control = L.control({position: "bottomleft"});
      control.onAdd = function () {
        // Folded to its summary, like the legend, so that it covers no marker until asked.
        var fold = L.DomUtil.create("details", "pm-timeline");
        fold.appendChild(document.createElement("summary")).textContent = "Timeline";
        var box = fold.appendChild(document.createElement("div"));
        box.setAttribute("role", "group");
        box.setAttribute("aria-label", "Timeline");
        var button = box.appendChild(document.createElement("button"));
        button.type = "button";
        button.className = "pm-play";
        button.textContent = "Play";
        button.setAttribute("aria-pressed", "false");
        button.setAttribute("aria-label", "Play the years");
        var label = box.appendChild(document.createElement("label"));
        label.textContent = "Year ";
        var slider = label.appendChild(document.createElement("input"));
        slider.type = "range";
        slider.className = "pm-year";
        slider.step = "1";
        var reset = box.appendChild(document.createElement("button"));
        reset.type = "button";
        reset.className = "pm-all-years";
        reset.textContent = "All years";
        var output = box.appendChild(document.createElement("output"));
        output.setAttribute("role", "status");
        output.setAttribute("aria-live", "polite");
        output.textContent = "All years of this view";
        button.addEventListener("click", function () { play(!playing); });
        slider.addEventListener("input", function () { play(false); showYear(Number(slider.value)); });
        reset.addEventListener("click", function () { play(false); showYear(null); });
        L.DomEvent.disableClickPropagation(fold);
        L.DomEvent.disableScrollPropagation(fold);
        timeline = {button: button, slider: slider, output: output};
        setRange(range);
        return fold;
      };
      return control;
    }

    function setRange(years) {
      range = [years && years[0] !== undefined ? years[0] : null,
               years && years[1] !== undefined ? years[1] : null];
      if (!timeline || !data) return;
      timeline.slider.min = String(firstYear());
      timeline.slider.max = String(lastYear());
      timeline.slider.value = String(year === null ? lastYear() : year);
    }

    function drawAreas() {
      var seen = new Set();
      areas.clearLayers();
      for (var i = 0; i < markers.length; i++) {
        if (!data.approximate[i] || !inMask(i)) continue;
        var key = data.lat[i] + "," + data.lon[i] + "," + data.radius[i];
        if (seen.has(key)) continue;
        seen.add(key);
        areas.addLayer(L.circle([data.lat[i], data.lon[i]], {
          radius: data.radius[i], weight: 1, dashArray: "6 6", color: "#555", fill: true,
          fillOpacity: 0.04, interactive: false, renderer: canvas}));
      }
    }

    function drawLinks() {
      links.clearLayers();
      for (var i = 0; i < markers.length; i++) {
        var origin = data.origin[i];
        if (origin < 0 || !inMask(i) || !inMask(origin)) continue;
        links.addLayer(L.polyline([[data.lat[i], data.lon[i]], [data.lat[origin], data.lon[origin]]], {
          weight: 2, dashArray: "4 8", color: "#444", renderer: canvas
        }).bindTooltip(esc(data.names[i] + " \u2190 " + data.names[origin])));
      }
    }

    function fitAll() {
      var south = 90, west = 180, north = -90, east = -180, any = false;
      for (var i = 0; i < markers.length; i++) {
        if (!inMask(i)) continue;
        any = true;
        south = Math.min(south, data.lat[i]); north = Math.max(north, data.lat[i]);
        west = Math.min(west, data.lon[i]); east = Math.max(east, data.lon[i]);
      }
      if (any) map.fitBounds([[south, west], [north, east]], {maxZoom: 15});
    }

    function apply(command) {
      pending = command;
      if (api.ready) run();
    }

    function run() {
      var command = pending;
      pending = null;
      if (!command) return;
      var view = command.view || "home", select = command.select || null;
      var years = command.years || [null, null];
      if (years[0] !== range[0] || years[1] !== range[1]) {  // a new view: its own years
        play(false);
        year = null;
        setRange(years);
        if (timeline) timeline.output.textContent = "All years of this view";
        if (command.mask === applied.mask) refresh();
      }
      var mask = command.mask === undefined ? null : command.mask;
      var filtered = mask !== applied.mask, moved = view !== applied.view;
      if (filtered) {
        applied.mask = mask;
        shown = bits(mask, markers.length);
        refresh();
        drawAreas();
        drawLinks();
      }
      applied.view = view;
      // A filter fits the view to the places it leaves; without one, the view is as chosen.
      if ((view === "all" || (mask !== null && command.fit !== false)) && (moved || filtered)) fitAll();
      else if (moved || filtered) map.setView(config.center, config.zoom);
      if (select !== applied.select || moved) {
        applied.select = select;
        ring.clearLayers();
        var chosen = marker(select);
        if (chosen) {
          L.circleMarker(chosen.getLatLng(), {radius: 20, color: "#ffbe0b", weight: 4, fill: false,
                                              interactive: false}).addTo(ring);
          // The map follows a selection made elsewhere (the list, the tour); one already in
          // view stays put, so a click's popup keeps the room its pan made.
          var inView = map.getBounds().pad(-0.05).contains(chosen.getLatLng());
          if (view === "home" && !inView) map.setView(chosen.getLatLng(), map.getZoom());
        }
      }
    }

    function build(loaded) {
      data = loaded;
      for (var i = 0; i < data.ids.length; i++) {
        var one = new PlaceMarker([data.lat[i], data.lon[i]], {
          icon: icon(data.category[i], data.approximate[i], data.layer[i] === 3),
          placeId: data.ids[i],
          name: data.names[i], label: markerLabel(data.names[i], data.approximate[i])});
        one.placeIndex = i;
        markers.push(one);
        index.set(data.ids[i], i);
      }
      var overlays = {};
      data.layers.slice(0, 4).forEach(function (name, k) { overlays[esc(name)] = toggles[k]; });
      overlays[esc(data.layers[4])] = areas;
      overlays[esc(data.layers[5])] = links;
      // Folded to its button: open, the six layers covered markers on a desktop map too.
      L.control.layers(null, overlays, {collapsed: true}).addTo(map);
      legend().addTo(map);
      timelineControl().addTo(map);
      map.on("overlayadd overlayremove", function (event) {
        if (toggles.indexOf(event.layer) >= 0) refresh();
      });
      refresh();
      drawAreas();
      drawLinks();
      api.ready = true;
      run();
    }

    if (config.command) apply(config.command);
    fetched(config.data).then(build).catch(function (err) { console.error("places:", err); });
    return api;
  }

  window.PlaceMap = {create: create, esc: esc, bits: bits, preload: preload};
})();
