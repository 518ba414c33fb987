/* "Where to go now": refreshes the halls' figures every 30 s and, when asked, sorts them by
   distance from the phone. The position is used here only: it is never sent, nor kept. */
(function () {
  'use strict';
  var body = document.body;
  var list = document.getElementById('halls');
  var query = body.getAttribute('data-query');
  var when = /[?&]when=tonight/.test(window.location.search) ? '&when=tonight' : '';
  var here = null;

  function el(id) { return document.getElementById(id); }

  function part(tag, cls, text) {
    var node = document.createElement(tag);
    node.className = cls;
    if (text) { node.textContent = text; }
    return node;
  }

  function item(h) {
    var li = part('li', 'hall g-' + h.group + ' s-' + h.state + (h.stale ? ' stale' : ''));
    li.setAttribute('data-lat', h.lat === null ? '' : h.lat);
    li.setAttribute('data-lon', h.lon === null ? '' : h.lon);
    li.appendChild(part('p', 'name', h.name));
    li.appendChild(part('p', 'place', h.place));
    var status = part('p', 'status');
    status.appendChild(part('b', '', h.status));
    status.appendChild(document.createTextNode(' '));
    status.appendChild(part('span', 'dist'));
    li.appendChild(status);
    var figs = part('p', 'figs');
    figs.appendChild(part('b', 'wait', h.wait));
    figs.appendChild(document.createTextNode(' ' + [h.waiting, h.counters].filter(Boolean).join(' · ')));
    li.appendChild(figs);
    if (h.stale) { li.appendChild(part('p', 'stale-note', h.stale)); }
    return li;
  }

  function km(a, b) {
    /* the haversine distance, in kilometres */
    var rad = Math.PI / 180;
    var dlat = (b.lat - a.lat) * rad;
    var dlon = (b.lon - a.lon) * rad;
    var s = Math.sin(dlat / 2) * Math.sin(dlat / 2) +
      Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dlon / 2) * Math.sin(dlon / 2);
    return 12742 * Math.asin(Math.sqrt(s));
  }

  function byDistance() {
    if (!here) { return; }
    var items = Array.prototype.slice.call(list.children);
    var group = { 'g-now': 0, 'g-later': 1, 'g-closed': 2 };
    items.forEach(function (li) {
      var lat = parseFloat(li.getAttribute('data-lat'));
      var lon = parseFloat(li.getAttribute('data-lon'));
      var d = isNaN(lat) || isNaN(lon) ? Infinity : km(here, { lat: lat, lon: lon });
      li.distance = d;
      li.group = group[li.className.split(' ')[1]];
      li.querySelector('.dist').textContent = d === Infinity ? '' :
        body.getAttribute('data-km').replace('{km}', d < 10 ? d.toFixed(1) : Math.round(d));
    });
    items.sort(function (a, b) { return a.group - b.group || a.distance - b.distance; });
    items.forEach(function (li) { list.appendChild(li); });
  }

  function show(state) {
    list.textContent = '';
    state.halls.forEach(function (h) { list.appendChild(item(h)); });
    el('updated').textContent = state.updated;
    el('none').textContent = state.none_now;
    el('none').hidden = !state.none_now;
    byDistance();
  }

  function refresh() {
    /* XMLHttpRequest rather than fetch: older in-app browsers lack fetch */
    var request = new XMLHttpRequest();
    request.open('GET', '/where/state?' + query + when + '&lang=' + body.getAttribute('data-lang'));
    request.onload = function () {
      el('offline').hidden = request.status === 200;
      if (request.status === 200) { show(JSON.parse(request.responseText)); }
    };
    request.onerror = function () { el('offline').hidden = false; };
    request.send();
  }

  var near = el('near');
  if (query && navigator.geolocation) {
    near.hidden = false;
    near.addEventListener('click', function () {
      near.disabled = true;
      navigator.geolocation.getCurrentPosition(function (p) {
        here = { lat: p.coords.latitude, lon: p.coords.longitude };
        el('sorted').textContent = body.getAttribute('data-near-on');
        near.hidden = true;
        byDistance();
      }, function () {
        el('sorted').textContent = body.getAttribute('data-near-denied');
        near.disabled = false;
      }, { maximumAge: 300000, timeout: 15000 });
    });
  }
  if (query) {
    setInterval(function () { if (!document.hidden) { refresh(); } }, 30000);
    document.addEventListener('visibilitychange', function () { if (!document.hidden) { refresh(); } });
  }
}());
