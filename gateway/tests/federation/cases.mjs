// The corpus's cases as node sees them: cases/<case>/<subgraph>.mjs, each module exporting
// `typeDefs` (a Federation 2 subgraph SDL string) and `resolvers`, and optionally `reset()`
// (mutations' cases: put the in-memory data back as it was).
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export async function loadCases(casesDir) {
  const cases = {};
  for (const name of readdirSync(casesDir).sort()) {
    const dir = join(casesDir, name);
    const files = readdirSync(dir).filter((file) => file.endsWith(".mjs")).sort();
    if (files.length === 0) continue;
    cases[name] = {};
    for (const file of files) {
      cases[name][file.slice(0, -".mjs".length)] = await import(pathToFileURL(join(dir, file)).href);
    }
  }
  return cases;
}

export async function readJson(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
}
