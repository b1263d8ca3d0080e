/* MiniTwit: when a Gravatar image cannot load (offline, blocked third-party images), show the
   avatar MiniTwit draws itself (data-fallback). Loaded from <head> before any image, as a file:
   the CSP forbids inline scripts and inline event handlers. */
(function () {
  "use strict";
  function fallBack(img) {
    var local = img.getAttribute("data-fallback");
    if (local && img.getAttribute("src") !== local) {
      img.setAttribute("src", local);
    }
  }
  window.addEventListener("error", function (event) {
    var target = event.target;
    if (target && target.tagName === "IMG" && target.hasAttribute("data-fallback")) {
      fallBack(target);
    }
  }, true);
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("img[data-fallback]").forEach(function (img) {
      if (img.complete && img.naturalWidth === 0) {
        fallBack(img);
      }
    });
  });
})();
