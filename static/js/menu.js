// Narrow screens. The top menu folds behind one button on phones and tablets: the CSS hides
// the menu only once this script has marked the bar as foldable, so without JavaScript the
// menu stays open. A real <button> with aria-expanded: Enter/Space open it, Escape closes it
// and puts the focus back on the button. On a phone the list filters (<details open>) fold
// too unless one is in use, so the list is on the first screen.
(function () {
  "use strict";

  var phone = window.matchMedia("(max-width: 639px)");
  document.querySelectorAll("details.filters-fold:not([data-active])").forEach(function (details) {
    if (phone.matches) details.open = false;
  });
  phone.addEventListener("change", function () {
    // Turned to a wide screen, where the summary is hidden: show the filters again.
    if (!phone.matches) document.querySelectorAll("details.filters-fold").forEach(function (d) { d.open = true; });
  });

  var bar = document.querySelector(".topbar");
  var button = bar && bar.querySelector(".menu-toggle");
  if (!button) return;

  function setOpen(open) {
    bar.classList.toggle("is-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  bar.classList.add("is-foldable");
  button.hidden = false;
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  bar.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && bar.classList.contains("is-open")) {
      setOpen(false);
      button.focus();
    }
  });
})();
