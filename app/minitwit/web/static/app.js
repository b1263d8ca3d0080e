/* MiniTwit: a character counter for the message box (progressive enhancement;
   the server enforces the same limit). Loaded as a file: the CSP forbids inline scripts. */
(function () {
  "use strict";
  var box = document.getElementById("text");
  var count = document.getElementById("text-count");
  var live = document.getElementById("text-count-live");
  if (!box || !count || !box.dataset.maxLength) {
    return;
  }
  var limit = parseInt(box.dataset.maxLength, 10);
  var form = box.form;
  var lastSpoken = "";

  function length(value) {
    return Array.from(value).length; /* code points, as the server counts */
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function update() {
    var left = limit - length(box.value);
    var over = left < 0;
    var text = over ? plural(-left, "character") + " too many"
                    : plural(left, "character") + " left";
    count.textContent = text;
    count.classList.toggle("hint-warning", !over && left <= 20);
    count.classList.toggle("hint-error", over);
    if (over) {
      box.setAttribute("aria-invalid", "true");
    } else if (!document.getElementById("text-error")) {
      box.removeAttribute("aria-invalid");
    }
    /* Speak only when it matters, not on every key press. */
    var spoken = over ? text : (left <= 20 ? plural(left, "character") + " left" : "");
    if (live && spoken !== lastSpoken && (over || left <= 20 && left % 10 === 0 || left === 0)) {
      live.textContent = spoken;
      lastSpoken = spoken;
    }
  }

  box.addEventListener("input", update);
  if (form) {
    form.addEventListener("submit", function (event) {
      if (length(box.value) > limit) {
        event.preventDefault();
        update();
        live.textContent = "Your message is too long: " + count.textContent + ".";
        box.focus();
      }
    });
  }
  update();
})();
