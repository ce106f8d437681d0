// Every form that writes: sent once (a double click does not send it twice), and
// evidence larger than the server takes is refused here, before the typed report
// is sent off (and lost to the proxy's 413 page). The server checks both again.
(function () {
  "use strict";

  function tooLarge(form) {
    var inputs = form.querySelectorAll("input[type=file][data-max-total-bytes]");
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      var limit = Number(input.dataset.maxTotalBytes);
      var total = 0;
      for (var j = 0; j < input.files.length; j++) total += input.files[j].size;
      if (total > limit) {
        return input.dataset.tooLargeMessage
          .replace("%(size)s", (total / 1048576).toFixed(1) + " MB")
          .replace("%(limit)s", (limit / 1048576).toFixed(0) + " MB");
      }
    }
    return "";
  }

  function showProblem(form, text) {
    var box = form.querySelector(".client-errors");
    if (!box) {
      box = document.createElement("div");
      box.className = "errors client-errors";
      box.setAttribute("role", "alert");
      form.insertBefore(box, form.firstChild);
    }
    box.textContent = text;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if ((form.method || "").toLowerCase() !== "post" || form.hasAttribute("hx-post")) return;
    if (form.dataset.submitting) {
      event.preventDefault();
      return;
    }
    // A form that cannot be undone by its sender asks first (data-confirm: the question, in the page's words).
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    var problem = tooLarge(form);
    if (problem) {
      event.preventDefault();
      showProblem(form, problem);
      return;
    }
    form.dataset.submitting = "1";
    // After this turn, so that the pressed button's name and value are still sent.
    setTimeout(function () {
      form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
  });

  // Back/forward cache: a page shown again must be usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitting]").forEach(function (form) {
      delete form.dataset.submitting;
      form.querySelectorAll("button").forEach(function (button) {
        button.disabled = false;
      });
    });
  });
})();
