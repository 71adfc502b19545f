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
