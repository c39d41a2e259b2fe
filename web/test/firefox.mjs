// The one-file app in Firefox, as a student double-clicks it: optiscope.html and a scene page
// made by `optiscope page`, opened from file:// with the network off, start, show their scene's
// title and draw the surface. Firefox runs headful under Xvfb with software OpenGL (its headless
// mode has no WebGL without a GPU); .ci/web.sh starts it that way.
//
//   node web/test/firefox.mjs ONE_FILE_APP SCENE_PAGE SCENE_TITLE SCREENSHOT_DIR
import { mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";
import { decodePng, distinctColors } from "./png.mjs";

const [app, page, sceneTitle, shots] = process.argv.slice(2);
if (!shots) {
  console.error("usage: node web/test/firefox.mjs ONE_FILE_APP SCENE_PAGE SCENE_TITLE SCREENSHOT_DIR");
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
const FIREFOX = process.env.FIREFOX || "/usr/bin/firefox-esr";
let failures = 0;
function check(ok, what, seen) {
  if (ok) console.log(`ok   ${what}`);
  else {
    failures++;
    console.log(`FAIL ${what}${seen === undefined ? "" : `: saw ${JSON.stringify(seen)}`}`);
  }
}
const browser = await puppeteer.launch({ browser: "firefox", executablePath: FIREFOX, headless: false,
  // Offline as a laptop on a train: any request beyond the file itself fails.
  extraPrefsFirefox: { "network.proxy.type": 1, "network.proxy.http": "127.0.0.1",
    "network.proxy.http_port": 9, "network.proxy.ssl": "127.0.0.1", "network.proxy.ssl_port": 9 } });
for (const [file, title, name] of [[app, "Four optimizers in a ravine", "firefox-app"],
  [page, sceneTitle, "firefox-page"]]) {
  const tab = await browser.newPage();
  await tab.setViewport({ width: 1280, height: 800 });
  const errors = [];
  tab.on("pageerror", (e) => errors.push(e.message));
  const requests = [];
  tab.on("request", (r) => requests.push(r.url()));
  const started = Date.now();
  await tab.goto(pathToFileURL(resolve(file)).href, { waitUntil: "load" });
  let loading = null;
  try {
    await tab.waitForFunction(() => !document.getElementById("loading"), { timeout: 60000 });
  } catch {
    loading = await tab.evaluate(() => document.getElementById("loading")?.textContent);
  }
  check(loading === null, `Firefox starts ${file.split("/").pop()} from file://`, loading);
  console.log(`${name}_start_ms=${Date.now() - started}`);
  try {
    await tab.waitForFunction((t) => document.title === t, { timeout: 15000 }, `${title} — optiscope`);
    check(true, `and shows "${title}"`);
  } catch {
    check(false, `and shows "${title}"`, await tab.title());
  }
  await new Promise((r) => setTimeout(r, 1500));
  const shot = join(shots, `${name}.png`);
  await tab.screenshot({ path: shot });
  const colors = distinctColors(decodePng(readFileSync(shot)), [340, 70, 860, 740]);
  check(colors > 1000, `and draws the surface (distinct colours)`, colors);
  check(requests.length > 0, "(the page's own requests are seen)", requests.length);
  const foreign = requests.filter((u) => !/^(file|blob|data):/.test(u));
  check(foreign.length === 0, "with no network request", foreign);
  check(errors.length === 0, "and no uncaught error", errors);
  await tab.close();
}
await browser.close();
if (failures) {
  console.log(`${failures} Firefox check(s) failed; screenshots in ${shots}`);
  process.exit(1);
}
console.log("all Firefox checks passed");
