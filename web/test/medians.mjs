// First-frame medians side by side in one run: builds served on loopback (the last one also
// with each of HASHES, e.g. a scene link's `#scene=…`) and one-file pages from file:// with the
// network off (FILES, comma-separated), loaded in turn in fresh headless Chromium contexts, N
// times each (default 7). LONGEST=1 also prints each load's longest app frame.
//
//   N=7 FILES=a.html,b.html HASHES='#scene=…' node web/test/medians.mjs DIST_BEFORE DIST_AFTER
import puppeteer from "puppeteer-core";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { join, extname } from "node:path";
import { pathToFileURL } from "node:url";
const dirs = process.argv.slice(2);
const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".otf": "font/otf" };
const servers = await Promise.all(dirs.map((dir) => new Promise((ok) => {
  const s = createServer((req, res) => {
    const path = join(dir, decodeURIComponent(req.url.split("?")[0].split("#")[0]).replace(/\/$/, "/index.html"));
    try { res.writeHead(200, { "content-type": types[extname(path)] || "application/octet-stream" }); res.end(readFileSync(path)); }
    catch { res.writeHead(404); res.end(); }
  }).listen(0, "127.0.0.1", () => ok(s));
})));
const b = await puppeteer.launch({ executablePath: "/usr/bin/chromium", headless: true,
  args: ["--no-sandbox", "--use-gl=swiftshader", "--enable-unsafe-swiftshader", "--window-size=1280,800"] });
async function load(url, offline) {
  const ctx = await b.createBrowserContext();
  const p = await ctx.newPage();
  await p.setViewport({ width: 1280, height: 800 });
  if (offline) await p.setOfflineMode(true);
  await p.goto(url, { waitUntil: "load" });
  await p.waitForFunction(() => !document.getElementById("loading"), { timeout: 30000 });
  const ms = await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now()))));
  if (process.env.LONGEST) console.log(url.slice(0, 40), "longest frame", await p.evaluate(() => window.optiscope.longest_frame_ms()),
    "nav", await p.evaluate(() => JSON.stringify(performance.getEntriesByType("navigation").map((e) => [e.responseEnd, e.domContentLoadedEventEnd, e.loadEventEnd]))));
  await ctx.close();
  return ms;
}
const N = Number(process.env.N || 7);
const urls = dirs.map((d, i) => [`served ${d}`, `http://127.0.0.1:${servers[i].address().port}/`, false]);
for (const h of (process.env.HASHES || "").split(",").filter(Boolean)) urls.push([`served ${dirs.at(-1)} ${h.slice(0, 30)}`, `http://127.0.0.1:${servers.at(-1).address().port}/${h}`, false]);
for (const f of (process.env.FILES || "").split(",").filter(Boolean)) urls.push([`file ${f}`, pathToFileURL(f).href, true]);
const times = urls.map(() => []);
for (let k = 0; k < N; k++) for (let i = 0; i < urls.length; i++) times[i].push(await load(urls[i][1], urls[i][2]));
for (let i = 0; i < urls.length; i++) {
  const t = [...times[i]].sort((a, b) => a - b);
  console.log(`${urls[i][0]}: median ${Math.round(t[t.length >> 1])} ms of ${t.map(Math.round).join(", ")}`);
}
await b.close();
servers.forEach((s) => s.close());
