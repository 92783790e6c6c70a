/* Pelican's metadata as the desk reads and writes it: `Key: value` lines, a blank line, the body.

   Decap's YAML front matter cannot read our posts, so the desk registers this format. A file read
   and written again without an edit is the same bytes: the keys keep their spelling and order,
   values their continuation lines (Python-Markdown's meta extension reads lines indented by four
   spaces as part of the value above), and the file its line ending, byte-order mark and the
   separator between metadata and body. Fields are named by the key in lower case ("Image-caption"
   is the field "image-caption"); a key the desk does not know is kept as it was. */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.TilmashFormat = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // How a file was written, kept in the entry beside its fields and never written as a key.
  const LAYOUT = "_layout";
  const KEY = /^( {0,3}[A-Za-z0-9_-]+)(:[ \t]*)(.*)$/;
  const CONTINUATION = /^ {4,}/;
  // The spelling of keys the desk adds to a post that did not have them.
  const SPELLING = {
    "translation-of": "Translation-of", "translation-date": "Translation-date", "mirror-url": "Mirror-url",
    "image-caption": "Image-caption", "image-credit": "Image-credit", "source-languages": "Source-languages",
  };

  function spelling(field) {
    return SPELLING[field] || field.charAt(0).toUpperCase() + field.slice(1);
  }

  function fromFile(text) {
    const bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
    const source = text.slice(bom.length);
    const newline = source.includes("\r\n") ? "\r\n" : "\n";
    const lines = source.split(newline);
    const data = {};
    const keys = [];
    let index = 0;
    for (; index < lines.length; index++) {
      const line = lines[index];
      const match = KEY.exec(line);
      if (match) {
        const field = match[1].trim().toLowerCase();
        keys.push({ key: match[1], separator: match[2] });
        data[field] = match[3];
      } else if (keys.length && CONTINUATION.test(line)) {
        const field = keys[keys.length - 1].key.trim().toLowerCase();
        data[field] += newline + line;
      } else {
        break;
      }
    }
    // What follows the metadata: a blank line and the body, or a body without one (Markdown then
    // reads it as the text), or nothing.
    const rest = lines.slice(index);
    // null: the file ends on its last metadata line, with no line break.
    let separator = rest.length ? "" : null;
    if (rest.length > 1 && rest[0] === "") {
      separator = newline;
      rest.shift();
    }
    data.body = rest.join(newline);
    data[LAYOUT] = { bom: bom !== "", newline, separator, keys, finalNewline: data.body.endsWith(newline) };
    return data;
  }

  function present(value) {
    return value !== undefined && value !== null && String(value) !== "";
  }

  function toFile(data, sortedKeys) {
    const layout = data[LAYOUT] || { bom: false, newline: "\n", separator: "\n", keys: [] };
    const newline = layout.newline || "\n";
    const lines = [];
    const written = new Set(["body", LAYOUT]);
    for (const { key, separator } of layout.keys || []) {
      const field = key.trim().toLowerCase();
      if (written.has(field) || !(field in data)) continue;
      written.add(field);
      // A key the file had stays, even empty (a draft translation's `Translator:`).
      if (data[field] !== null && data[field] !== undefined) lines.push(key + separator + oneValue(data[field], newline));
    }
    const order = [...(sortedKeys || []), ...Object.keys(data)];
    for (const field of order) {
      if (written.has(field) || field.startsWith("_")) continue;
      written.add(field);
      if (present(data[field])) lines.push(spelling(field) + ": " + oneValue(data[field], newline));
    }
    let body = data.body === undefined || data.body === null ? "" : String(data.body);
    // The editor's text box has no last line break; a file that had one, or a new file, keeps one.
    if (body && !body.endsWith(newline) && layout.finalNewline !== false) body += newline;
    const hadKeys = Boolean(layout.keys && layout.keys.length);
    if (lines.length && hadKeys && layout.separator === null && body === "") {
      return (layout.bom ? "\uFEFF" : "") + lines.join(newline);
    }
    const header = lines.length ? lines.join(newline) + newline : "";
    // A header the file did not have is followed by a blank line, as Pelican needs.
    const separator = lines.length && !hadKeys ? newline : layout.separator || "";
    return (layout.bom ? "\uFEFF" : "") + header + (header || body ? separator : "") + body;
  }

  // A value is one line unless it already continued on indented lines; a newline typed into a
  // field would otherwise end the metadata.
  function oneValue(value, newline) {
    const text = Array.isArray(value) ? value.join(", ") : String(value);
    return text.split(/\r?\n/).map((line, i) => (i === 0 || CONTINUATION.test(line) ? line : "    " + line)).join(newline);
  }

  return { fromFile, toFile, LAYOUT };
});
