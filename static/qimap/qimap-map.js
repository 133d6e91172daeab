/*
 * qimap's map layers. The states and the cases arrive as static JSON files written by
 * qimap.map.casefile (fetched once, then kept for the life of the map); the map's script carries
 * only their names, the styles and the current filter. Every piece of text is put into the
 * page with textContent, never innerHTML, so case and bill text cannot become markup.
 *
 * Cases are clustered with Supercluster: whatever their number, the map holds one DOM node per
 * cluster or case in view (a few hundred), not one per case.
 *
 * Clickable things report who they are through toGeoJSON(), which streamlit-folium calls on
 * click and returns to Python as `last_active_drawing` (see qimap/selection.py). Returning a
 * tiny feature instead of the real geometry keeps that round trip small.
 */
(function () {
  "use strict";

  var clicks = 0;
  var files = {}; // url -> Promise of parsed JSON
  var indexes = []; // the last few clustered sets: {key, index, shown}
  var KEEP_INDEXES = 3;
  var SPIDER_MAX = 60; // cases fanned out around a spot that cannot be zoomed apart
  var states = { layer: null, byUsps: {}, chosen: null };
  // Read by the browser tests and benchmarks; times are Date.now() milliseconds.
  var status = { ready: false, total: 0, shown: 0, drawn: 0, error: null, loads: 0, times: {} };

  function node(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined && text !== null) el.textContent = String(text);
    return el;
  }

  function identify(layer, properties) {
    layer.on("click", function () {
      clicks += 1;
      layer._qimapClick = clicks;
    });
    layer.toGeoJSON = function () {
      var props = { n: layer._qimapClick || 0 };
      for (var key in properties) props[key] = properties[key];
      return { type: "Feature", geometry: null, properties: props };
    };
  }

  // Clusters are not picks: they report one constant feature, so clicking them asks Streamlit
  // for nothing new.
  var NOT_A_PICK = { type: "Feature", geometry: null, properties: { kind: "cluster" } };

  function safeHref(url) {
    return typeof url === "string" && /^https?:\/\/[^\s]+$/i.test(url) ? url : null;
  }

  function fetchJson(url) {
    if (!files[url]) {
      files[url] = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error(url + ": HTTP " + response.status);
        return response.json();
      });
      files[url].catch(function () {
        delete files[url]; // try again on the next rerun
      });
    }
    return files[url];
  }

  function showProblem(map, text) {
    var box = node("div", "qimap-problem", text);
    box.setAttribute("role", "alert");
    var control = L.control({ position: "topright" });
    control.onAdd = function () {
      return box;
    };
    control.addTo(map);
  }

  // --- states ---------------------------------------------------------------------------

  function highlight(usps) {
    if (states.chosen && states.byUsps[states.chosen]) {
      states.layer.resetStyle(states.byUsps[states.chosen]);
    }
    states.chosen = usps || null;
    var shape = usps && states.byUsps[usps];
    if (shape) {
      shape.setStyle({ weight: 3, color: "#000000" });
      shape.bringToFront();
    }
  }

  function addStates(map, url, styles) {
    var layer = L.geoJSON(null, {
      style: function (feature) {
        var s = styles[feature.properties.usps] || {};
        return {
          color: "#4d4d4d",
          weight: 0.8,
          fillColor: s.fill || "#f2f2f2",
          fillOpacity: typeof s.opacity === "number" ? s.opacity : 0.8,
        };
      },
      onEachFeature: function (feature, sublayer) {
        var usps = feature.properties.usps;
        var s = styles[usps] || {};
        // Read when the path is created: lets tests and stylesheets find a state's shape.
        sublayer.options.className = "qimap-state qimap-state--" + usps;
        sublayer.bindTooltip(function () {
          var box = node("div", "qimap-tip");
          box.appendChild(node("strong", null, s.title || feature.properties.name));
          (s.lines || []).forEach(function (line) {
            box.appendChild(node("div", null, line));
          });
          return box;
        }, { sticky: true, direction: "top", offset: [0, -8] });
        identify(sublayer, { kind: "state", usps: usps });
        sublayer.on("click", function () {
          highlight(usps);
        });
        states.byUsps[usps] = sublayer;
      },
    });
    layer.addTo(map);
    states.layer = layer;
    map.attributionControl.addAttribution("State boundaries: US Census Bureau via us-atlas");
    fetchJson(url).then(
      function (geojson) {
        layer.addData(geojson);
        layer.bringToBack();
        highlight(states.chosen);
      },
      function () {
        showProblem(map, "The state outlines could not be loaded. Reload the page.");
      }
    );
    return layer;
  }

  // --- cases: filtering (the same rules as qimap.model.cases.CaseFilter.matches) ----------------

  function positions(names, wanted) {
    var found = {};
    wanted.forEach(function (name) {
      var i = names.indexOf(name);
      if (i >= 0) found[i] = true;
    });
    return found;
  }

  function matcher(table, filter) {
    var anyState = filter.states.length === 0;
    var anyOutcome = filter.outcomes.length === 0;
    var anyCategory = filter.categories.length === 0;
    var stateSet = positions(table.states, filter.states);
    var outcomeSet = positions(table.outcomes, filter.outcomes);
    var mask = 0;
    filter.categories.forEach(function (name) {
      var bit = table.categories.indexOf(name);
      if (bit >= 0) mask += Math.pow(2, bit);
    });
    var years = filter.years;
    return function (i) {
      return (
        (anyState || stateSet[table.state[i]] === true) &&
        (anyOutcome || outcomeSet[table.outcome[i]] === true) &&
        (anyCategory || (table.cats[i] & mask) !== 0) &&
        (!years || (table.year[i] >= years[0] && table.year[i] <= years[1]))
      );
    };
  }

  function clustered(table, filter, key, zooms) {
    for (var k = 0; key !== null && k < indexes.length; k++) {
      if (indexes[k].key === key) return indexes[k];
    }
    var matches = matcher(table, filter);
    var points = [];
    for (var i = 0; i < table.count; i++) {
      if (matches(i)) {
        points.push({
          type: "Feature",
          properties: { i: i },
          geometry: { type: "Point", coordinates: [table.lon[i], table.lat[i]] },
        });
      }
    }
    // Clusters for the map's own zoom range only: each level below costs indexing time.
    var index = new Supercluster({
      radius: 60,
      minZoom: zooms.min,
      maxZoom: zooms.max,
      minPoints: 2,
    }).load(points);
    var entry = { key: key, index: index, shown: points.length };
    if (key === null) return entry;
    indexes.unshift(entry);
    indexes.length = Math.min(indexes.length, KEEP_INDEXES);
    return entry;
  }

  // --- cases: drawing ------------------------------------------------------------------

  function details(spec, table, i) {
    if (table.details) return Promise.resolve(pick(table.details, i));
    var shard = Math.floor(i / table.shard_rows);
    var url = spec.cases.replace(/\.json$/, "-" + shard + ".json");
    return fetchJson(url).then(function (part) {
      return pick(part, i - shard * table.shard_rows);
    });
  }

  function pick(columns, j) {
    return {
      date: columns.date[j],
      place: columns.place[j],
      summary: columns.summary[j],
      url: columns.url[j],
      where: columns.where[j],
    };
  }

  function popupFor(spec, table, i, popup) {
    var box = node("div", "qimap-popup");
    box.appendChild(node("h4", null, table.title[i]));
    var marker = table.markers[table.outcome[i]];
    var more = node("div", null, "Loading…");
    box.appendChild(more);
    details(spec, table, i).then(
      function (row) {
        more.textContent = "";
        more.appendChild(node("div", "qimap-popup__meta", row.date + " · " + row.place));
        if (row.where) more.appendChild(node("div", "qimap-popup__meta", row.where));
        var outcome = table.outcome_labels[table.outcome[i]];
        more.appendChild(node("div", "qimap-popup__outcome qimap-popup__outcome--" + marker, outcome));
        more.appendChild(node("p", null, row.summary));
        var href = safeHref(row.url);
        if (href) {
          var link = node("a", null, "Read the source");
          link.href = href;
          link.target = "_blank";
          link.rel = "noopener noreferrer";
          more.appendChild(link);
        }
        more.appendChild(
          node("div", "qimap-popup__note", "Facts at early stages of a lawsuit are allegations.")
        );
        popup.update();
      },
      function () {
        more.textContent = "The details could not be loaded; the sidebar shows them.";
      }
    );
    return box;
  }

  var icons = {};
  function caseIcon(kind) {
    if (!icons[kind]) {
      icons[kind] = L.divIcon({ className: "qimap-case qimap-case--" + kind, iconSize: [16, 16] });
    }
    return icons[kind];
  }

  function caseMarker(spec, table, i, latlng) {
    var outcome = table.outcome_labels[table.outcome[i]];
    var marker = L.marker(latlng || [table.lat[i], table.lon[i]], {
      icon: caseIcon(table.markers[table.outcome[i]]),
      title: table.title[i] + " (" + outcome + ")",
      alt: table.title[i],
      keyboard: true,
      riseOnHover: true,
    });
    var popup = L.popup({ maxWidth: 320 });
    var box = null;
    // Built once, on first opening: Leaflet calls this again on every popup.update().
    popup.setContent(function () {
      if (box === null) box = popupFor(spec, table, i, popup);
      return box;
    });
    marker.bindPopup(popup);
    identify(marker, { kind: "case", id: table.id[i] });
    return marker;
  }

  function clusterMarker(feature, onClick) {
    var count = feature.properties.point_count;
    var size = count < 10 ? "small" : count < 100 ? "medium" : count < 1000 ? "large" : "huge";
    var px = { small: 30, medium: 36, large: 42, huge: 50 }[size];
    var face = node("div", null);
    face.appendChild(node("span", null, feature.properties.point_count_abbreviated));
    var coords = feature.geometry.coordinates;
    var marker = L.marker([coords[1], coords[0]], {
      icon: L.divIcon({ html: face, className: "qimap-cluster qimap-cluster--" + size, iconSize: [px, px] }),
      title: count + " case studies here: click to zoom in",
      keyboard: true,
    });
    marker.toGeoJSON = function () {
      return NOT_A_PICK;
    };
    marker.on("click", onClick);
    return marker;
  }

  // One view per feature group: st_folium swaps the group (removing the old one) whenever the
  // filter or the chosen state changes.
  function CaseView(group, spec) {
    this.group = group;
    this.spec = spec;
    this.drawn = {}; // key -> marker
    this.spider = L.featureGroup(); // a feature group, so its cases' clicks reach st_folium
    this.entry = null;
    this.table = null;
  }

  CaseView.prototype.start = function () {
    var view = this;
    var map = view.group._map;
    view.map = map;
    view.spider.addTo(view.group);
    view.onMove = function () {
      view.render();
    };
    view.onZoom = function () {
      view.spider.clearLayers();
    };
    map.on("moveend", view.onMove);
    map.on("zoomstart", view.onZoom);
    view.group.on("remove", function () {
      map.off("moveend", view.onMove);
      map.off("zoomstart", view.onZoom);
    });
    var load = view.spec.inline ? Promise.resolve(view.spec.inline) : fetchJson(view.spec.cases);
    status.ready = false;
    status.times = { start: Date.now() };
    document.body.setAttribute("data-qimap-cases", "loading");
    load.then(
      function (table) {
        status.times.fetched = Date.now();
        // Published files are cached by name and filter; an inline preview is not cached.
        var key = view.spec.inline ? null : view.spec.cases + JSON.stringify(view.spec.filter);
        view.table = table;
        view.entry = clustered(table, view.spec.filter, key, {
          min: map.getMinZoom(),
          max: map.getMaxZoom(),
        });
        status.times.indexed = Date.now();
        status.total = table.count;
        status.shown = view.entry.shown;
        status.loads += 1;
        status.error = null;
        view.render();
        status.times.drawn = Date.now();
        status.ready = true;
        // For tests and benchmarks that watch the page from outside the iframe.
        document.body.setAttribute("data-qimap-shown", String(status.shown));
        document.body.setAttribute("data-qimap-cases", "ready");
      },
      function (error) {
        status.error = String(error);
        document.body.setAttribute("data-qimap-cases", "error");
        showProblem(map, "The case studies could not be loaded. Reload the page.");
      }
    );
  };

  CaseView.prototype.render = function () {
    if (!this.entry || !this.group._map) return;
    var view = this;
    var map = view.map;
    var bounds = map.getBounds();
    var west = bounds.getWest();
    var east = bounds.getEast();
    if (east - west >= 360) {
      west = -180;
      east = 180;
    }
    var bbox = [west, Math.max(-85, bounds.getSouth()), east, Math.min(85, bounds.getNorth())];
    var zoom = Math.round(map.getZoom());
    var features = view.entry.index.getClusters(bbox, zoom);
    var wanted = {};
    features.forEach(function (feature) {
      var p = feature.properties;
      var key = p.cluster ? "c" + p.cluster_id + "@" + zoom : "p" + p.i;
      wanted[key] = true;
      if (view.drawn[key]) return;
      var marker = p.cluster
        ? clusterMarker(feature, function () {
            view.expand(feature);
          })
        : caseMarker(view.spec, view.table, p.i);
      view.drawn[key] = marker;
      view.group.addLayer(marker);
    });
    Object.keys(view.drawn).forEach(function (key) {
      if (!wanted[key]) {
        view.group.removeLayer(view.drawn[key]);
        delete view.drawn[key];
      }
    });
    status.drawn = features.length;
  };

  CaseView.prototype.expand = function (feature) {
    var index = this.entry.index;
    var id = feature.properties.cluster_id;
    var coords = feature.geometry.coordinates;
    var target = index.getClusterExpansionZoom(id);
    if (target <= this.map.getMaxZoom()) {
      this.map.setView([coords[1], coords[0]], target);
      return;
    }
    this.fanOut(index.getLeaves(id, SPIDER_MAX), [coords[1], coords[0]], feature.properties.point_count);
  };

  // Cases at one spot (or too close to zoom apart) are laid out on a spiral around it.
  CaseView.prototype.fanOut = function (leaves, center, total) {
    var view = this;
    view.spider.clearLayers();
    var origin = view.map.latLngToLayerPoint(center);
    leaves.forEach(function (leaf, n) {
      var angle = n * 0.9;
      var radius = 28 + 4.5 * n;
      var point = origin.add(L.point(Math.cos(angle) * radius, Math.sin(angle) * radius));
      var latlng = view.map.layerPointToLatLng(point);
      L.polyline([center, latlng], { color: "#333", weight: 1, opacity: 0.6, interactive: false }).addTo(view.spider);
      caseMarker(view.spec, view.table, leaf.properties.i, latlng).addTo(view.spider);
    });
    if (total > leaves.length) {
      L.popup()
        .setLatLng(center)
        .setContent(node("div", null, "Showing " + leaves.length + " of " + total + " case studies here. Use the filters to narrow them."))
        .openOn(view.map);
    }
  };

  function showCases(group, spec) {
    highlight(spec.state);
    var view = new CaseView(group, spec);
    if (group._map) {
      view.start();
    } else {
      group.once("add", function () {
        view.start();
      });
    }
    return view;
  }

  window.qimap = {
    addStates: addStates,
    showCases: showCases,
    status: status,
  };
})();
