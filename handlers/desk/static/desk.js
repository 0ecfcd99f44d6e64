// The desk's only script: parts of a page marked data-poll="URL" are fetched again every few
// seconds and swapped in when they changed, so the queue and a ticket's messages stay current
// without a reload. Pages work without it (reload by hand).
(function () {
  "use strict";
  var EVERY_MS = 2000;
  function refresh(el) {
    fetch(el.getAttribute("data-poll"), { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.text(); })
      .then(function (html) {
        if (html !== el.getAttribute("data-last")) {
          el.innerHTML = html;
          el.setAttribute("data-last", html);
        }
      })
      .catch(function () { /* offline or signed out: the next page load says why */ });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var parts = document.querySelectorAll("[data-poll]");
    Array.prototype.forEach.call(parts, function (el) {
      setInterval(function () { refresh(el); }, EVERY_MS);
    });
  });
})();
