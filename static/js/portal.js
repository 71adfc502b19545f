// Small behaviours of the portal pages; everything works without it except the
// live percentage of numeric questions and in-place saving.
(function () {
  "use strict";

  function parse(value) {
    var text = String(value || "").trim();
    if (text === "") return null;
    return /^[0-9]+$/.test(text) ? Number(text) : NaN;
  }

  function formatPersen(ratio) {
    return (Math.round(ratio * 10000) / 100).toFixed(2).replace(".", ",") + "%";
  }

  // The same rule as scoring.engine: info inputs are ignored; rasio = sum(pembilang) /
  // sum(penyebut); penurunan = (P - N) / P, P = 0 -> 100% if N = 0 else 0%; clamp 0..1.
  function computePersen(container) {
    var sums = {}, missing = false, invalid = false;
    // A derived total (Reform 5.iii "Jumlah yang harus melaporkan") is the sum of its rows.
    container.querySelectorAll("input[data-turunan]").forEach(function (total) {
      var sum = 0, complete = true;
      total.dataset.turunan.split(" ").forEach(function (code) {
        var part = container.querySelector('input[name="angka_' + code + '"]');
        var value = part ? parse(part.value) : null;
        if (value === null || Number.isNaN(value)) { complete = false; return; }
        sum += value;
      });
      total.value = complete ? String(sum) : "";
    });
    container.querySelectorAll("input[data-peran]").forEach(function (input) {
      var role = input.dataset.peran;
      if (role === "info") return;
      var value = parse(input.value);
      if (value === null) { missing = true; return; }
      if (Number.isNaN(value) || value < 0) { invalid = true; return; }
      sums[role] = (sums[role] || 0) + value;
    });
    var out = container.querySelector("[data-persen-hasil]");
    if (!out) return;
    if (invalid) { out.textContent = "angka tidak sah"; return; }
    if (missing) { out.textContent = "belum lengkap"; return; }
    var ratio;
    if (container.dataset.rumus === "penurunan") {
      var before = sums.sebelumnya || 0, now = sums.sekarang || 0;
      ratio = before === 0 ? (now === 0 ? 1 : 0) : (before - now) / before;
    } else {
      if (!sums.penyebut) {
        out.textContent = "tidak dapat dihitung: " + (container.dataset.kebijakan || "penyebut 0");
        return;
      }
      ratio = (sums.pembilang || 0) / sums.penyebut;
    }
    out.textContent = formatPersen(Math.min(1, Math.max(0, ratio)));
  }

  function initPersen(root) {
    root.querySelectorAll("[data-rumus]").forEach(function (container) {
      computePersen(container);
      container.addEventListener("input", function () { computePersen(container); });
    });
  }

  // Inline handlers are forbidden by the Content-Security-Policy: wire them here.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el instanceof HTMLElement && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.requestSubmit();
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  // Slow submits (signing a PDF takes seconds): show progress and block a second click.
  // Registered after the data-confirm handler, so a cancelled confirmation changes nothing.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-busy-form")) return;
    if (event.defaultPrevented) return;
    if (form.getAttribute("aria-busy") === "true") { event.preventDefault(); return; }
    var submitter = event.submitter;
    // Disabled buttons are not sent: carry the clicked button's name and value over.
    if (submitter && submitter.name) {
      var carried = document.createElement("input");
      carried.type = "hidden";
      carried.name = submitter.name;
      carried.value = submitter.value;
      carried.setAttribute("data-busy-carried", "");
      form.appendChild(carried);
    }
    var text = (submitter && submitter.dataset.busyText) || form.dataset.busyForm;
    form.setAttribute("aria-busy", "true");
    form.querySelectorAll("button").forEach(function (button) { button.disabled = true; });
    var status = document.createElement("span");
    status.setAttribute("role", "status");
    status.setAttribute("data-busy-status", "");
    status.className = "small";
    var spinner = document.createElement("span");
    spinner.className = "spinner-border spinner-border-sm me-1";
    spinner.setAttribute("aria-hidden", "true");
    status.appendChild(spinner);
    status.appendChild(document.createTextNode(text));
    (submitter && submitter.parentNode ? submitter.parentNode : form).appendChild(status);
  });
  // A page restored from the back-forward cache must not stay "busy".
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-busy-form][aria-busy=true]").forEach(function (form) {
      form.removeAttribute("aria-busy");
      form.querySelectorAll("button").forEach(function (button) { button.disabled = false; });
      form.querySelectorAll("[data-busy-status], [data-busy-carried]").forEach(function (el) { el.remove(); });
    });
  });

  // The worksheet (issue 13): one <details> per indikator. The open one is remembered per
  // penilaian and area; an anchor #q-<pk> (links from the dashboard, the submit page, a
  // notification) opens the indikator holding it; the search box filters the questions.
  function storageKey(sheet) { return "zi-worksheet-open:" + sheet.dataset.worksheet; }

  function remember(sheet, id) {
    try {
      if (id) window.localStorage.setItem(storageKey(sheet), id);
      else window.localStorage.removeItem(storageKey(sheet));
    } catch (e) { /* storage disabled: nothing to remember */ }
  }

  function recalled(sheet) {
    try { return window.localStorage.getItem(storageKey(sheet)); } catch (e) { return null; }
  }

  function openAnchor(sheet) {
    var id = window.location.hash.slice(1);
    if (!id) return false;
    var target = document.getElementById(id);
    if (!target || !sheet.contains(target)) return false;
    var holder = target.closest("details[data-indikator]");
    if (holder) holder.open = true;
    target.scrollIntoView();
    return true;
  }

  function initWorksheet(sheet) {
    if (!openAnchor(sheet)) {
      var last = recalled(sheet);
      var details = last ? document.getElementById(last) : null;
      if (details && sheet.contains(details)) details.open = true;
    }
    sheet.addEventListener("toggle", function (event) {
      var el = event.target;
      if (!(el instanceof HTMLDetailsElement) || !el.hasAttribute("data-indikator")) return;
      if (sheet.dataset.searching) return;
      if (el.open) remember(sheet, el.id);
      else if (recalled(sheet) === el.id) remember(sheet, null);
    }, true);
    window.addEventListener("hashchange", function () { openAnchor(sheet); });
    var box = document.querySelector("[data-ws-search]");
    if (box) initSearch(sheet, box);
  }

  function normal(text) { return String(text || "").toLowerCase().replace(/\s+/g, " ").trim(); }

  function initSearch(sheet, box) {
    var input = box.querySelector("input");
    var status = box.querySelector("[role=status]");
    box.hidden = false;
    var before = null;
    input.addEventListener("input", function () {
      var words = normal(input.value).split(" ").filter(Boolean);
      var all = sheet.querySelectorAll("details[data-indikator]");
      if (!words.length) {
        delete sheet.dataset.searching;
        sheet.querySelectorAll(".question-card").forEach(function (card) { card.hidden = false; });
        all.forEach(function (d) {
          d.hidden = false;
          if (before) d.open = before.indexOf(d.id) >= 0;
        });
        sheet.querySelectorAll("section[data-area]").forEach(function (s) { s.hidden = false; });
        before = null;
        status.textContent = "";
        return;
      }
      if (before === null) {
        before = [];
        all.forEach(function (d) { if (d.open) before.push(d.id); });
      }
      sheet.dataset.searching = "1";
      var found = 0;
      all.forEach(function (d) {
        var hits = 0;
        d.querySelectorAll(".question-card").forEach(function (card) {
          var kode = normal(card.dataset.kode);
          var heading = card.querySelector("h4");
          var text = kode + " " + normal(heading ? heading.textContent : "");
          var match = words.every(function (w) { return text.indexOf(w) >= 0; });
          card.hidden = !match;
          if (match) hits += 1;
        });
        d.hidden = hits === 0;
        d.open = hits > 0;
        found += hits;
      });
      sheet.querySelectorAll("section[data-area]").forEach(function (s) {
        s.hidden = !s.querySelector("details[data-indikator]:not([hidden])");
      });
      status.textContent = found + " " + (status.dataset.foundText || "");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var sheet = document.querySelector("[data-worksheet]");
    if (sheet) initWorksheet(sheet);
  });
  document.addEventListener("DOMContentLoaded", function () { initPersen(document); });
  document.addEventListener("htmx:afterSwap", function (event) { initPersen(event.detail.target.parentNode || document); });
  document.addEventListener("htmx:responseError", function () {
    var toast = document.getElementById("zi-error-toast");
    if (toast && window.bootstrap) window.bootstrap.Toast.getOrCreateInstance(toast).show();
  });
  document.addEventListener("htmx:sendError", function () {
    var toast = document.getElementById("zi-error-toast");
    if (toast && window.bootstrap) window.bootstrap.Toast.getOrCreateInstance(toast).show();
  });
})();
