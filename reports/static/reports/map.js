/* The map of the villages (reports/map.html): Leaflet from npm, served by the app.
   The points and commune labels come in the page (json_script); the background tiles from
   MAP_TILE_URL, when set. Without tiles (none configured, or the server unreachable) the map
   keeps its points, labels and legend on a plain background and the notice says so.
   Text from the data is always set as text, never as HTML. */
(function () {
  "use strict";

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : [];
  }

  function card(point) {
    var template = document.getElementById("map-card-template");
    var box = template.content.firstElementChild.cloneNode(true);
    function slot(name) {
      return box.querySelector('[data-slot="' + name + '"]');
    }
    slot("name").textContent = point.name;
    slot("place").textContent = point.district
      ? point.place + ", " + point.district
      : point.place;
    var symbol = slot("symbol");
    symbol.className = "map-pin map-pin-" + point.kind;
    symbol.textContent = point.symbol;
    slot("result").textContent = point.result;
    slot("demo").hidden = !point.demo;
    slot("link").href = point.url;
    slot("link").setAttribute("aria-label", slot("link").textContent + ": " + point.name);
    return box;
  }

  function pin(point) {
    var element = document.createElement("span");
    element.className = "map-pin map-pin-" + point.kind;
    element.textContent = point.symbol;
    return L.divIcon({ html: element, className: "map-pin-box", iconSize: [24, 24] });
  }

  function communeLabel(commune) {
    var element = document.createElement("span");
    element.textContent = commune.name;
    return L.divIcon({ html: element, className: "map-commune", iconSize: null, iconAnchor: [0, 0] });
  }

  function showPlain(box) {
    box.classList.add("village-map-plain");
    var notice = document.getElementById("map-notice");
    if (notice) {
      notice.hidden = false;
    }
  }

  function start() {
    var box = document.getElementById("village-map");
    if (!box || typeof L === "undefined") {
      return;
    }
    var points = readJson("map-points");
    var communes = readJson("map-communes");
    var map = L.map(box, { scrollWheelZoom: false });
    map.attributionControl.setPrefix("Leaflet");
    // the view first: Leaflet places nothing on a map without one
    if (points.length) {
      map.fitBounds(
        points.map(function (point) {
          return [point.lat, point.lon];
        }),
        { padding: [32, 32], maxZoom: 13 }
      );
    } else {
      map.setView([16.0, 106.5], 5); // Vietnam
    }

    var tiles = box.dataset.tiles;
    if (tiles) {
      var layer = L.tileLayer(tiles, {
        maxZoom: 18,
        attribution: box.dataset.attribution
          .replace(/&/g, "&amp;")
          .replace(/</g, "&lt;")
          .replace(/>/g, "&gt;"),
      });
      layer.once("tileerror", function () {
        map.removeLayer(layer);
        showPlain(box);
      });
      layer.addTo(map);
    }

    communes.forEach(function (commune) {
      L.marker([commune.lat, commune.lon], {
        icon: communeLabel(commune),
        interactive: false,
        keyboard: false,
      }).addTo(map);
    });

    points.forEach(function (point) {
      var marker = L.marker([point.lat, point.lon], {
        icon: pin(point),
        title: point.name + ": " + point.result,
        riseOnHover: true,
      });
      marker.bindPopup(function () {
        return card(point);
      });
      marker.on("popupopen", function (event) {
        var link = event.popup.getElement().querySelector('[data-slot="link"]');
        if (link) {
          link.focus();
        }
      });
      marker.addTo(map);
      var element = marker.getElement();
      element.setAttribute("aria-label", point.name + ": " + point.result);
      element.dataset.code = point.code;
    });

    box.dataset.ready = "1";
  }

  document.addEventListener("DOMContentLoaded", start);
})();
