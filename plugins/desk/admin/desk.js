/* The Tilmash desk: Decap CMS with our metadata format, in the editor's language, with the
   local backend that `invoke desk` announces at /_desk/session.json (absent on a published desk). */
(function () {
  "use strict";
  const LANGUAGES = ["en", "ru", "ar"];
  const RIGHT_TO_LEFT = ["ar"];
  const STORED = "tilmash-desk-lang";

  function chosenLanguage() {
    const asked = new URLSearchParams(location.search).get("lang");
    if (asked && LANGUAGES.includes(asked)) {
      localStorage.setItem(STORED, asked);
      return asked;
    }
    const stored = localStorage.getItem(STORED);
    if (stored && LANGUAGES.includes(stored)) return stored;
    const browser = (navigator.language || "en").slice(0, 2);
    return LANGUAGES.includes(browser) ? browser : "en";
  }

  function merged(base, over) {
    const result = { ...base };
    for (const [key, value] of Object.entries(over)) {
      result[key] = value && typeof value === "object" && !Array.isArray(value) ? merged(base[key] || {}, value) : value;
    }
    return result;
  }

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = () => reject(new Error("cannot load " + src));
      document.body.appendChild(script);
    });
  }

  async function json(address) {
    const response = await fetch(address, { cache: "no-store" });
    if (!response.ok) throw new Error(address + ": " + response.status);
    return response.json();
  }

  // Country options show the name in the desk's language; the value stays CLDR's English name.
  function relabelCountries(config, labels) {
    for (const collection of config.collections) {
      for (const field of collection.fields) {
        if (field.name === "category" && field.widget === "select") {
          field.options = field.options
            .map((option) => ({ value: option.value, label: labels[option.value] || option.label }))
            .sort((a, b) => a.label.localeCompare(b.label));
        }
      }
    }
  }

  async function start() {
    const lang = chosenLanguage();
    document.documentElement.lang = lang;
    document.documentElement.dir = RIGHT_TO_LEFT.includes(lang) ? "rtl" : "ltr";
    for (const link of document.querySelectorAll(".desk-languages a")) {
      if (link.hreflang === lang) link.setAttribute("aria-current", "true");
    }
    window.CMS_MANUAL_INIT = true;
    const [config, countries, session] = await Promise.all([
      json("config.yml"), json("countries.json"), json("/_desk/session.json").catch(() => null),
    ]);
    await loadScript("decap-cms.js");
    const CMS = window.CMS;
    CMS.registerLocale("ar", merged(CMS.getLocale("en"), window.TilmashArabic));
    CMS.registerCustomFormat("pelican", "md", window.TilmashFormat);
    relabelCountries(config, countries[lang] || {});
    config.locale = lang;
    config.load_config_file = false;
    if (session) config.local_backend = { url: session.backend };
    window.TilmashDesk = { session, lang };
    CMS.init({ config });
  }

  start().catch((error) => {
    document.body.insertAdjacentHTML("beforeend", '<p role="alert" class="desk-error"></p>');
    document.querySelector(".desk-error").textContent = "The desk could not start: " + error.message;
  });
})();
