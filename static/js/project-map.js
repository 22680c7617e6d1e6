/* Projects' points and lines on a map (projects/maps.py gives the data, in a json_script
 * element named by the map's data-project-map attribute).
 *
 * With the city's tiles (PORTAL_MAP_TILES) they are the background; without, a plain
 * background with the districts' names. A scale bar either way. The page lists the same
 * places as text, so nothing is lost without this script. Also used by the admin's
 * geometry map (geometry-widget.js), through window.PortalMap.
 */
(function () {
  "use strict";

  var LINE = { className: "project-map__line", weight: 5 };
  var PLACE = { className: "project-map__place", radius: 8, weight: 3 };

  function latlng(position) {
    return [position[1], position[0]];
  }

  function districtBounds(data) {
    if (!data.districts.length) {
      return null;
    }
    return L.latLngBounds(data.districts.map(function (d) { return latlng(d.position); }));
  }

  function districtLabel(district) {
    var name = document.createElement("span");
    name.textContent = district.name;
    return L.marker(latlng(district.position), {
      icon: L.divIcon({ className: "project-map__district", html: name, iconSize: null }),
      interactive: false,
      keyboard: false,
    });
  }

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  // Where names would overlap (the inner districts, zoomed out), the first one listed wins.
  function declutter(labels) {
    var shown = [];
    labels.forEach(function (label) {
      if (!label.getElement()) {
        return; // not drawn yet: the map's first view is being set
      }
      var name = label.getElement().firstChild;
      name.classList.remove("project-map__name--hidden");
      var box = name.getBoundingClientRect();
      var clash = shown.some(function (other) { return overlaps(box, other); });
      name.classList.toggle("project-map__name--hidden", clash);
      if (!clash) {
        shown.push(box);
      }
    });
  }

  function background(map, container, data) {
    if (data.tiles) {
      L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 19 }).addTo(map);
    } else {
      container.classList.add("project-map--plain");
      var labels = data.districts.map(function (district) {
        return districtLabel(district).addTo(map);
      });
      map.on("zoomend", function () { declutter(labels); });
      map.whenReady(function () { declutter(labels); });
    }
    L.control.scale({ imperial: false }).addTo(map);
  }

  function popup(properties) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.name;
    box.appendChild(link);
    if (properties.location) {
      var where = document.createElement("p");
      where.textContent = properties.location;
      box.appendChild(where);
    }
    return box;
  }

  function draw(container) {
    var data = JSON.parse(document.getElementById(container.dataset.projectMap).textContent);
    container.hidden = false;
    var map = L.map(container, { scrollWheelZoom: false });
    background(map, container, data);
    var features = L.geoJSON(data.features, {
      // Leaflet gives `style` to points too: each shape keeps its own class.
      style: function (feature) { return feature.geometry.type === "Point" ? PLACE : LINE; },
      pointToLayer: function (feature, at) { return L.circleMarker(at, PLACE); },
      onEachFeature: function (feature, layer) {
        layer.bindPopup(popup(feature.properties));
      },
    }).addTo(map);
    map.fitBounds(features.getBounds(), { maxZoom: 15, padding: [24, 24] });
  }

  window.PortalMap = { background: background, districtBounds: districtBounds };

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-project-map]").forEach(draw);
  });
})();
