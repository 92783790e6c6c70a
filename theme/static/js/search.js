/* The search box: Pagefind's UI over the index of the page's own language. */
(function () {
  "use strict";
  var element = document.getElementById("search");
  if (!element || typeof PagefindUI === "undefined") {
    return;
  }
  new PagefindUI({
    element: "#search",
    showImages: false,
    showSubResults: false,
    resetStyles: false,
    translations: { placeholder: element.getAttribute("data-placeholder") }
  });
})();
