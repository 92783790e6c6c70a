/* The search box: Pagefind's UI over the index of the page's own language, all its parts. */
(function () {
  "use strict";
  var element = document.getElementById("search");
  var script = document.querySelector("script[src$='pagefind-ui.js']");
  if (!element || !script || typeof PagefindUI === "undefined") {
    return;
  }
  var label = element.getAttribute("data-label");
  // parts.js, written with the index, names the older parts: folders in this bundle's folder.
  var bundle = script.src.replace(/pagefind-ui\.js$/, "");
  new PagefindUI({
    element: "#search",
    showImages: false,
    showSubResults: false,
    resetStyles: false,
    mergeIndex: (window.searchParts || []).map(function (part) {
      return { bundlePath: bundle + part };
    }),
    translations: Object.assign(JSON.parse(element.getAttribute("data-translations") || "{}"), { placeholder: label })
  });
  // The search works: the text for readers without JavaScript would only stand under its results.
  var fallback = document.querySelector(".search-fallback");
  if (fallback) {
    fallback.hidden = true;
  }
  // Pagefind's input has a placeholder but no name for screen readers: give it one.
  function name() {
    var input = element.querySelector("input");
    if (input) {
      input.setAttribute("aria-label", label);
      return true;
    }
    return false;
  }
  if (!name()) {
    new MutationObserver(function (changes, observer) {
      if (name()) {
        observer.disconnect();
      }
    }).observe(element, { childList: true, subtree: true });
  }
})();
