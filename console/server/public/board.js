/* The web board: the latest call huge, the last calls, waiting per service; captions
   alternate between Chinese and English; reconnects by itself; optional speech
   (?voice=1) through the browser's speech synthesis, Chinese then English. */
(function () {
  'use strict';
  var body = document.body;
  var search = window.location.search;
  var params = new URLSearchParams(search);
  var voice = params.get('voice') === '1' && 'speechSynthesis' in window;
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

  function speak(call) {
    if (!voice) { return; }
    [[call.say_zh, 'zh-CN'], [call.say_en, 'en-US']].forEach(function (pair) {
      var u = new SpeechSynthesisUtterance(pair[0]);
      u.lang = pair[1];
      window.speechSynthesis.speak(u);
    });
  }

  function show(b) {
    el('hall').textContent = b.hall;
    el('closed').hidden = b.open;
    var latest = b.calls[0];
    if (latest) {
      el('now-number').textContent = latest.number;
      both(el('now-counter'), counter('zh', latest.counter), counter('en', latest.counter));
      if (lastKey !== null && latest.key !== lastKey) {
        var now = el('now');
        now.classList.remove('new');
        void now.offsetWidth; /* restart the flash */
        now.classList.add('new');
        speak(latest);
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
