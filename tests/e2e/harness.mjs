// Shared pieces of the end-to-end tests: a static server for dist/, Debian's Chromium driven by
// Playwright, and page helpers that record every request and every long main-thread task.
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, normalize, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';

const here = dirname(fileURLToPath(import.meta.url));
export const root = normalize(join(here, '..', '..'));
export const dist = join(root, 'dist');
export const output = join(root, 'tests', 'output');

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.gz': 'application/gzip',
  '.json': 'application/json',
};

/**
 * Serves dist/ on a free loopback port; resolves to { origin, served, block, unblock, close }:
 * `served` lists the path of every request answered, a worker's included (which the page's
 * request events miss).
 */
export async function serve() {
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error('dist/index.html is missing: build the site first (trunk build --release)');
  }
  const served = [];
  const blocked = new Set();
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    served.push(path);
    if (blocked.has(path)) {
      res.writeHead(404).end('blocked by the test');
      return;
    }
    const file = normalize(join(dist, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dist)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    served,
    /** Answers `path` with 404 until `unblock(path)`: a file that failed to download. */
    block: (path) => blocked.add(path),
    unblock: (path) => blocked.delete(path),
    close: () => new Promise((ok) => server.close(ok)),
  };
}

/** Debian's Chromium, headless, with the software WebGPU adapter enabled. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--enable-unsafe-webgpu',
      '--enable-unsafe-swiftshader',
      '--disable-gpu-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Opens `url` in a new page of `context`. The returned object lists every request the page made
 * (`requests`) and its console errors; `longTasks()` reads the durations of main-thread tasks
 * over 50 ms seen since `resetLongTasks()`, and `cspViolations()` every report of the page's
 * Content Security Policy (a `securitypolicyviolation` listener installed before any script).
 */
export async function open(context, url) {
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
    });
    window.__longTasks = [];
    // Every frame's interval (requestAnimationFrame to requestAnimationFrame), for frame-time
    // figures while training.
    window.__frames = [];
    let last = 0;
    const frame = (t) => {
      if (last) window.__frames.push(t - last);
      last = t;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(url);
  return {
    page,
    requests,
    errors,
    longTasks: () => page.evaluate(() => window.__longTasks.slice()),
    cspViolations: () => page.evaluate(() => window.__cspViolations.slice()),
    resetLongTasks: () => page.evaluate(() => { window.__longTasks = []; window.__frames = []; }),
    /** Frame intervals since `resetLongTasks()`: count, median and worst 1% (ms). */
    frames: () =>
      page.evaluate(() => {
        const f = window.__frames.slice().sort((a, b) => a - b);
        const at = (q) => (f.length ? f[Math.min(f.length - 1, Math.floor(q * f.length))] : NaN);
        return { count: f.length, median: at(0.5), worst1: at(0.99), worst: f.length ? f[f.length - 1] : NaN };
      }),
  };
}

/**
 * Waits until the backend badge names the backend in use and the run is built (its status is
 * no longer "Preparing"); returns the badge's text. (Play itself is usable before that: pressed
 * early, the run starts once it is built.)
 */
export async function backendReady(page, timeout = 240_000) {
  const kind = page.getByTestId('backend-kind');
  await kind.waitFor({ timeout });
  await page.waitForFunction(
    () => {
      const status = document.querySelector('[data-testid=status]')?.innerText ?? '';
      return status !== '' && !status.startsWith('Preparing');
    },
    null,
    { timeout },
  );
  return (await page.getByTestId('backend-badge').innerText()).replace(/\s+/g, ' ');
}

/** The number in a stat card such as "93.5%" (NaN when it shows a dash). */
export async function percentOf(page, testid) {
  return parseFloat((await page.getByTestId(testid).innerText()).replace('%', ''));
}

/** Saves a full-page screenshot under tests/output/. */
export async function screenshot(page, name) {
  await mkdir(output, { recursive: true });
  const path = join(output, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Serves the built site and launches Chromium around a test file's tests (node:test hooks);
 * the returned object gets `server` and `browser` once they are up.
 */
export function siteAndBrowser() {
  const site = {};
  before(async () => {
    site.server = await serve();
    site.browser = await launch();
  });
  after(async () => {
    await site.browser?.close();
    await site.server?.close();
  });
  return site;
}
