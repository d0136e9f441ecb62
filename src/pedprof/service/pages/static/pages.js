/* pedprof workspace: drag and drop, copying, a busy indicator, job progress. */
(function () {
  "use strict";
  function busy() { var b = document.getElementById("busy"); if (b) { b.hidden = false; } }
  document.querySelectorAll("form[data-busy]").forEach(function (f) {
    f.addEventListener("submit", function () { setTimeout(busy, 300); });
  });
  document.querySelectorAll("[data-busy-link]").forEach(function (a) {
    a.addEventListener("click", function () { busy(); setTimeout(function () { document.getElementById("busy").hidden = true; }, 15000); });
  });
  document.querySelectorAll("[data-drop]").forEach(function (zone) {
    var input = document.getElementById(zone.getAttribute("data-drop"));
    var label = zone.querySelector(".filename");
    function show() { if (label && input.files.length) { label.textContent = "Выбран файл: " + input.files[0].name; } }
    input.addEventListener("change", show);
    ["dragenter", "dragover"].forEach(function (e) {
      zone.addEventListener(e, function (ev) { ev.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (e) {
      zone.addEventListener(e, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (ev) {
      ev.preventDefault();
      if (ev.dataTransfer && ev.dataTransfer.files.length) { input.files = ev.dataTransfer.files; show(); }
    });
  });
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-copy"));
      var note = button.parentNode.querySelector(".copied");
      function done() { if (note) { note.textContent = "Скопировано."; } }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () { field.select(); document.execCommand("copy"); done(); });
      } else { field.select(); document.execCommand("copy"); done(); }
    });
  });
  var job = document.getElementById("job");
  if (job && (job.dataset.status === "queued" || job.dataset.status === "running")) {
    var bar = document.getElementById("job-progress");
    var text = document.getElementById("job-status");
    var poll = function () {
      fetch(job.dataset.job, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (s) {
        bar.value = Math.round(s.progress * 100);
        text.textContent = s.status_name + (s.message ? ": " + s.message : "");
        if (s.status === "done" || s.status === "failed") { window.location.reload(); }
        else { setTimeout(poll, 700); }
      }, function () { setTimeout(poll, 2000); });
    };
    setTimeout(poll, 500);
  }
  var reg = document.querySelector("[data-refresh]");
  if (reg) {
    setInterval(function () {
      if (document.activeElement && document.activeElement.closest && document.activeElement.closest("form")) { return; }
      fetch(window.location.href, { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("register");
        if (fresh) { reg.replaceWith(fresh); reg = fresh; }
        ["reminders"].forEach(function (id) { var n = doc.getElementById(id), o = document.getElementById(id); if (n && o) { o.replaceWith(n); } });
        document.querySelectorAll("[data-count]").forEach(function (o) { var n = doc.querySelector('[data-count="' + o.dataset.count + '"]'); if (n) { o.textContent = n.textContent; } });
      });
    }, parseInt(reg.dataset.refresh, 10) * 1000);
  }
})();
