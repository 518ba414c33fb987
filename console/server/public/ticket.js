/* The ticket's queue page: live updates (Server-Sent Events, polling when they fail),
   and a vibration and a beep when the ticket is called. No framework, no cookies. */
(function () {
  'use strict';
  var body = document.body;
  var code = body.getAttribute('data-code');
  var lang = body.getAttribute('data-lang');
  var base = '/t/' + encodeURIComponent(code);
  var query = '?lang=' + encodeURIComponent(lang);
  var last = {
    state: (body.className.match(/state-(\S+)/) || [])[1],
    recalls: +body.getAttribute('data-recalls')
  };
  var audio = null;
  var armed = false;
  var source = null;
  var polling = null;
  var failures = 0;
  var done = false;

  function el(id) { return document.getElementById(id); }

  function beep() {
    if (!audio) { return; }
    [0, 0.45, 0.9].forEach(function (at) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.3;
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start(audio.currentTime + at);
      osc.stop(audio.currentTime + at + 0.3);
    });
  }

  function alertCall() {
    /* browsers allow vibration and sound only after a tap: the alert button is that tap */
    if (!armed) { return; }
    if (navigator.vibrate) {
      try { navigator.vibrate([400, 200, 400, 200, 400]); } catch (e) { /* not allowed here */ }
    }
    beep();
  }

  function show(t) {
    el('number').textContent = t.number;
    el('service').textContent = t.service;
    el('headline').textContent = t.headline;
    el('detail').textContent = t.detail;
    document.title = t.number + ' · ' + t.headline;
    body.className = 'page ticket state-' + t.state;
    var rate = el('rate');
    if (t.rate_url) { rate.href = t.rate_url; rate.hidden = false; } else { rate.hidden = true; }
    if (t.state === 'called' && (last.state !== 'called' || t.recalls !== last.recalls)) { alertCall(); }
    last = t;
    if (t.final) { stop(); }
  }

  function online(yes) {
    el('live').hidden = !yes;
    el('offline').hidden = yes;
  }

  function stop() {
    done = true;
    if (source) { source.close(); source = null; }
    if (polling) { clearInterval(polling); polling = null; }
    el('live').hidden = true;
    el('offline').hidden = true;
  }

  function poll() {
    /* XMLHttpRequest rather than fetch: older in-app browsers (WeChat's) lack fetch */
    if (done) { return; }
    var request = new XMLHttpRequest();
    request.open('GET', base + '/state' + query);
    request.onload = function () {
      if (request.status !== 200) { online(false); return; }
      online(true);
      show(JSON.parse(request.responseText));
    };
    request.onerror = function () { online(false); };
    request.send();
  }

  function startPolling() {
    if (source) { source.close(); source = null; }
    if (!polling && !done) { polling = setInterval(poll, 3000); poll(); }
  }

  function listen() {
    if (!window.EventSource) { startPolling(); return; }
    source = new EventSource(base + '/events' + query);
    source.addEventListener('open', function () { failures = 0; online(true); });
    source.addEventListener('state', function (e) { show(JSON.parse(e.data)); });
    source.addEventListener('end', stop);
    source.addEventListener('error', function () {
      if (done) { return; }
      online(false);
      failures += 1;
      if (failures >= 3 || source.readyState === 2) { startPolling(); }
    });
  }

  var button = el('alert');
  var Audio = window.AudioContext || window.webkitAudioContext;
  if ((Audio || navigator.vibrate) && !last.state.match(/finished|missed|cancelled|expired/)) {
    button.hidden = false;
    button.addEventListener('click', function () {
      armed = true;
      if (Audio && !audio) { audio = new Audio(); }
      if (audio && audio.resume) { audio.resume(); }
      beep();
      if (navigator.vibrate) { try { navigator.vibrate(100); } catch (e) { /* ignore */ } }
      button.textContent = button.getAttribute('data-on');
      button.disabled = true;
    });
  }
  document.addEventListener('visibilitychange', function () {
    if (!document.hidden && polling) { poll(); }
  });
  if (!/finished|missed|cancelled|expired/.test(last.state)) { listen(); }
}());
