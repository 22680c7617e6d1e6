/* The admin's map for a project's geometry (projects/widgets.py).
 *
 * Staff draw one point, or one or more lines, with Leaflet-Geoman; every change is written
 * into the GeoJSON textarea under the map, which is what the form sends (and what staff
 * without JavaScript type into). Valid GeoJSON typed there is drawn again. The server
 * checks whatever arrives (projects/geometry.py).
 */
(function () {
  "use strict";

  var PRECISION = 1e6; // six decimals of a degree: about 0.1 m

  function round(number) {
    return Math.round(number * PRECISION) / PRECISION;
  }

  function position(latlng) {
    return [round(latlng.lng), round(latlng.lat)];
  }

  function pointIcon() {
    return L.divIcon({ className: "project-map__point", iconSize: [16, 16] });
  }

  function toGeometry(layers) {
    var points = layers.filter(function (layer) { return layer instanceof L.Marker; });
    var lines = layers.filter(function (layer) { return layer instanceof L.Polyline; });
    if (points.length) {
      return { type: "Point", coordinates: position(points[0].getLatLng()) };
    }
    var coordinates = lines.map(function (line) { return line.getLatLngs().map(position); });
    if (coordinates.length === 1) {
      return { type: "LineString", coordinates: coordinates[0] };
    }
    if (coordinates.length > 1) {
      return { type: "MultiLineString", coordinates: coordinates };
    }
    return null;
  }

  function toLayers(geometry) {
    var latlng = function (c) { return [c[1], c[0]]; };
    if (geometry.type === "Point") {
      return [L.marker(latlng(geometry.coordinates), { icon: pointIcon() })];
    }
    var lines = geometry.type === "LineString" ? [geometry.coordinates] : geometry.coordinates;
    return lines.map(function (line) { return L.polyline(line.map(latlng)); });
  }

  function setUp(widget) {
    var data = JSON.parse(document.getElementById(widget.dataset.map).textContent);
    var field = document.getElementById(widget.dataset.field);
    var container = widget.querySelector(".geometry-widget__map");
    var message = widget.querySelector(".geometry-widget__message");
    container.hidden = false;
    widget.querySelector(".geometry-widget__help").hidden = false;

    var map = L.map(container, { scrollWheelZoom: false });
    window.PortalMap.background(map, container, data);
    map.pm.setLang("portal", data.geoman, "en");
    map.pm.setGlobalOptions({ markerStyle: { icon: pointIcon() } });
    map.pm.addControls({
      position: "topleft",
      drawMarker: true,
      drawPolyline: true,
      drawPolygon: false,
      drawRectangle: false,
      drawCircle: false,
      drawCircleMarker: false,
      drawText: false,
      cutPolygon: false,
      rotateMode: false,
      editMode: true,
      dragMode: true,
      removalMode: true,
    });

    var layers = [];

    function say(text) {
      message.textContent = text || "";
      message.hidden = !text;
    }

    function write() {
      var geometry = toGeometry(layers);
      field.value = geometry ? JSON.stringify(geometry) : "";
    }

    function keep(layer) {
      layers.push(layer);
      layer.on("pm:edit pm:dragend", write);
    }

    function forget(layer) {
      layers = layers.filter(function (other) { return other !== layer; });
    }

    function draw(geometry, fit) {
      layers.forEach(function (layer) { layer.remove(); });
      layers = [];
      if (geometry) {
        toLayers(geometry).forEach(function (layer) { layer.addTo(map); keep(layer); });
      }
      var group = L.featureGroup(layers);
      if (fit && layers.length) {
        map.fitBounds(group.getBounds(), { maxZoom: 16, padding: [24, 24] });
      }
    }

    function read() {
      var text = field.value.trim();
      if (!text || text === "null") {
        return null;
      }
      var geometry = JSON.parse(text);
      if (!geometry || ["Point", "LineString", "MultiLineString"].indexOf(geometry.type) < 0) {
        throw new Error("not a geometry");
      }
      toLayers(geometry); // throws on coordinates Leaflet cannot read
      return geometry;
    }

    map.on("pm:create", function (event) {
      var isPoint = event.layer instanceof L.Marker;
      var clash = layers.filter(function (layer) {
        return isPoint || layer instanceof L.Marker;
      });
      if (clash.length) {
        clash.forEach(function (layer) { layer.remove(); forget(layer); });
        say(data.messages.mixed);
      } else {
        say("");
      }
      keep(event.layer);
      write();
    });
    map.on("pm:remove", function (event) {
      forget(event.layer);
      write();
    });
    field.addEventListener("change", function () {
      try {
        draw(read(), true);
        say("");
      } catch (error) {
        say(data.messages.unreadable);
      }
    });

    map.fitBounds(window.PortalMap.districtBounds(data) || [[8, 102], [23.5, 110]]);
    try {
      draw(read(), true);
    } catch (error) {
      say(data.messages.unreadable);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".geometry-widget").forEach(setUp);
  });
})();
