// Runs the desk's metadata format (plugins/desk/admin/pelican-format.js) for the Python tests.
// stdin: a JSON list of {"text": file text, "set": {field: value}}; stdout: a JSON list of
// {"data": what the desk reads (without its layout), "written": the file it writes after `set`}.
"use strict";
const path = require("path");
const format = require(path.join(__dirname, "../../plugins/desk/admin/pelican-format.js"));

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const results = JSON.parse(input).map(({ text, set, sortedKeys }) => {
    const data = text === null ? {} : format.fromFile(text);
    const shown = { ...data };
    delete shown[format.LAYOUT];
    Object.assign(data, set || {});
    return { data: shown, written: format.toFile(data, sortedKeys || []) };
  });
  process.stdout.write(JSON.stringify(results));
});
