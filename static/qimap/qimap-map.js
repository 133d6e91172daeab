/*
 * qimap's map layers. The states and the cases arrive as static JSON files written by
 * qimap.map.casefile (fetched once, then kept for the life of the map); the map's script carries
 * only their names, the styles, the words and the current filter (qimap.map.mapview). Every
 * piece of text is put into the page with textContent, never innerHTML, so case and bill text
 * cannot become markup.
 *
 * Cases are clustered with Supercluster: whatever their number, the map holds one DOM node per
 * cluster or case in view (a few hundred), not one per case.
 *
 * The map is drawn in the page itself (static/qimap/qimap-mount.js makes it, a Streamlit
 * component); one map lives at a time, and a new one (the page drawn again after another page)
 * starts from a clean state. A click on something pickable is reported to Python through the
 * reporter the mount sets (qimap/map/selection.py): a state, a state's inset (Alaska, Hawaii,
 * Puerto Rico) and a cluster (the state under it) report {kind: "state", usps}; a case marker
 * reports {kind: "case", id}.
 *
 * The map lives in a page that scrolls: it takes the wheel and one-finger swipes only when
 * asked (a click on the map, Ctrl + wheel, two fingers), and says so in a short hint.
 */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var helpCount = 0; // each map's keyboard help gets an id of its own
  var files = {}; // url -> Promise of parsed JSON
  var indexes = []; // the last few clustered sets: {key, index, shown}
  var KEEP_INDEXES = 3;
  var SPIDER_MAX = 60; // cases fanned out around a spot that cannot be zoomed apart
  var GAP = 8; // pixels kept free between the map's edge, its controls and what they frame
  var states = freshStates();
  var config = { words: {}, national: null, insets: [], fillOpacity: 1, noBillFill: "#F2F2F2" };
  var national = freshNational();
  var theMap = null;
  var scaleControl = null;
  var placeShown = null; // the searched place the map last centred on (kept across reruns)
  var keyboardUsed = false; // the last interaction was a key, not a pointer
  var reopen = null; // the case whose popup was open when its group was swapped
  // Read by the browser tests and benchmarks; times are Date.now() milliseconds.
  var status = {
    ready: false,
    total: 0,
    shown: 0,
    drawn: 0,
    error: null,
    loads: 0,
    times: {},
    statesReady: false,
    national: national,
  };

  function freshStates() {
    return { layer: null, byUsps: {}, chosen: null, styles: {}, halo: null, insets: {} };
  }

  function freshNational() {
    return { zoom: null, center: null, layout: null, fitting: false, wanted: true };
  }

  function node(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined && text !== null) el.textContent = String(text);
    return el;
  }

  function svgNode(tag, attributes) {
    var el = document.createElementNS(SVG, tag);
    for (var name in attributes) el.setAttribute(name, String(attributes[name]));
    return el;
  }

  // A word from Python (qimap.map.mapview.MAP_WORDS), with {name} filled in as plain text.
  function say(key, values) {
    var text = String(config.words[key] || "");
    for (var name in values || {}) text = text.split("{" + name + "}").join(String(values[name]));
    return text;
  }

  // A pick goes to Python through the reporter the mount gave this map (none: the map picks
  // nothing, as an upload's preview); a copy, so nothing here can change it later.
  function report(map, pick) {
    var reporter = map && map.qimapReporter;
    if (reporter) reporter(JSON.parse(JSON.stringify(pick)));
  }

  function identify(layer, pick) {
    layer.on("click", function () {
      report(layer._map, pick);
    });
  }

  // Enter (and Space, as on any button) on a marker does what a click does: Leaflet's own
  // keypress only opens the popup, so the case was never picked from the keyboard.
  function clickOnKeys(marker) {
    if (marker._onKeyPress) marker.off("keypress", marker._onKeyPress, marker);
    marker.on("keypress", function (e) {
      var key = e.originalEvent && e.originalEvent.key;
      if (key !== "Enter" && key !== " ") return;
      L.DomEvent.preventDefault(e.originalEvent);
      keyboardUsed = true;
      marker.fire("click", { latlng: marker.getLatLng(), originalEvent: e.originalEvent }, true);
    });
  }

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

  // --- fills: colour and texture (qimap.model.standing) -----------------------------------------

  var patterns = null; // the <defs> every shape's url(#…) fill points to
  var TEXTURES = {
    dots: function (pattern) {
      pattern.appendChild(svgNode("circle", { cx: 3.5, cy: 3.5, r: 1.4, fill: "#ffffff", "fill-opacity": 0.7 }));
    },
    stripes: function (pattern) {
      pattern.setAttribute("patternTransform", "rotate(45)");
      pattern.appendChild(svgNode("rect", { x: 0, y: 0, width: 2.2, height: 7, fill: "#ffffff", "fill-opacity": 0.6 }));
    },
    crosshatch: function (pattern) {
      pattern.setAttribute("patternTransform", "rotate(45)");
      pattern.appendChild(svgNode("rect", { x: 0, y: 0, width: 1.6, height: 7, fill: "#ffffff", "fill-opacity": 0.55 }));
      pattern.appendChild(svgNode("rect", { x: 0, y: 0, width: 7, height: 1.6, fill: "#ffffff", "fill-opacity": 0.55 }));
    },
  };

  function fillOf(style) {
    var colour = /^#[0-9A-Fa-f]{6}$/.test(style.fill || "") ? style.fill : config.noBillFill;
    var draw = TEXTURES[style.texture];
    if (!draw) return colour;
    var id = "qimap-" + style.texture + "-" + colour.slice(1);
    if (!patterns) {
      var holder = svgNode("svg", { width: 0, height: 0, "aria-hidden": "true", focusable: "false" });
      holder.style.position = "absolute";
      patterns = svgNode("defs", {});
      holder.appendChild(patterns);
      document.body.appendChild(holder);
    }
    if (!document.getElementById(id)) {
      var pattern = svgNode("pattern", { id: id, patternUnits: "userSpaceOnUse", width: 7, height: 7 });
      pattern.appendChild(svgNode("rect", { x: 0, y: 0, width: 7, height: 7, fill: colour }));
      draw(pattern);
      patterns.appendChild(pattern);
    }
    return "url(#" + id + ")";
  }

  // --- states ---------------------------------------------------------------------------

  function stateStyle(usps) {
    return {
      color: "#4d4d4d",
      weight: 0.8,
      fillColor: fillOf(states.styles[usps] || {}),
      fillOpacity: config.fillOpacity,
    };
  }

  function highlight(usps) {
    var map = states.layer && states.layer._map;
    if (states.chosen && states.byUsps[states.chosen]) {
      states.layer.resetStyle(states.byUsps[states.chosen]);
    }
    if (states.halo) {
      states.halo.remove();
      states.halo = null;
    }
    states.chosen = usps || null;
    var shape = usps && states.byUsps[usps];
    if (shape && map) {
      // A white ring under the black outline: the chosen state stands out from dark and light
      // neighbours alike.
      states.halo = L.geoJSON(shape.feature, {
        interactive: false,
        style: { color: "#ffffff", weight: 6, opacity: 1, fill: false },
      }).addTo(map);
      shape.setStyle({ weight: 3, color: "#000000" });
      shape.bringToFront();
    }
    for (var code in states.insets) {
      states.insets[code].classList.toggle("qimap-inset--chosen", code === states.chosen);
    }
  }

  // A state picked without a click on its shape (an inset, a cluster): the same events a click
  // sends, so the same report reaches Python.
  function pickState(usps, originalEvent) {
    var shape = states.byUsps[usps];
    if (!shape) return;
    shape.fire("click", { latlng: shape.getBounds().getCenter(), originalEvent: originalEvent }, true);
  }

  function tooltipBox(style, fallbackName) {
    var box = node("div", "qimap-tip");
    box.appendChild(node("strong", null, style.title || fallbackName));
    (style.lines || []).forEach(function (line) {
      box.appendChild(node("div", null, line));
    });
    return box;
  }

  function addStates(map, url, styles, options) {
    if (theMap !== map) forgetMap();
    config = options || config;
    states.styles = styles;
    setUpMap(map);
    var layer = L.geoJSON(null, {
      style: function (feature) {
        return stateStyle(feature.properties.usps);
      },
      onEachFeature: function (feature, sublayer) {
        var usps = feature.properties.usps;
        // Read when the path is created: lets tests and stylesheets find a state's shape.
        sublayer.options.className = "qimap-state qimap-state--" + usps;
        sublayer.bindTooltip(
          new FittedTooltip({ sticky: true, direction: "top", offset: [0, -8] }).setContent(function () {
            return tooltipBox(styles[usps] || {}, feature.properties.name);
          })
        );
        identify(sublayer, { kind: "state", usps: usps });
        sublayer.on("click", function () {
          highlight(usps);
        });
        states.byUsps[usps] = sublayer;
      },
    });
    layer.addTo(map);
    states.layer = layer;
    map.attributionControl.addAttribution(say("attribution"));
    fetchJson(url).then(
      function (geojson) {
        if (map !== theMap) return; // a map made since replaced this one
        layer.addData(geojson);
        layer.bringToBack();
        // The shapes are for the pointer: keyboard and screen-reader users pick a state from
        // the page's state list, so the 56 shapes stay out of the tab order.
        layer.eachLayer(function (sublayer) {
          var path = sublayer.getElement && sublayer.getElement();
          if (path) path.setAttribute("tabindex", "-1");
        });
        drawInsets(geojson);
        highlight(states.chosen);
        status.statesReady = true;
        map.getContainer().setAttribute("data-qimap-states", "ready");
      },
      function () {
        showProblem(map, say("states_failed"));
      }
    );
    return layer;
  }

  // --- Alaska, Hawaii, Puerto Rico: small maps in a corner of the national view -----------------

  var INSET_BOX = { AK: [84, 56], HI: [64, 40], PR: [54, 30] };
  var insetsBox = null;

  function ringPath(ring, project) {
    var d = "";
    for (var i = 0; i < ring.length; i++) {
      var p = project(ring[i]);
      d += (i ? "L" : "M") + p[0].toFixed(1) + " " + p[1].toFixed(1);
    }
    return d + "Z";
  }

  // The outline as SVG path data fitting a w x h box (longitudes shrunk by the cosine of the
  // middle latitude, as they are on the ground).
  function outlinePath(geometry, w, h) {
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    var west = Infinity, east = -Infinity, south = Infinity, north = -Infinity;
    polygons.forEach(function (polygon) {
      polygon[0].forEach(function (pt) {
        west = Math.min(west, pt[0]);
        east = Math.max(east, pt[0]);
        south = Math.min(south, pt[1]);
        north = Math.max(north, pt[1]);
      });
    });
    var squeeze = Math.cos(((south + north) / 2) * Math.PI / 180);
    var scale = Math.min((w - 4) / ((east - west) * squeeze || 1), (h - 4) / (north - south || 1));
    var left = (w - (east - west) * squeeze * scale) / 2;
    var top = (h - (north - south) * scale) / 2;
    var project = function (pt) {
      return [left + (pt[0] - west) * squeeze * scale, top + (north - pt[1]) * scale];
    };
    return polygons
      .map(function (polygon) {
        return polygon.map(function (ring) {
          return ringPath(ring, project);
        }).join("");
      })
      .join("");
  }

  function makeInsets(map) {
    var control = L.control({ position: "bottomleft" });
    insetsBox = node("div", "qimap-insets");
    config.insets.forEach(function (usps) {
      var size = INSET_BOX[usps] || [56, 40];
      var style = states.styles[usps] || {};
      var item = node("div", "qimap-inset qimap-inset--" + usps);
      item.title = [style.title || usps].concat(style.lines || []).join("\n");
      // Drawn in a w x h box; qimap-map.css sets its size on screen (smaller on a phone).
      var svg = svgNode("svg", {
        viewBox: "0 0 " + size[0] + " " + size[1],
        "aria-hidden": "true",
        focusable: "false",
      });
      item.style.setProperty("--w", String(size[0]));
      item.style.setProperty("--h", String(size[1]));
      item.appendChild(svg);
      item.appendChild(node("span", "qimap-inset__label", style.title || usps));
      L.DomEvent.on(item, "click", function (e) {
        L.DomEvent.stop(e);
        pickState(usps, e);
      });
      L.DomEvent.disableClickPropagation(item);
      states.insets[usps] = item;
      insetsBox.appendChild(item);
    });
    control.onAdd = function () {
      return insetsBox;
    };
    control.addTo(map);
    map.on("zoomend popupopen popupclose", showInsets);
  }

  function drawInsets(geojson) {
    geojson.features.forEach(function (feature) {
      var usps = feature.properties.usps;
      var item = states.insets[usps];
      if (!item || !feature.geometry) return;
      var svg = item.querySelector("svg");
      var size = INSET_BOX[usps] || [56, 40];
      svg.appendChild(
        svgNode("path", {
          d: outlinePath(feature.geometry, size[0], size[1]),
          fill: fillOf(states.styles[usps] || {}),
          stroke: "#4d4d4d",
          "stroke-width": 0.8,
          "stroke-linejoin": "round",
          class: "qimap-inset__shape",
        })
      );
    });
  }

  // Shown on the national view and a little closer; hidden once the map shows a region.
  function showInsets() {
    if (!insetsBox || !insetsBox.parentNode) return;
    var map = theMap;
    var fitted = national.zoom !== null ? national.zoom : config.national.zoom;
    var near = !map || map.getZoom() <= fitted + 0.5;
    var popupOpen = map && map._popup && map.hasLayer(map._popup); // the popup has the room
    insetsBox.parentNode.style.display = near && !popupOpen ? "" : "none";
  }

  // --- the national view: the lower 48 fitted to the map's size, clear of the controls --------

  function boxOf(el, container) {
    var r = el.getBoundingClientRect();
    var c = container.getBoundingClientRect();
    return { left: r.left - c.left, top: r.top - c.top, right: r.right - c.left, bottom: r.bottom - c.top, width: r.width, height: r.height };
  }

  function insetSizes() {
    var row = { width: 0, height: 0 };
    var column = { width: 0, height: 0 };
    config.insets.forEach(function (usps) {
      var item = states.insets[usps];
      if (!item) return;
      var w = item.offsetWidth + 6;
      var h = item.offsetHeight + 6;
      row.width += w;
      row.height = Math.max(row.height, h);
      column.width = Math.max(column.width, w);
      column.height += h;
    });
    return { row: row, column: column };
  }

  function heightOf(control) {
    var box = control && control.getContainer();
    return box && box.offsetParent ? box.offsetHeight + 4 : 0; // 0 when hidden (a phone's scale)
  }

  // Where the lower 48 may go, and where the controls go around it: the insets in a band along
  // the bottom (with the zoom buttons above the map and the attribution beside them, or the zoom
  // buttons beside the map), or in a column on the left under the zoom buttons.
  function nationalLayouts(map) {
    var container = map.getContainer();
    var size = map.getSize();
    var zoomBox = map.zoomControl ? boxOf(map.zoomControl.getContainer(), container) : null;
    var zoomRight = zoomBox ? zoomBox.right + GAP : GAP;
    var zoomBottom = zoomBox ? zoomBox.bottom + GAP : GAP;
    var attribution = heightOf(map.attributionControl);
    var scale = heightOf(scaleControl);
    var insets = insetSizes();
    var band = insets.row.height ? insets.row.height + 10 + GAP : GAP;
    var layouts = [
      {
        name: "band",
        attribution: "topright",
        tl: [GAP, Math.max(zoomBottom, attribution + GAP)],
        br: [GAP, Math.max(band, scale + GAP)],
      },
      {
        name: "band",
        attribution: "bottomright",
        tl: [zoomRight, GAP],
        br: [GAP, Math.max(band, scale + attribution + GAP)],
      },
    ];
    if (zoomBottom + insets.column.height + 10 <= size.y) {
      layouts.push({
        name: "column",
        attribution: "bottomright",
        tl: [Math.max(zoomRight, insets.column.width + 10 + GAP), GAP],
        br: [GAP, scale + attribution + GAP],
      });
    }
    return layouts;
  }

  function fitNation(map, animate) {
    if (!config.national) return map;
    var size = map.getSize();
    var bounds = L.latLngBounds(config.national.bounds);
    var best = null;
    if (insetsBox) insetsBox.parentNode.style.display = ""; // measured as they will be shown
    nationalLayouts(map).forEach(function (layout) {
      var padding = L.point(layout.tl[0] + layout.br[0], layout.tl[1] + layout.br[1]);
      if (size.x - padding.x < 120 || size.y - padding.y < 80) return; // no room left
      var zoom = map.getBoundsZoom(bounds, false, padding);
      if (best === null || zoom > best.zoom) best = { zoom: zoom, layout: layout };
    });
    if (best === null) return map; // not laid out yet (a hidden box): fitted on a resize
    if (insetsBox) insetsBox.classList.toggle("qimap-insets--column", best.layout.name === "column");
    if (map.attributionControl && map.attributionControl.getPosition() !== best.layout.attribution) {
      map.attributionControl.setPosition(best.layout.attribution);
    }
    var target = map._getBoundsCenterZoom(bounds, {
      paddingTopLeft: best.layout.tl,
      paddingBottomRight: best.layout.br,
    });
    national.zoom = target.zoom;
    national.center = target.center;
    national.layout = best.layout.name;
    national.fitting = true;
    try {
      map.setView(target.center, target.zoom, { animate: !!animate });
    } finally {
      national.fitting = false;
    }
    // Zooming out stops at about twice the country's width: the world never fills the map.
    map.setMinZoom(Math.max(config.minZoom || 0, national.zoom - 1));
    showInsets();
    return map;
  }

  // Python asks for the national view as a centre and zoom (qimap.geo.states.NATIONAL_CENTER,
  // NATIONAL_ZOOM), sized for no screen in particular; the mount applies it with setView. Such a
  // request fits the lower 48 to this map instead, whatever its width. The national view stays
  // wanted (fitted again when the map's size changes) until anything else moves the map.
  function nationalRequests(map) {
    var setView = map.setView;
    map.setView = function (center, zoom, options) {
      var asked = config.national && config.national.center;
      if (!national.fitting && asked && center) {
        var c = L.latLng(center);
        if (Math.abs(c.lat - asked[0]) < 1e-6 && Math.abs(c.lng - asked[1]) < 1e-6) {
          national.wanted = true;
          return fitNation(map, map._loaded);
        }
      }
      if (!national.fitting) national.wanted = false;
      return setView.call(this, center, zoom, options);
    };
    map.on("movestart", function () {
      if (!national.fitting) national.wanted = false;
    });
    map.on("resize", function () {
      if (national.wanted) fitNation(map, false);
    });
    // The box's height is set by the page's CSS (qimap.ui.map_panel), which may arrive after
    // the map is made: follow the container's size, not only the window's.
    if (window.ResizeObserver) {
      var observer = new ResizeObserver(function () {
        map.invalidateSize();
      });
      observer.observe(map.getContainer());
      map.on("unload", function () {
        observer.disconnect();
      });
    }
  }

  // --- living in a page that scrolls ---------------------------------------------------------

  // The wheel and one-finger swipes scroll the page, not the map, until the reader asks for the
  // map: a click on it (then the wheel zooms until the pointer leaves), Ctrl (⌘) + wheel, or
  // two fingers. A short hint says how.
  function cooperativeGestures(map) {
    var container = map.getContainer();
    var hint = node("div", "qimap-hint");
    hint.setAttribute("aria-hidden", "true"); // a pointer hint; keys need none (the map's own help)
    container.appendChild(hint);
    var active = false;
    var timer = null;
    var mac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent || "");

    function showHint(text) {
      hint.textContent = text;
      hint.classList.add("qimap-hint--shown");
      clearTimeout(timer);
      timer = setTimeout(function () {
        hint.classList.remove("qimap-hint--shown");
      }, 1600);
    }

    // Capture, on the document: decided before Leaflet's own wheel handler on the container.
    listenWhileMapped(map, "wheel", function (e) {
      if (!container.contains(e.target)) return;
      if (active || e.ctrlKey || e.metaKey) {
        hint.classList.remove("qimap-hint--shown");
        return; // Leaflet zooms (and stops the browser's own Ctrl + wheel page zoom)
      }
      e.stopPropagation(); // Leaflet never sees it; the page scrolls
      showHint(say(mac ? "wheel_hint_mac" : "wheel_hint"));
    }, { capture: true, passive: true });
    container.addEventListener("mousedown", function () {
      active = true;
    });
    container.addEventListener("mouseleave", function () {
      active = false;
    });

    // One finger: the browser scrolls the page (touch-action in qimap-map.css) and Leaflet's
    // drag stays off; two fingers: Leaflet's pinch moves and zooms the map. A mouse drags.
    var start = null;
    container.addEventListener(
      "touchstart",
      function (e) {
        if (map.dragging) map.dragging.disable();
        start = e.touches.length === 1 ? { x: e.touches[0].clientX, y: e.touches[0].clientY } : null;
      },
      { capture: true, passive: true }
    );
    container.addEventListener(
      "touchmove",
      function (e) {
        if (!start || e.touches.length !== 1) return;
        var t = e.touches[0];
        if (Math.abs(t.clientX - start.x) + Math.abs(t.clientY - start.y) > 12) {
          start = null;
          showHint(say("touch_hint"));
        }
      },
      { capture: true, passive: true }
    );
    container.addEventListener(
      "mousedown",
      function () {
        if (map.dragging && !map.dragging.enabled()) map.dragging.enable();
      },
      true
    );
  }

  // --- keys and names ----------------------------------------------------------------------------

  function keyboardAndNames(map) {
    var container = map.getContainer();
    // Leaflet focuses the map on a mouse press (for its arrow keys); the browser would then
    // scroll the page to show the whole map, moving it under the pointer mid-click.
    if (map.keyboard) {
      var enabled = map.keyboard.enabled();
      map.keyboard.disable();
      map.keyboard._onMouseDown = function () {
        if (!this._focused) this._map._container.focus({ preventScroll: true });
      };
      if (enabled) map.keyboard.enable();
    }
    container.setAttribute("role", "region");
    container.setAttribute("aria-label", say("map_label"));
    var help = node("p", "qimap-sr-only", say("keyboard_help"));
    helpCount += 1;
    help.id = "qimap-keyboard-help-" + helpCount;
    container.appendChild(help);
    container.setAttribute("aria-describedby", help.id);
    // On the document (a popup's Escape), removed with the map: the page outlives it. Only a key
    // pressed in the map or its popup is the map's: elsewhere Escape belongs to the page.
    listenWhileMapped(map, "keydown", function (e) {
      keyboardUsed = true;
      if (e.key !== "Escape" || !map._popup || !map.hasLayer(map._popup)) return;
      if (!container.contains(e.target)) return; // (a popup is drawn inside the container)
      var source = map._popup._source;
      map.closePopup();
      var icon = source && source.getElement && source.getElement();
      if (icon && icon.focus) icon.focus();
      e.preventDefault();
    }, true);
    listenWhileMapped(map, "pointerdown", function () {
      keyboardUsed = false;
    }, true);
    map.on("popupopen", function (e) {
      if (!keyboardUsed) return;
      var content = e.popup.getElement() && e.popup.getElement().querySelector(".qimap-popup");
      if (content) {
        content.setAttribute("tabindex", "-1");
        content.focus({ preventScroll: true });
      }
    });
  }

  function listenWhileMapped(map, type, listener, options) {
    document.addEventListener(type, listener, options);
    map.on("unload", function () {
      document.removeEventListener(type, listener, options);
    });
  }

  // A new map (the page drawn again): nothing of the one before it is kept but the files and
  // clustered indexes, which depend on the data only.
  function forgetMap() {
    states = freshStates();
    national = freshNational();
    status.national = national;
    status.ready = false;
    status.statesReady = false;
    status.error = null;
    status.total = 0;
    status.shown = 0;
    status.drawn = 0;
    status.loads = 0;
    status.times = {};
    insetsBox = null;
    placeShown = null;
    reopen = null;
  }

  function setUpMap(map) {
    theMap = map;
    map.setMaxBounds(config.maxBounds);
    scaleControl = L.control.scale({ position: "bottomright", maxWidth: 100 }).addTo(map);
    makeInsets(map);
    cooperativeGestures(map);
    keyboardAndNames(map);
    nationalRequests(map);
    fitNation(map, false);
    // The mount links the style sheets as the script loads: until they apply, the controls
    // have no size, so the national view is fitted again once they do.
    whenStyled(function () {
      if (!map._mapPane) return; // removed meanwhile
      map.invalidateSize();
      if (national.wanted) fitNation(map, false);
    });
  }

  function styled() {
    var wanted = ["leaflet.css", "qimap-map.css"];
    var sheets = document.styleSheets;
    return wanted.every(function (name) {
      for (var i = 0; i < sheets.length; i++) {
        if (sheets[i].href && sheets[i].href.split("?")[0].slice(-name.length) === name) return true;
      }
      return false;
    });
  }

  function whenStyled(then) {
    var tries = 0;
    (function look() {
      if (styled()) return then();
      if ((tries += 1) < 600) setTimeout(look, 16);
    })();
  }

  // --- tooltips and popups that stay inside the map ------------------------------------------

  // A tooltip on the side of the pointer where it fits (above, else right, left or below), so
  // a state at the map's edge keeps its words in view.
  var FittedTooltip = L.Tooltip.extend({
    _setPosition: function (pos) {
      var map = this._map;
      var size = map.getSize();
      var at = map.layerPointToContainerPoint(pos);
      var w = this._container.offsetWidth;
      var h = this._container.offsetHeight;
      // the gap to the pointer: the offset below (8 px), Leaflet's margin for the tooltip's
      // arrow (6 px, leaflet.css) and 2 px to spare
      var gap = 16;
      var room = {
        top: Math.min(at.y - h - gap, at.x - w / 2, size.x - at.x - w / 2),
        right: Math.min(size.x - at.x - w - gap, at.y - h / 2, size.y - at.y - h / 2),
        left: Math.min(at.x - w - gap, at.y - h / 2, size.y - at.y - h / 2),
        bottom: Math.min(size.y - at.y - h - gap, at.x - w / 2, size.x - at.x - w / 2),
      };
      var offsets = { top: [0, -8], right: [8, 0], left: [-8, 0], bottom: [0, 8] };
      var chosen = "top";
      ["top", "right", "left", "bottom"].some(function (side) {
        if (room[side] >= 0) {
          chosen = side;
          return true;
        }
        if (room[side] > room[chosen]) chosen = side;
        return false;
      });
      this.options.direction = chosen;
      this.options.offset = offsets[chosen];
      return L.Tooltip.prototype._setPosition.call(this, pos);
    },
  });

  // A popup no wider or taller than the map allows, kept clear of the zoom buttons.
  var FittedPopup = L.Popup.extend({
    _updateLayout: function () {
      var map = this._map;
      if (map) {
        var size = map.getSize();
        var zoomBox = map.zoomControl ? boxOf(map.zoomControl.getContainer(), map.getContainer()) : null;
        var narrow = size.x < 520;
        // Narrow maps keep the popup below the zoom buttons, wide ones beside them.
        var topLeft = zoomBox
          ? narrow
            ? [GAP, zoomBox.bottom + GAP]
            : [zoomBox.right + GAP, GAP]
          : [GAP, GAP];
        var bottomRight = [GAP, GAP];
        this.options.autoPanPaddingTopLeft = topLeft;
        this.options.autoPanPaddingBottomRight = bottomRight;
        // content width = popup width - the content's margins (44 px) - the wrapper's border
        this.options.maxWidth = Math.max(160, Math.min(320, size.x - topLeft[0] - bottomRight[0] - 48));
        this.options.minWidth = Math.min(200, this.options.maxWidth);
        // content height = the room left - margins (26) - the tip (20) - the close button's row
        this.options.maxHeight = Math.max(120, size.y - topLeft[1] - bottomRight[1] - 60);
      }
      return L.Popup.prototype._updateLayout.call(this);
    },
  });

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

  // --- which state is under a point ----------------------------------------------------------

  function inRing(ring, x, y) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }

  function inGeometry(geometry, x, y) {
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    return polygons.some(function (polygon) {
      if (!inRing(polygon[0], x, y)) return false;
      for (var h = 1; h < polygon.length; h++) if (inRing(polygon[h], x, y)) return false;
      return true;
    });
  }

  function stateAt(latlng) {
    for (var usps in states.byUsps) {
      var shape = states.byUsps[usps];
      if (shape.feature && shape.getBounds().contains(latlng) && inGeometry(shape.feature.geometry, latlng.lng, latlng.lat)) {
        return usps;
      }
    }
    return null;
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
    var more = node("div", null, say("loading"));
    box.appendChild(more);
    details(spec, table, i).then(
      function (row) {
        more.textContent = "";
        more.appendChild(node("div", "qimap-popup__meta", row.date + " · " + row.place));
        if (row.where) more.appendChild(node("div", "qimap-popup__meta", row.where));
        // The outcome's words come with the data file, from qimap.model.labels.
        var outcome = table.outcome_labels[table.outcome[i]];
        more.appendChild(node("div", "qimap-popup__outcome qimap-popup__outcome--" + marker, outcome));
        more.appendChild(node("p", null, row.summary));
        var href = safeHref(row.url);
        if (href) {
          var link = node("a", null, say("read_source"));
          link.href = href;
          link.target = "_blank";
          link.rel = "noopener noreferrer";
          more.appendChild(link);
        }
        more.appendChild(node("div", "qimap-popup__note", say("allegations")));
        popup.update();
      },
      function () {
        more.textContent = say("details_failed");
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

  function casePopup(spec, table, i) {
    var popup = new FittedPopup({ maxWidth: 320 });
    var box = null;
    // Built once, on first opening: Leaflet calls this again on every popup.update().
    popup.setContent(function () {
      if (box === null) box = popupFor(spec, table, i, popup);
      return box;
    });
    return popup;
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
    // Before bindPopup's own "remove" handler closes it: a pick reruns the page, and the mount
    // then swaps the cases' group; the next group opens the same case's popup again.
    var owner = theMap;
    marker.on("remove", function () {
      // (not when its map is removed: a map made since does not reopen that case)
      if (marker.isPopupOpen() && owner === theMap) reopen = table.id[i];
    });
    marker.bindPopup(casePopup(spec, table, i));
    identify(marker, { kind: "case", id: table.id[i] });
    clickOnKeys(marker);
    return marker;
  }

  function clusterMarker(view, feature) {
    var count = feature.properties.point_count;
    var size = count < 10 ? "small" : count < 100 ? "medium" : count < 1000 ? "large" : "huge";
    var px = { small: 30, medium: 34, large: 38, huge: 44 }[size];
    var face = node("div", null);
    face.appendChild(node("span", null, feature.properties.point_count_abbreviated));
    var coords = feature.geometry.coordinates;
    var marker = L.marker([coords[1], coords[0]], {
      icon: L.divIcon({ html: face, className: "qimap-cluster qimap-cluster--" + size, iconSize: [px, px] }),
      title: say("cluster_title", { n: count }),
      keyboard: true,
    });
    // A cluster zooms in, and picks the state under it (where the click landed, else the
    // state of most of its cases): clusters cover whole states on the national map, and a
    // state must stay a click away.
    // (Not when it fans out at the closest zoom: the state is large there, and a pick would
    // rerun the page and fold the fan away.)
    marker.on("click", function (e) {
      var original = e.originalEvent;
      var pointer = original && typeof original.clientX === "number";
      var at = pointer ? view.map.mouseEventToLatLng(original) : marker.getLatLng();
      var zooms = view.expand(feature);
      var usps = zooms ? stateAt(at) || view.mostCasesIn(feature) : null;
      if (usps && usps !== states.chosen) {
        report(view.map, { kind: "state", usps: usps, via: "cluster" });
        highlight(usps);
      }
    });
    clickOnKeys(marker);
    return marker;
  }

  // The searched place ("Find stories near you"): a pin with its name, not a case.
  function placeMarker(place) {
    var text = say("you_searched", { label: place.label });
    var pin = node("div", "qimap-place__pin");
    pin.setAttribute("role", "img");
    pin.setAttribute("aria-label", text);
    var marker = L.marker([place.lat, place.lon], {
      icon: L.divIcon({ html: pin, className: "qimap-place", iconSize: [26, 34], iconAnchor: [13, 33] }),
      keyboard: false,
      interactive: false,
      zIndexOffset: 1000,
    });
    marker.bindTooltip(node("span", null, text), {
      permanent: true,
      direction: "top",
      offset: [0, -34],
      className: "qimap-place__label",
    });
    return marker;
  }

  // One view per feature group: the mount swaps the group (removing the old one) whenever the
  // filter, the chosen state or the searched place changes.
  function CaseView(group, spec) {
    this.group = group;
    this.spec = spec;
    this.drawn = {}; // key -> marker
    this.spider = L.featureGroup();
    this.entry = null;
    this.table = null;
  }

  CaseView.prototype.start = function () {
    var view = this;
    var map = view.group._map;
    view.map = map;
    view.spider.addTo(view.group);
    view.showPlace();
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
    var container = map.getContainer();
    container.setAttribute("data-qimap-cases", "loading");
    load.then(
      function (table) {
        status.times.fetched = Date.now();
        // Published files are cached by name and filter; an inline preview is not cached.
        var key = view.spec.inline ? null : view.spec.cases + JSON.stringify(view.spec.filter);
        view.table = table;
        view.entry = clustered(table, view.spec.filter, key, {
          min: Math.min(config.minZoom || 0, Math.floor(map.getMinZoom())),
          max: map.getMaxZoom(),
        });
        status.times.indexed = Date.now();
        status.total = table.count;
        status.shown = view.entry.shown;
        status.loads += 1;
        status.error = null;
        view.render();
        view.reopenPopup();
        status.times.drawn = Date.now();
        status.ready = true;
        // For tests and benchmarks that watch the map from outside.
        container.setAttribute("data-qimap-shown", String(status.shown));
        container.setAttribute("data-qimap-cases", "ready");
      },
      function (error) {
        status.error = String(error);
        container.setAttribute("data-qimap-cases", "error");
        showProblem(map, say("cases_failed"));
      }
    );
  };

  CaseView.prototype.showPlace = function () {
    var place = this.spec.place;
    if (!place) {
      placeShown = null;
      return;
    }
    placeMarker(place).addTo(this.group);
    var key = place.label + "@" + place.lat + "," + place.lon;
    if (placeShown !== key) {
      placeShown = key;
      this.map.setView([place.lat, place.lon], Math.max(this.map.getZoom(), place.zoom || 0));
    }
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
      var marker = p.cluster ? clusterMarker(view, feature) : caseMarker(view.spec, view.table, p.i);
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

  CaseView.prototype.reopenPopup = function () {
    var id = reopen;
    reopen = null;
    var i = id === null ? -1 : this.table.id.indexOf(id);
    if (i < 0) return;
    var marker = this.drawn["p" + i];
    if (marker) {
      marker.openPopup();
    } else {
      // clustered or fanned out a moment ago: the popup alone, where the case is
      casePopup(this.spec, this.table, i).setLatLng([this.table.lat[i], this.table.lon[i]]).openOn(this.map);
    }
  };

  // The state most of a cluster's cases are in (at most 500 of them looked at).
  CaseView.prototype.mostCasesIn = function (feature) {
    var table = this.table;
    var counts = {};
    var best = null;
    this.entry.index.getLeaves(feature.properties.cluster_id, 500).forEach(function (leaf) {
      var usps = table.states[table.state[leaf.properties.i]];
      counts[usps] = (counts[usps] || 0) + 1;
      if (best === null || counts[usps] > counts[best]) best = usps;
    });
    return best && states.byUsps[best] ? best : null;
  };

  CaseView.prototype.expand = function (feature) {
    var index = this.entry.index;
    var id = feature.properties.cluster_id;
    var coords = feature.geometry.coordinates;
    var target = index.getClusterExpansionZoom(id);
    if (target <= this.map.getMaxZoom()) {
      this.map.setView([coords[1], coords[0]], Math.max(target, this.map.getZoom() + 1));
      return true;
    }
    this.fanOut(index.getLeaves(id, SPIDER_MAX), [coords[1], coords[0]], feature.properties.point_count);
    return false;
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
      new FittedPopup()
        .setLatLng(center)
        .setContent(node("div", null, say("fan_out_more", { shown: leaves.length, total: total })))
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
    // The map on the page (Leaflet's), read by the browser tests and benchmarks as status is.
    map: function () {
      return theMap;
    },
    // (pick) => void for picks on ``map``, or null: the map picks nothing.
    setReporter: function (map, reporter) {
      map.qimapReporter = reporter;
    },
    fitNation: function () {
      return fitNation(theMap, false);
    },
  };
})();
