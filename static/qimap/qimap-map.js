/*
 * qimap's map layers. Data arrives as JSON from qimap.mapview; every piece of text is put into
 * the page with textContent, never innerHTML, so case and bill text cannot become markup.
 *
 * Clickable things report who they are through toGeoJSON(), which streamlit-folium calls on
 * click and returns to Python as `last_active_drawing` (see qimap/selection.py). Returning a
 * tiny feature instead of the real geometry keeps that round trip small.
 */
(function () {
  "use strict";

  var clicks = 0;

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

  function safeHref(url) {
    return typeof url === "string" && /^https?:\/\/[^\s]+$/i.test(url) ? url : null;
  }

  function addStates(map, geojson, styles) {
    var selected = null;
    var layer = L.geoJSON(geojson, {
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
        var s = styles[feature.properties.usps] || {};
        // Read when the path is created: lets tests and stylesheets find a state's shape.
        sublayer.options.className = "qimap-state qimap-state--" + feature.properties.usps;
        sublayer.bindTooltip(function () {
          var box = node("div", "qimap-tip");
          box.appendChild(node("strong", null, s.title || feature.properties.name));
          (s.lines || []).forEach(function (line) {
            box.appendChild(node("div", null, line));
          });
          return box;
        }, { sticky: true, direction: "top", offset: [0, -8] });
        identify(sublayer, { kind: "state", usps: feature.properties.usps });
        sublayer.on("click", function () {
          if (selected) layer.resetStyle(selected);
          selected = sublayer;
          sublayer.setStyle({ weight: 3, color: "#000000" });
          sublayer.bringToFront();
        });
      },
    });
    layer.addTo(map);
    map.attributionControl.addAttribution("State boundaries: US Census Bureau via us-atlas");
    return layer;
  }

  function popupFor(row) {
    var box = node("div", "qimap-popup");
    box.appendChild(node("h4", null, row.title));
    box.appendChild(node("div", "qimap-popup__meta", row.date + " · " + row.place));
    if (row.where) box.appendChild(node("div", "qimap-popup__meta", row.where));
    box.appendChild(node("div", "qimap-popup__outcome qimap-popup__outcome--" + row.marker, row.outcome));
    box.appendChild(node("p", null, row.summary));
    var href = safeHref(row.url);
    if (href) {
      var link = node("a", null, "Read the source");
      link.href = href;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      box.appendChild(link);
    }
    box.appendChild(node("div", "qimap-popup__note", "Facts at early stages of a lawsuit are allegations."));
    return box;
  }

  function addCases(group, payload) {
    var columns = payload.columns;
    var cluster = L.markerClusterGroup({
      chunkedLoading: true,
      showCoverageOnHover: false,
      maxClusterRadius: 45,
      spiderfyOnMaxZoom: true,
    });
    var icons = {};
    var markers = payload.rows.map(function (values) {
      var row = {};
      for (var i = 0; i < columns.length; i++) row[columns[i]] = values[i];
      if (!icons[row.marker]) {
        icons[row.marker] = L.divIcon({
          className: "qimap-case qimap-case--" + row.marker,
          iconSize: [16, 16],
        });
      }
      var marker = L.marker([row.lat, row.lon], {
        icon: icons[row.marker],
        title: row.title + " (" + row.outcome + ")",
        alt: row.title,
        keyboard: true,
        riseOnHover: true,
      });
      marker.bindPopup(function () { return popupFor(row); }, { maxWidth: 320 });
      identify(marker, { kind: "case", id: row.id });
      return marker;
    });
    cluster.addLayers(markers);
    group.addLayer(cluster);
    return cluster;
  }

  window.qimap = { addStates: addStates, addCases: addCases };
})();
