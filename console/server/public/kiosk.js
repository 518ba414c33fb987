// The self-service kiosk: large buttons, a pinyin-initials search, an ID card as the key
// to the green channel, and a page that never stays stuck.
//
// The ID number is checked here (GB 11643: ISO 7064 MOD 11-2) and only "at or over the
// hall's elderly age" leaves this page, as elderly: true. The number is forgotten at once.
"use strict";

(function () {
  const body = document.body;
  const $ = (id) => document.getElementById(id);
  const TOKEN_KEY = "qconsole-kiosk-token";
  const params = new URLSearchParams(location.search);
  const IDLE_S = Math.min(600, Math.max(1, Number(params.get("idle")) || 30));
  const REFRESH_S = 5;     // the buttons and the hall's clock, and "is the server there"
  const RETRY_S = 3;       // while lost
  const PRINT_WAIT_S = 20; // a slip not printed by then is a printer in trouble
  const FIRST_LANG = body.dataset.lang;
  const SENIOR_CHOICES = 4;

  // -- the ID card (GB 11643-1999) ----------------------------------------------------------
  const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const CHECK = "10X98765432";

  /** The birth date of a valid 18-character ID number, or null (bad form, checksum, date). */
  function idBirth(text) {
    const id = String(text).trim().toUpperCase();
    if (!/^[0-9]{17}[0-9X]$/.test(id)) return null;
    let sum = 0;
    for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * WEIGHTS[i];
    if (CHECK[sum % 11] !== id[17]) return null;
    const year = Number(id.slice(6, 10)), month = Number(id.slice(10, 12)), day = Number(id.slice(12, 14));
    const date = new Date(Date.UTC(year, month - 1, day));
    if (year < 1900 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1
        || date.getUTCDate() !== day) return null;
    return { year, month, day };
  }

  /** Whole years from a birth date to the hall's date ("YYYY-MM-DD"): never the machine's. */
  function ageOn(born, today) {
    const [year, month, day] = today.split("-").map(Number);
    let age = year - born.year;
    if (month < born.month || (month === born.month && day < born.day)) age -= 1;
    return age;
  }

  window.qconsoleKiosk = { idBirth, ageOn };

  // -- the station token: from the address's fragment once, then the browser's storage --------
  function takeToken() {
    const found = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (found) {
      localStorage.setItem(TOKEN_KEY, decodeURIComponent(found[1]));
      history.replaceState(null, "", location.pathname + location.search);
    }
    return localStorage.getItem(TOKEN_KEY) || "";
  }
  const token = takeToken();

  function newKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // -- state --------------------------------------------------------------------------------
  let lang = FIRST_LANG;
  let home = null;
  let drawn = "";
  let elderly = false;   // derived from an ID card; the number is never kept
  let senior = false;    // 老年模式
  let keys = new Map();  // one idempotency key per choice and visit: a double tap, one ticket
  let busy = false;
  let idTyped = "";
  let searchTyped = "";
  let foundDrawn = "";
  let lostNow = false;
  let slip = null;       // the print job being followed
  let shown = null;      // the ticket on screen

  function words(el, values) {
    let text = el.dataset[lang] || "";
    for (const [name, value] of Object.entries(values || {})) text = text.replace("{" + name + "}", value);
    el.textContent = text;
  }

  function show(screen) {
    for (const el of document.querySelectorAll(".screen")) el.hidden = el.id !== screen;
    body.dataset.screen = screen;
  }

  // -- the server -----------------------------------------------------------------------------
  async function api(method, path, payload, key) {
    const headers = { Authorization: "Bearer " + token };
    if (payload) headers["Content-Type"] = "application/json";
    if (key) headers["Idempotency-Key"] = key;
    let answer;
    try {
      answer = await fetch("/api/v1/kiosk/" + path, {
        method, headers, cache: "no-store", body: payload ? JSON.stringify(payload) : undefined,
      });
    } catch (error) {
      lost();
      throw error;
    }
    if (answer.status === 401 || answer.status === 403 || answer.status >= 500) {
      lost();
      throw new Error("kiosk answer " + answer.status);
    }
    back();
    return answer;
  }

  function lost() {
    if (!lostNow) {
      lostNow = true;
      $("lost").hidden = false;
      reset();
    }
  }

  function back() {
    lostNow = false;
    $("lost").hidden = true;
  }

  async function refresh() {
    try {
      const answer = await api("GET", "home");
      if (answer.ok) {
        home = await answer.json();
        drawHome();
      }
    } catch (error) {
      // the overlay says it; try again soon
    }
    setTimeout(refresh, (lostNow ? RETRY_S : REFRESH_S) * 1000);
  }

  // -- the first screen -------------------------------------------------------------------------
  function name(choice, which) {
    return which === "zh" ? choice.name_zh : choice.name_en || choice.name_zh;
  }

  function button(choice) {
    const el = document.createElement("button");
    el.type = "button";
    el.className = "choice";
    el.dataset.code = choice.code;
    el.dataset.kind = choice.kind;
    const main = document.createElement("span");
    main.className = "main";
    main.textContent = name(choice, lang);
    const other = document.createElement("span");
    other.className = "other";
    other.textContent = name(choice, lang === "zh" ? "en" : "zh");
    el.append(main, other);
    el.disabled = home !== null && !home.open;
    el.addEventListener("click", () => take(choice));
    return el;
  }

  function drawHome() {
    if (!home) return;
    const state = JSON.stringify([home.hall, home.open, home.next_opens, home.services, home.matters, lang, senior]);
    if (state === drawn) return;
    drawn = state;
    $("hall").textContent = home.hall;
    $("closed").hidden = home.open;
    words($("next-opens"), { when: home.next_opens || "" });
    $("next-opens").hidden = !home.next_opens;
    const services = senior ? home.services.slice(0, SENIOR_CHOICES) : home.services;
    $("services").replaceChildren(...services.map(button));
    $("matters").replaceChildren(...home.matters.map(button));
    $("matters").hidden = !home.matters.length;
    $("matters-title").hidden = !home.matters.length;
    requestAnimationFrame(fit);
  }

  /** Only whole buttons: one that would be cut by the screen's edge waits for the search. */
  function fit() {
    for (const box of [$("services"), $("matters")]) {
      for (const el of box.children) el.hidden = false;
      for (const el of box.children) el.hidden = el.offsetTop + el.offsetHeight > box.offsetTop + box.clientHeight;
    }
  }
  window.addEventListener("resize", fit);

  function banners() {
    $("green-banner").hidden = !elderly;
    if (elderly) words($("green-banner"), { age: home ? home.elderly_age : 60 });
  }

  // -- taking a ticket -------------------------------------------------------------------------
  async function take(choice) {
    if (busy) return; // the second tap of a double tap
    busy = true;
    const id = choice.kind + ":" + choice.code;
    if (!keys.has(id)) keys.set(id, newKey());
    show("busy");
    try {
      const answer = await api("POST", "tickets", { [choice.kind]: choice.code, elderly }, keys.get(id));
      if (answer.ok) showTicket(await answer.json());
      else show("refused");
    } catch (error) {
      // lost: the overlay is up and the kiosk is back at its first screen
    } finally {
      busy = false;
    }
  }

  function showTicket(ticket) {
    shown = ticket;
    $("number").textContent = ticket.number;
    drawTicket();
    $("green").hidden = !ticket.green;
    $("printing").hidden = false;
    $("take").hidden = true;
    $("trouble").hidden = true;
    show("ticket");
    slip = ticket.job ? { job: ticket.job, until: Date.now() + PRINT_WAIT_S * 1000 } : null;
    if (slip) followSlip(slip);
    else trouble("other");
  }

  function drawTicket() {
    if (!shown) return;
    $("what").textContent = lang === "zh" ? shown.matter_zh || shown.service_zh : shown.matter_en || shown.service_en;
    words($("ahead"), { ahead: shown.ahead, wait: shown.wait_min });
  }

  async function followSlip(following) {
    if (slip !== following) return; // the kiosk moved on
    let state = null;
    try {
      const answer = await api("GET", "print-jobs/" + following.job);
      if (answer.ok) state = await answer.json();
    } catch (error) {
      return;
    }
    if (slip !== following) return;
    if (state && state.status === "done") {
      $("printing").hidden = true;
      $("take").hidden = false;
      slip = null;
    } else if (state && (state.status === "failed" || state.status === "unconfirmed")) {
      trouble(state.trouble, state.floor_told);
    } else if (Date.now() > following.until) {
      trouble("other");
    } else {
      setTimeout(() => followSlip(following), 500);
    }
  }

  function trouble(kind, told) {
    slip = null;
    $("printing").hidden = true;
    $("trouble").hidden = false;
    $("paper-out").hidden = kind !== "paper_out";
    $("printer-trouble").hidden = kind === "paper_out";
    const qr = shown && shown.qr;
    $("qr").hidden = !qr;
    if (qr) $("qr").src = qr;
    $("scan").hidden = !qr;
    $("no-qr").hidden = Boolean(qr);
    $("staff-told").hidden = !told;
  }

  // -- the search by pinyin initials --------------------------------------------------------------
  function drawLetters() {
    const keysEl = $("letters");
    const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ".split("").map((letter) => key(letter, () => typeSearch(searchTyped + letter)));
    letters.push(key("⌫", () => typeSearch(searchTyped.slice(0, -1)), "wide"));
    letters.push(key(null, () => typeSearch(""), "wide", "clear"));
    keysEl.replaceChildren(...letters);
  }

  function key(label, press, wide, word) {
    const el = document.createElement("button");
    el.type = "button";
    el.className = "key" + (wide ? " wide" : "");
    if (word) {
      el.dataset.word = word;
      el.textContent = word === "clear" ? (lang === "zh" ? "清除" : "Clear") : "";
    } else {
      el.textContent = label;
      el.dataset.key = label;
    }
    el.addEventListener("click", press);
    return el;
  }

  async function typeSearch(text) {
    searchTyped = text.slice(0, 20);
    $("search-text").textContent = searchTyped;
    if (!searchTyped) {
      foundDrawn = "";
      $("found").replaceChildren();
      $("search-none").hidden = true;
      return;
    }
    const asked = searchTyped;
    try {
      const answer = await api("GET", "search?q=" + encodeURIComponent(asked));
      if (!answer.ok || asked !== searchTyped) return;
      const found = (await answer.json()).slice(0, 9);
      if (JSON.stringify(found) !== foundDrawn) {
        foundDrawn = JSON.stringify(found); // the same finds keep their buttons under a finger
        $("found").replaceChildren(...found.map(button));
      }
      $("search-none").hidden = found.length > 0;
    } catch (error) {
      // lost
    }
  }

  // -- the ID card: a reader typing as a keyboard, or the keys on screen ----------------------------
  function drawDigits() {
    const digits = "123456789X0".split("").map((digit) => key(digit, () => typeId(idTyped + digit)));
    digits.push(key("⌫", () => typeId(idTyped.slice(0, -1)), "wide"));
    $("digits").replaceChildren(...digits);
  }

  function typeId(text) {
    idTyped = text.toUpperCase().replace(/[^0-9X]/g, "").slice(0, 18);
    const groups = [idTyped.slice(0, 6), idTyped.slice(6, 14), idTyped.slice(14)].filter(Boolean);
    $("id-typed").textContent = groups.join(" ");
    $("id-bad").hidden = true;
  }

  function idDone() {
    const born = idBirth(idTyped);
    typeId(""); // forgotten before anything else happens
    const age = born && home ? ageOn(born, home.today) : -1;
    if (age < 0) {
      show("id");
      $("id-bad").hidden = false;
      return;
    }
    elderly = age >= home.elderly_age;
    $("read-banner").hidden = elderly;
    banners();
    if (elderly && !senior) setSenior(true);
    show("home");
  }

  let wedge = null; // a reader set to send no Enter: the 18th character, then a pause
  document.addEventListener("keydown", (event) => {
    const typed = event.key.length === 1 ? event.key.toUpperCase() : event.key;
    clearTimeout(wedge);
    if (/^[0-9]$/.test(typed) || (typed === "X" && idTyped.length === 17)) {
      typeId(idTyped + typed);
      event.preventDefault();
      if (idTyped.length === 18) wedge = setTimeout(idDone, 400);
    } else if (typed === "Enter" && idTyped) {
      idDone();
      event.preventDefault();
    } else if (typed === "Backspace" && body.dataset.screen === "id") {
      typeId(idTyped.slice(0, -1));
    } else if (/^[A-Z]$/.test(typed) && body.dataset.screen === "search") {
      typeSearch(searchTyped + typed);
    }
  });

  // -- 老年模式 and the spoken prompt ----------------------------------------------------------------
  function setSenior(on) {
    senior = on;
    body.classList.toggle("elderly", on);
    drawn = "";
    drawHome();
    if (on) speak();
  }

  function speak() {
    const audio = new Audio("/kiosk/prompt.wav?lang=" + lang);
    audio.play().then(() => { body.dataset.spoke = "wav"; }, speakInBrowser);
  }

  function speakInBrowser() {
    if (!("speechSynthesis" in window)) return;
    const said = new SpeechSynthesisUtterance($("prompt").dataset[lang]);
    said.lang = lang === "zh" ? "zh-CN" : "en-US";
    said.rate = 0.85;
    speechSynthesis.cancel();
    speechSynthesis.speak(said);
    body.dataset.spoke = "browser";
  }

  // -- never stuck ---------------------------------------------------------------------------------
  function setLang(which) {
    lang = which;
    body.classList.remove("lang-zh", "lang-en");
    body.classList.add("lang-" + which);
    document.documentElement.lang = which === "zh" ? "zh-CN" : "en";
    drawn = "";
    drawHome();
    drawTicket();
    drawLetters();
    banners();
  }

  function reset() {
    slip = null;
    shown = null;
    elderly = false;
    keys = new Map();
    typeId("");
    typeSearch("");
    $("read-banner").hidden = true;
    banners();
    if (senior) setSenior(false);
    if (lang !== FIRST_LANG) setLang(FIRST_LANG);
    show("home");
  }

  let idle = null;
  function touched() {
    clearTimeout(idle);
    idle = setTimeout(reset, IDLE_S * 1000);
  }
  for (const kind of ["pointerdown", "keydown", "touchstart"]) document.addEventListener(kind, touched, true);

  // -- wiring --------------------------------------------------------------------------------------
  $("mode").addEventListener("click", () => setSenior(!senior));
  $("switch").addEventListener("click", () => setLang(lang === "zh" ? "en" : "zh"));
  $("to-search").addEventListener("click", () => show("search"));
  $("to-id").addEventListener("click", () => { typeId(""); show("id"); });
  $("id-ok").addEventListener("click", idDone);
  $("done").addEventListener("click", reset);
  for (const el of document.querySelectorAll(".back")) el.addEventListener("click", () => { typeSearch(""); typeId(""); show("home"); });

  drawLetters();
  drawDigits();
  show("home");
  touched();
  refresh();
})();
