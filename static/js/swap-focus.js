// After htmx swaps the page's <main> (adding or changing a value), the button that was pressed
// is gone and the keyboard focus would fall back to the top of the page. Move it to what the
// swap says: the plausibility question, the first error, or the "saved" message.
(function () {
  "use strict";
  // htmx re-runs this file when it swaps in a page that loads it: listen once.
  if (window.vlrSwapFocus) return;
  window.vlrSwapFocus = true;
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.target || event.target.id !== "main") return;
    var target = document.querySelector("#main .msg.warning, #main .errorlist, #main .messages");
    if (!target) return;
    if (target.classList.contains("errorlist")) {
      var field = target.closest(".field");
      var input = field && field.querySelector("input, select, textarea");
      if (input) { input.focus(); return; }
    }
    target.setAttribute("tabindex", "-1");
    target.focus();
  });
})();
