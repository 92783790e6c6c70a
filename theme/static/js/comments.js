/* Load the comment thread only when the reader asks for it (or on load, if so configured).
   Until then the page makes no request to the comment host. */
(function () {
  "use strict";
  // How long a loaded embed script may take to show its thread before the reader is told it failed.
  var WAIT_MS = 8000;

  function load(section, button) {
    var config = JSON.parse(section.getAttribute("data-comments"));
    var thread = section.querySelector(".comments-thread");
    Object.keys(config.container).forEach(function (name) {
      thread.setAttribute(name, config.container[name]);
    });
    if (config.provider === "disqus") {
      window.disqus_config = function () {
        this.page.url = config.page.url;
        this.page.identifier = config.page.identifier;
        this.page.title = config.page.title;
        this.language = config.page.language;
      };
    } else if (config.provider === "remark42") {
      window.remark_config = config.page;
    }
    var script = document.createElement("script");
    Object.keys(config.script_attributes).forEach(function (name) {
      script.setAttribute(name, config.script_attributes[name]);
    });
    script.src = config.script;
    script.async = true;
    // A host that is down, blocked or refuses this site's origin shows nothing by itself:
    // tell the reader, and give the button back for another try.
    var failed = function () {
      if (thread.querySelector("textarea, iframe")) {
        return;
      }
      section.querySelector(".comments-failed").hidden = false;
      section.querySelector(".comments-link").hidden = false;
      if (button) {
        button.hidden = false;
      }
      script.remove();
    };
    script.addEventListener("error", failed);
    script.addEventListener("load", function () {
      window.setTimeout(failed, WAIT_MS);
    });
    section.querySelector(".comments-failed").hidden = true;
    // Isso titles its thread with an <h4> under our <h2>: give it the level it stands at.
    new MutationObserver(function () {
      thread.querySelectorAll("h4.isso-thread-heading:not([aria-level])").forEach(function (heading) {
        heading.setAttribute("role", "heading");
        heading.setAttribute("aria-level", "3");
      });
    }).observe(thread, { childList: true, subtree: true });
    thread.after(script);
    if (button) {
      button.hidden = true;
    }
  }

  document.querySelectorAll("section[data-comments]").forEach(function (section) {
    var button = section.querySelector(".comments-button");
    var link = section.querySelector(".comments-link");
    if (JSON.parse(section.getAttribute("data-comments")).load === "page") {
      load(section, button);
      return;
    }
    link.hidden = true;
    button.hidden = false;
    button.addEventListener("click", function () {
      load(section, button);
    });
  });
})();
