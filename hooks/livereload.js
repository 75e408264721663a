/* `mkdocs serve` only: hooks/serve_cache.py puts this in every page it serves, in place of
 * MkDocs's own live-reload script. When a rebuild is done, the page is fetched again and its new
 * content swapped in, as Material's instant navigation swaps pages: no blank page, no reloading
 * of Material's scripts, and the reader keeps their place. The page is reloaded instead when
 * something outside the swapped parts may have changed (the rebuilt page carries another
 * data-frame stamp: assets, theme overrides, mkdocs.yml or handbook.yml) or the swap fails. */
(function (script) {
  "use strict";

  var SWAPPED = [  // what Material's instant navigation replaces when it opens a page
    "title", "link[rel=prev]", "link[rel=next]", "link[rel=canonical]", "meta[name=description]",
    "[data-md-component=announce]", "[data-md-component=container]", "[data-md-component=header-topic]",
    "[data-md-component=outdated]", "[data-md-component=logo]", "[data-md-component=skip]",
    "[data-md-component=tabs]"
  ];
  var epoch = Number(script.dataset.epoch);
  var request, timer;

  /* Put the rebuilt page's parts in place of the current ones; false if that cannot be done. */
  function swap(next) {
    var stamp = next.querySelector("script[data-frame]");
    var container = next.querySelector("[data-md-component=container]");
    if (!window.document$ || !stamp || stamp.dataset.frame !== script.dataset.frame || !container ||
        container.querySelector("script[src]")) return false;
    SWAPPED.forEach(function (selector) {
      var old = document.querySelector(selector), fresh = next.querySelector(selector);
      if (old && fresh) old.replaceWith(document.adoptNode(fresh));
    });
    document.querySelectorAll("[data-md-component=container] script").forEach(function (old) {
      var run = document.createElement("script");  // a parsed script does not run when moved
      run.textContent = old.textContent;
      old.replaceWith(run);
    });
    window.document$.next(document);  // Material and the handbook's components start on it
    return true;
  }

  /* Fetch the rebuilt page and swap it in, or reload when that fails. */
  function refresh(built) {
    fetch(location.href, { cache: "no-store" })
      .then(function (reply) {
        if (!reply.ok) throw new Error("HTTP " + reply.status);
        return reply.text();
      })
      .then(function (html) {
        if (!swap(new DOMParser().parseFromString(html, "text/html"))) throw new Error("no swap");
        epoch = built;
        poll();
      })
      .catch(function () { location.reload(); });
  }

  /* Ask the server, which answers once a build newer than `epoch` is done (or after a while). */
  function poll() {
    stop();
    request = new XMLHttpRequest();
    request.onloadend = function () {
      var built = parseFloat(this.responseText);
      if (built > epoch) refresh(built);
      else timer = setTimeout(poll, this.status === 200 ? 0 : 3000);
    };
    request.open("GET", "/livereload/" + epoch + "/" + script.dataset.request);
    request.send();
  }

  /* Stop asking while the page is hidden or unloading. */
  function stop() {
    if (request) request.abort();  // its loadend may set a timer, which is cleared next
    if (timer) clearTimeout(timer);
    request = timer = undefined;
  }

  window.addEventListener("load", function () {
    if (document.visibilityState === "visible") poll();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") poll();
    else stop();
  });
  window.addEventListener("beforeunload", stop);
})(document.currentScript);
