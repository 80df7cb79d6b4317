// The first page's JavaScript budget, checked after every build: the scripts index.html
// loads (its entry and the chunks it preloads), gzip-compressed, at most 200 KB. Writes
// dist/budget.json with every chunk's size, and fails the build when over. Also writes
// a .gz sibling of each text asset, which the gateway serves to clients that accept gzip.
import { gzipSync } from "node:zlib";
import { readFileSync, readdirSync, writeFileSync, statSync } from "node:fs";
import { join, extname } from "node:path";

const BUDGET = 200 * 1024;
const dist = new URL("../dist/", import.meta.url).pathname;
const html = readFileSync(join(dist, "index.html"), "utf8");
const firstPage = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="\/?([^"]+\.js)"/g)].map((m) => m[1]);

const gz = (path) => gzipSync(readFileSync(join(dist, path)), { level: 9 }).length;
const chunks = {};
for (const name of readdirSync(join(dist, "assets"))) {
  const path = join("assets", name);
  if ([".js", ".css"].includes(extname(name))) chunks[path] = { bytes: statSync(join(dist, path)).size, gzip: gz(path) };
}
for (const name of ["index.html", ...Object.keys(chunks)]) {
  if (!name.endsWith(".gz")) writeFileSync(join(dist, `${name}.gz`), gzipSync(readFileSync(join(dist, name)), { level: 9 }));
}
const total = firstPage.reduce((sum, path) => sum + gz(path), 0);
writeFileSync(join(dist, "budget.json"), JSON.stringify({ budget: BUDGET, firstPage: { scripts: firstPage, gzip: total }, chunks }, null, 2));
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`first page: ${firstPage.length} scripts, ${kb(total)} gzip (budget ${kb(BUDGET)})`);
for (const [path, size] of Object.entries(chunks).sort((a, b) => b[1].gzip - a[1].gzip)) {
  console.log(`  ${path.padEnd(48)} ${kb(size.bytes).padStart(10)} ${kb(size.gzip).padStart(10)} gzip${firstPage.includes(path) ? "  (first page)" : ""}`);
}
if (firstPage.length === 0) {
  console.error("no script found in dist/index.html");
  process.exit(1);
}
if (total > BUDGET) {
  console.error(`the first page loads ${kb(total)} of JavaScript (gzip), over the ${kb(BUDGET)} budget`);
  process.exit(1);
}
