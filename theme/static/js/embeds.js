/* Videos in a post load only when the reader asks: until then the page makes no request to
   the video's host. Without JavaScript the reader has a link to the video instead. */
(function () {
  "use strict";
  document.querySelectorAll("span.embed[data-embed-src]").forEach(function (embed) {
    var button = embed.querySelector(".embed-button");
    button.hidden = false;
    button.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.src = embed.getAttribute("data-embed-src");
      frame.setAttribute("sandbox", embed.getAttribute("data-embed-sandbox"));
      frame.setAttribute("allowfullscreen", "");
      ["width", "height", "title", "allow"].forEach(function (name) {
        var value = embed.getAttribute("data-embed-" + name);
        if (value) {
          frame.setAttribute(name, value);
        }
      });
      embed.replaceChildren(frame);
      frame.focus();
    });
  });
})();
