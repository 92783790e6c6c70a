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

  // The collection's and fields' labels in the desk's language (Decap's locales cover its own words only).
  const LABELS = {
    ru: { posts: "Записи", post: "Запись", title: "Заголовок", date: "Дата", category: "Страна", tags: "Темы",
          author: "Автор", summary: "Краткое содержание", image: "Главное изображение", "image-caption": "Подпись к изображению",
          "image-credit": "Автор изображения", mirror: "Зеркало у партнёра", comments: "Комментарии", status: "Статус", body: "Текст" },
    ar: { posts: "المقالات", post: "مقالة", title: "العنوان", date: "التاريخ", category: "البلد", tags: "المواضيع",
          author: "الكاتب", summary: "الملخص", image: "الصورة الرئيسية", "image-caption": "تعليق الصورة",
          "image-credit": "مصدر الصورة", mirror: "النشر لدى شريك", comments: "التعليقات", status: "الحالة", body: "النص" },
  };

  function relabel(config, lang) {
    const labels = LABELS[lang];
    if (!labels) return;
    for (const collection of config.collections) {
      collection.label = labels[collection.name] || collection.label;
      collection.label_singular = labels[collection.name.replace(/s$/, "")] || collection.label_singular;
      for (const field of collection.fields) field.label = labels[field.name] || field.label;
    }
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

  // --- checked before it is saved, previewed as the site renders it ---------------------------

  function fileOf(entry, config) {
    const collection = config.collections.find((c) => c.name === entry.get("collection"));
    const fields = collection ? collection.fields.map((field) => field.name) : [];
    const path = entry.get("path") || (collection ? collection.folder : "posts") + "/" + (entry.get("slug") || "new") + ".md";
    return { path, text: window.TilmashFormat.toFile(entry.get("data").toJS(), fields) };
  }

  async function checked(file) {
    const response = await fetch("/_desk/check", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(file),
    });
    if (!response.ok) throw new Error("the check failed: " + (await response.text()));
    return response.json();
  }

  function problemLines(problems) {
    return problems.map((p) => (p.line ? "line " + p.line + ": " : "") + p.message + " (fix: " + p.fix + ")");
  }

  function showProblems(problems, saved) {
    let panel = document.querySelector(".desk-problems");
    if (!panel) {
      panel = document.createElement("section");
      panel.className = "desk-problems";
      panel.setAttribute("role", "alert");
      document.body.appendChild(panel);
    }
    panel.hidden = problems.length === 0;
    panel.replaceChildren();
    if (!problems.length) return;
    const head = document.createElement("h2");
    head.textContent = saved;
    const list = document.createElement("ul");
    for (const line of problemLines(problems)) {
      const item = document.createElement("li");
      item.textContent = line;
      list.appendChild(item);
    }
    panel.append(head, list);
  }

  // A post with problems is saved as a draft, never lost; the desk lists each problem with its line.
  function checkBeforeSaving(CMS, config) {
    CMS.registerEventListener({
      name: "preSave",
      handler: async ({ entry }) => {
        // A translation gets its original's slug, as `invoke translate` writes it: the same address under /<lang>/.
        const original = entry.get("data").get("translation-of");
        if (original && !entry.get("data").get("slug")) entry = entry.setIn(["data", "slug"], original);
        const { problems } = await checked(fileOf(entry, config));
        const noun = problems.length === 1 ? "problem" : "problems";
        showProblems(problems, "Saved as a draft: " + problems.length + " " + noun + " to fix");
        return problems.length ? entry.get("data").set("status", "draft") : entry.get("data");
      },
    });
  }

  // The preview pane shows the text as the site renders it (our Markdown, markers and all).
  function sitePreview(CMS, config) {
    const h = window.h;
    const Preview = window.createClass({
      getInitialState() { return { html: "", problems: [] }; },
      componentDidMount() { this.refresh(); },
      componentDidUpdate(previous) { if (previous.entry !== this.props.entry) this.refresh(); },
      componentWillUnmount() { clearTimeout(this.timer); },
      refresh() {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => {
          checked(fileOf(this.props.entry, config))
            .then((result) => this.setState({ html: result.html, problems: result.problems }))
            .catch((error) => this.setState({ problems: [{ line: 0, message: error.message, fix: "try again" }] }));
        }, 600);
      },
      render() {
        const data = this.props.entry.get("data");
        const lang = data.get("lang") || "en";
        return h("article", { lang, dir: RIGHT_TO_LEFT.includes(lang) ? "rtl" : "ltr", className: "post" },
          h("h1", null, data.get("title")),
          this.state.problems.length
            ? h("ul", { className: "desk-preview-problems" }, problemLines(this.state.problems).map((line) => h("li", { key: line }, line)))
            : null,
          h("div", { className: "post-body", dangerouslySetInnerHTML: { __html: this.state.html } }));
      },
    });
    CMS.registerPreviewStyle("/theme/css/main.css");
    for (const collection of config.collections) CMS.registerPreviewTemplate(collection.name, Preview);
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
    relabel(config, lang);
    config.locale = lang;
    config.load_config_file = false;
    if (session) {
      config.local_backend = { url: session.backend };
      checkBeforeSaving(CMS, config);
      sitePreview(CMS, config);
    }
    window.TilmashDesk = { session, lang };
    CMS.init({ config });
  }

  start().catch((error) => {
    document.body.insertAdjacentHTML("beforeend", '<p role="alert" class="desk-error"></p>');
    document.querySelector(".desk-error").textContent = "The desk could not start: " + error.message;
  });
})();
