/* The search box: Pagefind's UI over the index of the page's own language. */
(function () {
  "use strict";
  var element = document.getElementById("search");
  if (!element || typeof PagefindUI === "undefined") {
    return;
  }
  var label = element.getAttribute("data-label");
  new PagefindUI({
    element: "#search",
    showImages: false,
    showSubResults: false,
    resetStyles: false,
    translations: { placeholder: label }
  });
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
