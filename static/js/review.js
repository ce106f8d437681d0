// 待审核 with the keyboard: after 通过 or 退回 replaces a row, focus moves on to the next
// report's reason box (or stays in the row's box when the decision was refused), so the
// office can work down the queue with Tab and Enter without losing its place.
(function () {
  "use strict";

  document.addEventListener("htmx:load", function (event) {
    var row = event.target;
    if (!row.matches || !row.matches("tr[id^='report-']") || !row.isConnected) return;
    var own = row.querySelector("textarea");
    if (own) {
      own.focus();
      return;
    }
    for (var next = row.nextElementSibling; next; next = next.nextElementSibling) {
      var box = next.querySelector("textarea");
      if (box) {
        box.focus();
        return;
      }
    }
    var count = document.getElementById("review-count");
    if (count) count.focus();
  });
})();
