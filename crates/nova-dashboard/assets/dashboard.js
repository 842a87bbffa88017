// nova-dashboard live updates: elements with data-poll="<url>" are replaced by a fresh
// server-rendered copy every data-poll-ms milliseconds while they still carry data-poll.
// Bounded: each element is polled at most MAX_POLLS times, and polling stops on any error.
(function () {
  "use strict";
  var MAX_POLLS = 300;

  function schedule(element, count) {
    var url = element.getAttribute("data-poll");
    if (!url || count >= MAX_POLLS) { return; }
    var wait = parseInt(element.getAttribute("data-poll-ms"), 10) || 2000;
    window.setTimeout(function () { refresh(element, url, count); }, wait);
  }

  function refresh(element, url, count) {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (html) {
        var template = document.createElement("template");
        template.innerHTML = html.trim();
        var fresh = template.content.firstElementChild;
        if (!fresh || !element.parentNode) { return; }
        element.replaceWith(fresh);
        schedule(fresh, count + 1);
      })
      .catch(function () { element.setAttribute("data-poll-stopped", "true"); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var elements = document.querySelectorAll("[data-poll]");
    for (var i = 0; i < elements.length; i++) { schedule(elements[i], 0); }
  });
})();
