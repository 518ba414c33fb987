/* The web board: the latest call huge, the last calls, waiting per service; captions
   alternate between Chinese and English; reconnects by itself. With ?voice=1 it
   announces each call and recall in order: the WAV the server makes for it (the hall's
   own announcement), else the browser's speech synthesis with the hall's words. Browsers
   play sound only after a person has touched the page: it asks for one tap. */
(function () {
  'use strict';
  var body = document.body;
  var search = window.location.search;
  var params = new URLSearchParams(search);
  var voice = params.get('voice') === '1';
  var unlocked = false;
  var heard = null; /* the calls' keys already announced (or there when the page opened) */
  var pending = []; /* calls to announce, oldest first */
  var current = null;
  var player = document.getElementById('voice');
  var lastKey = null;
  var source = null;
  var polling = null;

  function el(id) { return document.getElementById(id); }

  function counter(lang, n) {
    return body.getAttribute('data-counter-' + lang).replace('{counter}', n);
  }

  function span(lang, text) {
    var s = document.createElement('span');
    s.className = lang;
    s.textContent = text;
    return s;
  }

  function both(node, zh, en) {
    node.textContent = '';
    node.appendChild(span('zh', zh));
    node.appendChild(span('en', en));
  }

  function row(left, right) {
    var li = document.createElement('li');
    li.appendChild(left);
    li.appendChild(right);
    return li;
  }

  /* -- the voice: one call at a time, in call order -------------------------------- */
  function listenFor(b) {
    if (!voice) { return; }
    var fresh = [];
    b.calls.forEach(function (c) {
      if (heard !== null && !heard[c.key]) { fresh.unshift(c); }
    });
    heard = {};
    b.calls.forEach(function (c) { heard[c.key] = true; });
    pending = pending.concat(fresh);
    next();
  }

  function next() {
    if (current || !unlocked || !pending.length) { return; }
    current = pending.shift();
    var address = current.audio + (search ? search + '&' : '?') + 'short=' + (pending.length ? 1 : 0);
    player.src = address;
    var started = player.play();
    if (started && started.catch) { started.catch(function () { fallback(); }); }
  }

  function done() {
    current = null;
    next();
  }

  function fallback() {
    /* no WAV from the server (no synthesizer there) or it would not play: the browser's
       own voices, if it has any, say the hall's words */
    var call = current;
    if (!call || call.fellBack) { return; } /* the error event and play() both tell */
    call.fellBack = true;
    if (!('speechSynthesis' in window) || !call.say.length) { done(); return; }
    call.say.forEach(function (s, i) {
      var u = new SpeechSynthesisUtterance(s.text);
      u.lang = s.lang === 'en' ? 'en-US' : 'zh-CN';
      if (i === call.say.length - 1) { u.onend = done; u.onerror = done; }
      window.speechSynthesis.speak(u);
    });
  }

  function unlock() {
    if (unlocked) { return; }
    unlocked = true;
    el('tap').hidden = true;
    el('sound-on').hidden = false;
    setTimeout(function () { el('sound-on').hidden = true; }, 5000);
    next();
  }

  if (voice) {
    el('tap').hidden = false;
    player.addEventListener('ended', done);
    player.addEventListener('error', fallback);
    ['click', 'touchend', 'keydown'].forEach(function (kind) {
      document.addEventListener(kind, unlock);
    });
  }

  function show(b) {
    el('hall').textContent = b.hall;
    el('closed').hidden = b.open;
    both(el('closed'), b.closed.zh, b.closed.en);
    var latest = b.calls[0];
    if (latest) {
      el('now-number').textContent = latest.number;
      both(el('now-counter'), counter('zh', latest.counter), counter('en', latest.counter));
      if (lastKey !== null && latest.key !== lastKey) {
        var now = el('now');
        now.classList.remove('new');
        void now.offsetWidth; /* restart the flash */
        now.classList.add('new');
      }
      lastKey = latest.key;
    } else {
      lastKey = '';
    }
    var recent = el('recent');
    recent.textContent = '';
    b.calls.slice(0, 5).forEach(function (c) {
      var number = document.createElement('span');
      number.textContent = c.number;
      var where = document.createElement('span');
      both(where, counter('zh', c.counter), counter('en', c.counter));
      recent.appendChild(row(number, where));
    });
    listenFor(b);
    var waiting = el('waiting');
    waiting.textContent = '';
    b.waiting.forEach(function (s) {
      var name = document.createElement('span');
      both(name, s.zh, s.en);
      var n = document.createElement('span');
      n.textContent = s.n;
      waiting.appendChild(row(name, n));
    });
  }

  function poll() {
    fetch('/board/state' + search, { cache: 'no-store', credentials: 'omit' })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (b) { el('offline').hidden = true; show(b); })
      .catch(function () { el('offline').hidden = false; });
  }

  function listen() {
    if (!window.EventSource) { polling = setInterval(poll, 2000); poll(); return; }
    source = new EventSource('/board/events' + search);
    source.addEventListener('open', function () { el('offline').hidden = true; });
    source.addEventListener('board', function (e) { show(JSON.parse(e.data)); });
    source.addEventListener('error', function () {
      el('offline').hidden = false;
      if (source.readyState === 2) { source.close(); setTimeout(listen, 3000); }
    });
  }

  setInterval(function () {
    body.classList.toggle('show-zh');
    body.classList.toggle('show-en');
  }, 8000);
  listen();
}());
