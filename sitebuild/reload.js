// Loaded only by the pages `invoke livereload` serves (never part of a build): reloads the
// open page once its file in output/ has other bytes than the ones shown.
(function () {
  "use strict";
  var script = document.currentScript;
  var shown = script.dataset.stamp;
  var stamps = script.src.replace(/reload\.js$/, "stamp") + "?page=" + encodeURIComponent(location.pathname);

  function check() {
    fetch(stamps, { cache: "no-store" })
      .then(function (response) {
        // Between a full build's folders, or for a page that went away: wait for the next.
        return response.ok ? response.text() : shown;
      })
      .then(function (stamp) {
        if (stamp !== shown) {
          location.reload();
        } else {
          setTimeout(check, 400);
        }
      })
      .catch(function () {
        setTimeout(check, 2000); // the preview stopped; it may start again
      });
  }

  setTimeout(check, 400);
})();
