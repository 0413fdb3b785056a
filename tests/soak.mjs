// The training soak: the group-action lab trains for a long time in headless Chromium on each
// backend asked for, and the page's memory is sampled at a fixed interval: the wasm linear
// memory of the page and of its training worker together (it never shrinks, so any leak in the
// Rust side shows as growth) and the page's JavaScript heap after a forced garbage collection. A finished run is reset and played again,
// so leaks across runs count too. Growth is measured from the warm-up's largest sample (the
// first `--warmup` samples) to the largest later one; more than `--limit` percent (10 by
// default) fails.
//
// Usage (against the built site, `trunk build --release` first):
//   node tests/soak.mjs [--minutes 30] [--interval 60] [--warmup 2] [--limit 10] [--backends cpu,webgpu]
//                       [--steps cpu:20000,webgpu:20000]
// Writes tests/output/soak-<backend>.csv (minute, wasm bytes, JS heap bytes, steps) and prints
// the figures BENCHMARKS.md records.
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { serve, launch, output, backendReady } from './e2e/harness.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
const minutes = parseFloat(args.minutes ?? '30');
const intervalS = parseFloat(args.interval ?? '60');
const warmupSamples = parseInt(args.warmup ?? '2', 10);
const backends = (args.backends ?? 'cpu,webgpu').split(',');
// Step budget of each run, per backend (`cpu:1000,webgpu:150`): a finished run is reset and
// played again, so a short budget soaks many runs and a long one soaks one long run.
const budgets = Object.fromEntries((args.steps ?? 'cpu:20000,webgpu:20000').split(',').map((b) => b.split(':')));
const LIMIT = parseFloat(args.limit ?? '10') / 100;

// Keeps the wasm exports Trunk's loader announces, to read the module's memory.
function keepWasm() {
  addEventListener('TrunkApplicationStarted', (e) => {
    window.__wasm = e.detail.wasm;
  });
}

/**
 * Bytes of WebAssembly memory of the page and of its training worker together (the run lives
 * in the worker; the page's own module holds the views).
 */
async function wasmBytes(page) {
  let bytes = await page.evaluate(() => window.__wasm?.memory?.buffer.byteLength ?? 0);
  for (const worker of page.workers()) {
    bytes += await worker.evaluate(() => self.__wasm?.memory?.buffer.byteLength ?? 0);
  }
  return bytes || NaN;
}

async function soak(browser, origin, backend) {
  const link = `?lab=groups&backend=${backend}&steps=${budgets[backend] ?? 20000}`;
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  await context.addInitScript(keepWasm);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await page.goto(`${origin}/${link}`);
  await backendReady(page, 900_000);
  await page.getByTestId('play').click({ timeout: 120_000 });
  let restarts = 0;
  const samples = [];
  const started = Date.now();
  for (let i = 0; ; i++) {
    const due = started + i * intervalS * 1000;
    while (Date.now() < due) {
      await page.waitForTimeout(Math.min(5000, due - Date.now()));
      const status = await page.getByTestId('status').innerText();
      if (status.startsWith('Finished')) {
        restarts += 1;
        const wasm = await wasmBytes(page);
        console.log(`${backend} run ${restarts} finished at ${((Date.now() - started) / 60_000).toFixed(1)} min: wasm ${(wasm / 2 ** 20).toFixed(1)} MiB`);
        await page.getByTestId('reset').click();
        await backendReady(page, 900_000);
        await page.getByTestId('play').click({ timeout: 120_000 });
      } else if (status.startsWith('Stopped')) {
        throw new Error(`the ${backend} soak stopped: ${status}`);
      }
    }
    await cdp.send('HeapProfiler.collectGarbage');
    const sample = await page.evaluate(() => ({
      steps: parseInt(document.querySelector('[data-testid=step-count]').innerText, 10),
    }));
    sample.wasm = await wasmBytes(page);
    sample.heap = (await cdp.send('Runtime.getHeapUsage')).usedSize;
    sample.minute = (Date.now() - started) / 60_000;
    samples.push(sample);
    console.log(
      `${backend} ${sample.minute.toFixed(1)} min: wasm ${(sample.wasm / 2 ** 20).toFixed(1)} MiB, JS heap ${(sample.heap / 2 ** 20).toFixed(1)} MiB, step ${sample.steps}, restarts ${restarts}`,
    );
    if (sample.minute >= minutes) break;
  }
  const kind = await page.getByTestId('backend-kind').innerText();
  await mkdir(output, { recursive: true });
  await writeFile(
    join(output, `soak-${backend}.csv`),
    ['minute,wasm_bytes,js_heap_bytes,steps', ...samples.map((s) => `${s.minute.toFixed(2)},${s.wasm},${s.heap},${s.steps}`)].join('\n') + '\n',
  );
  await context.close();
  // Growth after the warm-up: the largest later sample against the warm-up's own largest (the
  // JS heap wanders by a few percent between collections; a leak keeps climbing past it).
  const cut = Math.min(warmupSamples, samples.length - 1);
  const peak = (list, key) => Math.max(...list.map((s) => s[key]));
  const growth = (key) => peak(samples.slice(cut + 1).concat(samples[cut]), key) / peak(samples.slice(0, cut + 1), key) - 1;
  return { backend, kind, restarts, samples, wasmGrowth: growth('wasm'), heapGrowth: growth('heap'), errors };
}

const server = await serve();
const browser = await launch();
let failed = false;
try {
  const results = await Promise.all(backends.map((b) => soak(browser, server.origin, b)));
  for (const r of results) {
    const last = r.samples.at(-1);
    console.log(
      `soak ${r.backend} (${r.kind}), ${last.minute.toFixed(1)} min, ${last.steps} steps in the last run, ${r.restarts} restarts: ` +
        `wasm memory ${(last.wasm / 2 ** 20).toFixed(1)} MiB, growth after warm-up ${(100 * r.wasmGrowth).toFixed(1)}%; ` +
        `JS heap ${(last.heap / 2 ** 20).toFixed(1)} MiB, growth ${(100 * r.heapGrowth).toFixed(1)}%`,
    );
    if (r.errors.length) {
      console.error(`page errors on ${r.backend}: ${r.errors.join('; ')}`);
      failed = true;
    }
    if (!(r.wasmGrowth < LIMIT && r.heapGrowth < LIMIT)) {
      console.error(`the ${r.backend} soak grew more than ${100 * LIMIT}% after its warm-up`);
      failed = true;
    }
  }
} finally {
  await browser.close();
  await server.close();
}
process.exit(failed ? 1 : 0);
