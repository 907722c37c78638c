/* support-policies: "when will I hear back?" and "open now", in the reader's browser.
 *
 * Reads one file the site publishes beside it, data/calendars.json: every clock's open
 * intervals as exact UTC instants and each local day's opening and closing, computed by the
 * Python engine (support_policies.calendar) for a window around the build date. This script
 * only walks those numbers, so its due times are the engine's whatever time-zone database the
 * browser has; the browser's zones are used only to show an instant in a zone.
 *
 * window.supportPolicies:
 *   ready                                 a Promise, settled when the data is loaded
 *   deadline({tier, severity, promise, filedAt, region})
 *                                         the due instant (ISO 8601 UTC), or null when the plan
 *                                         does not cover it; throws RangeError outside the data
 *   isOpen(clock, at)                     whether the clock runs at that instant
 *   nextOpening(clock, at) / nextClosing(clock, at)
 *                                         ISO 8601 UTC, or null when the data ends first
 *
 * No network request but that file; no dependencies; the page is complete without it. Policy
 * text is shown with textContent only.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var dataUrl = script ? new URL("../data/calendars.json", script.src).href : null;
  var data = null;
  var UNIT_MS = { m: 60000, h: 3600000, d: 86400000, w: 604800000 };

  function parseDuration(text) {
    var match = /^(\d+)(m|h|d|w)$/.exec(text);
    if (!match) throw new Error("not a duration: " + text);
    return { amount: Number(match[1]), unit: match[2], ms: Number(match[1]) * UNIT_MS[match[2]] };
  }

  function instant(value) {
    var t = value instanceof Date ? value.getTime() : typeof value === "number" ? value : Date.parse(value);
    if (!isFinite(t)) throw new TypeError("not an instant: " + value);
    return t;
  }

  // An answer the published data cannot give; the calculator says why in the page's language
  // (messages "reason.<code>"), the API's callers read the English message.
  function refused(code, message) {
    var error = new RangeError(message);
    error.reason = code;
    return error;
  }

  function need() {
    if (data === null) throw new Error("support-policies: data/calendars.json is not loaded yet (await ready)");
    return data;
  }

  function calendar(clock) {
    var found = need().calendars[clock];
    if (!found) throw refused("no-calendar", "no published calendar for the clock '" + clock + "'");
    return found;
  }

  function beyond() {
    return refused("beyond-data", "beyond the published calendar data (built " + need().built + ")");
  }

  // The first index whose element's key is greater than t (keys sorted).
  function after(list, t, key) {
    var lo = 0, hi = list.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (key(list[mid]) > t) hi = mid; else lo = mid + 1;
    }
    return lo;
  }

  function endOf(interval) { return interval[1]; }
  function midnightOf(day) { return day[1]; }

  function nextOpen(cal, t) {
    if (cal.round_the_clock) return t;
    var i = after(cal.open, t, endOf);
    if (i >= cal.open.length) throw beyond();
    return Math.max(cal.open[i][0], t);
  }

  function addOpenTime(cal, t, length) {
    var i = after(cal.open, t, endOf);
    var remaining = length;
    var position = t;
    for (; i < cal.open.length; i++) {
      position = Math.max(position, cal.open[i][0]);
      var available = cal.open[i][1] - position;
      if (remaining <= available) return position + remaining;
      remaining -= available;
    }
    throw beyond();
  }

  function dayIndex(cal, t) {
    var i = after(cal.days, t, midnightOf) - 1;
    if (i < 0 || i + 1 >= cal.days.length) throw beyond();
    return i;
  }

  function wallMidnight(day) {
    var parts = day[0].split("-");
    return Date.UTC(Number(parts[0]), Number(parts[1]) - 1, Number(parts[2]));
  }

  // The n-th open day after day index d (d itself when n is 0).
  function openDay(cal, d, n) {
    var i = d;
    while (n > 0) {
      i += 1;
      if (i >= cal.days.length - 1) throw beyond();
      if (cal.days[i][3] !== null) n -= 1;
    }
    return i;
  }

  // The instant of wall-clock time `wall` on day index d: a gap time moves to the change,
  // a repeated time is its first occurrence (as the engine reads wall-clock times).
  function fromWall(day, wall) {
    var first = wall - day[2];
    var shift = day[5];
    if (shift === null || first < shift[0]) return first;
    var second = wall - shift[2];
    return second >= shift[0] ? second : shift[0];
  }

  function addDays(cal, t, amount) {
    var open = isOpenAt(cal, t);
    if (open) {
      var d = dayIndex(cal, t);
      var day = cal.days[d];
      var offset = day[5] !== null && t >= day[5][0] ? day[5][2] : day[2];
      var wall = t + offset - wallMidnight(day);
      var target = cal.days[openDay(cal, d, amount)];
      var due = fromWall(target, wallMidnight(target) + wall);
      return Math.min(Math.max(due, target[3]), target[4]);
    }
    var first = dayIndex(cal, nextOpen(cal, t));
    return cal.days[openDay(cal, first, amount - 1)][4];
  }

  function isOpenAt(cal, t) {
    if (cal.round_the_clock) return true;
    var i = after(cal.open, t, endOf);
    if (i >= cal.open.length) throw beyond();
    return cal.open[i][0] <= t;
  }

  function add(cal, t, duration) {
    if (cal.round_the_clock) return t + duration.ms;
    if (duration.amount === 0) return nextOpen(cal, t);
    if (duration.unit === "m" || duration.unit === "h") return addOpenTime(cal, t, duration.ms);
    if (duration.unit === "d") return addDays(cal, t, duration.amount);
    return nextOpen(cal, t) + duration.ms;
  }

  function clockOf(promise, region) {
    var regions = Object.keys(promise.regions);
    if (regions.length === 0) return promise.clock;
    var match = regions.filter(function (r) { return region && r.toLowerCase() === String(region).toLowerCase(); });
    if (match.length === 0) throw refused("needs-region", "the clock '" + promise.clock + "' depends on the customer's region: one of " + regions.join(", "));
    return promise.regions[match[0]];
  }

  function findPromise(tier, severity, kind) {
    var plan = need().plans[tier];
    if (!plan) throw refused("unknown-plan", "no plan has the id '" + tier + "'");
    var target = plan.severities[severity];
    return target ? target[kind || "acknowledge"] || null : null;
  }

  function checkFiling(t) {
    var filings = need().filings;
    if (t < filings.from || t >= filings.until) {
      throw refused("outside-filings", "filings from " + filings.from_iso + " until " + filings.until_iso + " only");
    }
  }

  function dueMs(args) {
    var promise = findPromise(args.tier, args.severity, args.promise);
    if (promise === null) return null;
    var t = instant(args.filedAt === undefined ? Date.now() : args.filedAt);
    checkFiling(t);
    var due = add(calendar(clockOf(promise, args.region)), t, parseDuration(promise.max));
    if (due >= need().data_until) throw beyond();
    return due;
  }

  function iso(t) { return t === null ? null : new Date(t).toISOString(); }

  function nextChange(clock, at, opening) {
    var cal = calendar(clock);
    if (cal.round_the_clock) return null;
    var t = instant(at === undefined ? Date.now() : at);
    var i = after(cal.open, t, endOf);
    if (i >= cal.open.length) return null;
    if (opening) return iso(cal.open[i][0] > t ? cal.open[i][0] : (i + 1 < cal.open.length ? cal.open[i + 1][0] : null));
    return iso(cal.open[i][1]);
  }

  var api = {
    ready: null,
    data: function () { return data; },
    deadline: function (args) { var due = dueMs(args || {}); return due === null ? null : iso(due); },
    isOpen: function (clock, at) { return isOpenAt(calendar(clock), instant(at === undefined ? Date.now() : at)); },
    nextOpening: function (clock, at) { return nextChange(clock, at, true); },
    nextClosing: function (clock, at) { return nextChange(clock, at, false); },
  };

  // --- showing instants ------------------------------------------------------------------------

  // Every sentence comes from data/calendars.json, in the page's language: {name} marks a value.
  function say(key, values) {
    var text = data.messages[key];
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function readerZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC"; } catch (e) { return "UTC"; }
  }

  function shown(t, zone) {
    try {
      return new Intl.DateTimeFormat(data.locale, {
        weekday: "long", day: "numeric", month: "long", year: "numeric",
        hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone,
      }).format(new Date(t)) + " " + zone;
    } catch (e) {
      return new Date(t).toISOString().replace("T", " ").slice(0, 16) + " UTC";
    }
  }

  function brief(t, zone) {
    try {
      return new Intl.DateTimeFormat(data.locale, {
        weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
        hourCycle: "h23", timeZone: zone,
      }).format(new Date(t)) + " " + zone;
    } catch (e) {
      return new Date(t).toISOString().replace("T", " ").slice(0, 16) + " UTC";
    }
  }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function localInput(t) {
    var d = new Date(t - new Date(t).getTimezoneOffset() * 60000);
    return d.toISOString().slice(0, 16);
  }

  function both(t, zone) {
    var mine = brief(t, readerZone()), theirs = brief(t, zone);
    return readerZone() === zone ? theirs : say("your_time_and_theirs", { mine: mine, theirs: theirs });
  }

  // --- "open now" badges ----------------------------------------------------------------------

  function badge(node) {
    var clock = node.getAttribute("data-sp-clock");
    var cal = data.calendars[clock];
    if (!cal) return;
    var t = Date.now();
    var text;
    try {
      if (cal.round_the_clock) {
        text = say("open_around_the_clock");
      } else if (isOpenAt(cal, t)) {
        text = say("open_closes", { time: both(instant(api.nextClosing(clock, t)), cal.zone) });
      } else {
        var opens = api.nextOpening(clock, t);
        text = opens === null ? say("closed") : say("closed_opens", { time: both(instant(opens), cal.zone) });
      }
    } catch (e) {
      text = say("hours_unknown");
    }
    node.textContent = text;
    node.hidden = false;
  }

  // --- the calculator -------------------------------------------------------------------------

  var counter = 0;

  function calculator(root) {
    var plans = data.plans;
    var ids = Object.keys(plans);
    counter += 1;
    var prefix = "sp-calc-" + counter + "-";
    root.textContent = "";
    var form = element("form", null, "sp-calculator__form");
    form.setAttribute("aria-label", say("form"));
    form.addEventListener("submit", function (event) { event.preventDefault(); update(); });

    function field(labelText, control, id) {
      var wrap = element("p", null, "sp-calculator__field");
      var label = element("label", labelText);
      label.setAttribute("for", id);
      control.id = id;
      wrap.appendChild(label);
      wrap.appendChild(control);
      form.appendChild(wrap);
      return control;
    }

    var plan = element("select");
    plan.appendChild(new Option(say("all_plans"), ""));
    ids.forEach(function (id) { plan.appendChild(new Option(plans[id].name, id)); });
    var fixed = root.getAttribute("data-sp-tier");
    if (fixed && plans[fixed]) plan.value = fixed;
    field(say("plan"), plan, prefix + "plan");
    var severity = element("select");
    data.severities.forEach(function (s) { severity.appendChild(new Option(s.rank + ": " + s.name, s.id)); });
    field(say("severity"), severity, prefix + "severity");
    var filed = element("input");
    filed.type = "datetime-local";
    filed.value = localInput(Date.now());
    field(say("filed_at", { zone: readerZone() }), filed, prefix + "filed");
    // A plan whose hours depend on the customer's region (by_region) needs the reader's region.
    var regionNames = [];
    ids.forEach(function (id) {
      Object.keys(plans[id].severities).forEach(function (s) {
        Object.keys(plans[id].severities[s]).forEach(function (kind) {
          Object.keys(plans[id].severities[s][kind].regions).forEach(function (r) {
            if (regionNames.indexOf(r) < 0) regionNames.push(r);
          });
        });
      });
    });
    var region = null;
    if (regionNames.length > 0) {
      region = element("select");
      regionNames.forEach(function (r) { region.appendChild(new Option(r, r)); });
      field(say("region"), region, prefix + "region");
    }
    var output = element("div", null, "sp-calculator__result");
    output.setAttribute("aria-live", "polite");
    output.id = prefix + "result";
    root.appendChild(form);
    root.appendChild(output);
    [plan, severity, filed, region].forEach(function (c) {
      if (c === null) return;
      c.addEventListener("change", update);
      c.addEventListener("input", update);
    });

    function row(list, tier, kind, promise, t) {
      var item = element("li");
      var planName = plans[tier].name;
      var head = say("row", { plan: planName, promise: say("promise." + kind) }) + " ";
      var due;
      try {
        due = api.deadline({ tier: tier, severity: severity.value, promise: kind, filedAt: t, region: region && region.value });
      } catch (e) {
        var why = e.reason ? say("reason." + e.reason, { first: data.filings.from_iso.slice(0, 10), last: data.filings.until_iso.slice(0, 10) }) : say("reason.other");
        item.textContent = head + say("not_computed", { reason: why });
        list.appendChild(item);
        return;
      }
      var cal = data.calendars[clockOf(promise, region && region.value)];
      item.appendChild(element("strong", head));
      item.appendChild(document.createTextNode(say("due_by", { time: shown(instant(due), readerZone()) })));
      if (cal && cal.zone !== readerZone()) {
        item.appendChild(document.createTextNode(" (" + shown(instant(due), cal.zone) + ")"));
      }
      var notes = [];
      notes.push(cal.round_the_clock ? say("every_hour_counts") : say("open_hours_count", { schedule: cal.name, zone: cal.zone }));
      if (Object.keys(promise.regions).length > 0) notes.push(say("region_hours", { region: region.value }));
      if (promise.best_effort) notes.push(say("best_effort"));
      if (promise.conditional) notes.push(say("conditional"));
      if (plans[tier].starts === "confirmed") notes.push(say("confirmed"));
      if (plans[tier].pauses) notes.push(say("pauses"));
      item.appendChild(element("small", " — " + notes.filter(Boolean).join("; ") + "."));
      list.appendChild(item);
    }

    function update() {
      output.textContent = "";
      var t = filed.value ? Date.parse(filed.value) : Date.now();  // a local date-time: the reader's zone
      if (!isFinite(t)) { output.appendChild(element("p", say("enter_filing"))); return; }
      var list = element("ul");
      var chosen = plan.value ? [plan.value] : ids;
      var any = false;
      chosen.forEach(function (tier) {
        var target = plans[tier].severities[severity.value];
        if (!target || Object.keys(target).length === 0) {
          list.appendChild(element("li", say("not_covered", { plan: plans[tier].name })));
          return;
        }
        Object.keys(target).forEach(function (kind) { any = true; row(list, tier, kind, target[kind], t); });
      });
      output.appendChild(list);
      if (any) output.appendChild(element("p", say("note", { first: data.filings.from_iso.slice(0, 10), last: data.filings.until_iso.slice(0, 10) }), "sp-calculator__note"));
    }

    update();
  }

  function start() {
    document.querySelectorAll("[data-sp-clock]").forEach(badge);
    document.querySelectorAll(".sp-calculator").forEach(calculator);
    if (!window.__spBadgeTimer) {
      window.__spBadgeTimer = setInterval(function () {
        document.querySelectorAll("[data-sp-clock]").forEach(badge);
      }, 30000);
    }
  }

  // "Was this page useful?" with a form endpoint: the answer is posted without leaving the page
  // (form data: page, rating, path), and the result is announced. Nothing is sent before the
  // reader picks an answer; the issue and email variants are plain links and need no script.
  function feedback(form) {
    if (form.dataset.spReady) return;
    form.dataset.spReady = "1";
    var status = form.parentNode.querySelector(".sp-feedback__status");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var chosen = event.submitter || form.querySelector("button[name=rating]");
      var answer = new URLSearchParams();
      answer.set("page", form.elements.page.value);
      answer.set("rating", chosen.value);
      answer.set("path", location.pathname);
      form.querySelectorAll("button").forEach(function (button) {
        button.disabled = true;
        button.setAttribute("aria-pressed", String(button === chosen));
      });
      status.textContent = form.getAttribute("data-sp-sending");
      fetch(form.action, { method: "POST", body: answer, mode: "cors", credentials: "omit" })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          status.textContent = form.getAttribute("data-sp-sent").replace("{answer}", chosen.textContent.trim());
        })
        .catch(function (error) {
          status.textContent = form.getAttribute("data-sp-failed").replace("{reason}", error.message);
          form.querySelectorAll("button").forEach(function (button) { button.disabled = false; });
        });
    });
  }

  function startFeedback() { document.querySelectorAll("form[data-sp-feedback]").forEach(feedback); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startFeedback); else startFeedback();
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(startFeedback);

  api.ready = dataUrl === null ? Promise.reject(new Error("no script address")) : fetch(dataUrl, { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) throw new Error("data/calendars.json: HTTP " + response.status);
      return response.json();
    })
    .then(function (loaded) {
      data = loaded;
      if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
      if (window.document$ && window.document$.subscribe) window.document$.subscribe(start);  // Material's instant loading
      return api;
    });
  api.ready.catch(function () {});
  window.supportPolicies = api;
})();
