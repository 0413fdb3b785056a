// End-to-end tests of the intrinsic-dimension lab in Debian's Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteAndBrowser, open, backendReady, screenshot } from './harness.mjs';

const site = siteAndBrowser();

/** The mean of an "a ± b" cell. */
const estimate = async (page, testid) => parseFloat(await page.getByTestId(testid).innerText());

async function runToEnd(p) {
  await p.resetLongTasks();
  await p.page.getByTestId('play').click();
  await p.page.getByTestId('status').filter({ hasText: 'Finished' }).waitFor({ timeout: 300_000 });
  const tasks = await p.longTasks();
  return tasks.length ? Math.max(...tasks) : 0;
}

test('the dimension lab recovers d = 2 on the torus, C4 and SO(2) act as the law says, and the page stays responsive', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1360, height: 1100 } });
  const p = await open(context, `${site.server.origin}/?lab=dimension&backend=cpu`);
  const { page } = p;
  await backendReady(page);
  const started = Date.now();
  const worst = await runToEnd(p);
  const seconds = (Date.now() - started) / 1000;
  const twonn = await estimate(page, 'est-twonn');
  const mle = await estimate(page, 'est-mle');
  const none = await estimate(page, 'est-scaling-no-symmetry');
  const c4 = await estimate(page, 'est-scaling-c4');
  const so2 = await estimate(page, 'est-scaling-so2');
  console.log(`dimension (torus, d = 2): TwoNN ${twonn} MLE ${mle} scaling ${none} / C4 ${c4} / SO(2) ${so2}; whole run ${seconds.toFixed(1)} s; worst task ${worst.toFixed(0)} ms`);
  for (const [name, v, d] of [['TwoNN', twonn, 2], ['MLE', mle, 2], ['scaling', none, 2], ['scaling C4', c4, 2], ['scaling SO(2)', so2, 1]]) {
    assert.ok(Math.abs(v - d) < 0.2, `${name}: ${v} vs ${d}`);
  }
  // A frozen tab is a failure; the 50 ms figure is a benchmark, reported above and in BENCHMARKS.md.
  assert.ok(worst < 250, `a main-thread task took ${worst} ms`);
  await page.getByTestId('ddim-panel').waitFor();
  assert.ok(await page.getByTestId('cloud').locator('canvas').isVisible());
  await screenshot(page, 'dimension');

  await page.getByTestId('dimension-bench-run').click();
  await page.getByTestId('dimension-bench-ms').nth(2).waitFor({ timeout: 120_000 });
  const ms = await page.getByTestId('dimension-bench-ms').allInnerTexts();
  console.log(`dimension in-page benchmark (ms): TwoNN+MLE 2500xR20 ${ms[0]}; scaling 2048x4000 ${ms[1]}, under C4 ${ms[2]}`);

  // Turning the view does not restart the run.
  const steps = await page.getByTestId('step-count').innerText();
  await page.getByTestId('knob-yaw').fill('75');
  await page.getByTestId('knob-yaw').press('Enter');
  await page.waitForFunction(() => location.search.includes('yaw=75'));
  assert.equal(await page.getByTestId('step-count').innerText(), steps);
  assert.deepEqual(p.errors, []);
  await context.close();
});

// The default link as a visitor opens it (backend=auto), Play pressed at once while the run is
// still being built. The lab computes in plain Rust, so no backend is timed for it: before, auto
// timed WebGPU against the CPU on these steps (noise), sometimes "moved" the run, and the restart
// then took the page's Play back to the worker's stale "paused" (a press lost at step 0).
test('the default link opened cold: Play pressed before the run is built computes to the end, and no backend is timed for a lab that uses none', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1360, height: 1100 } });
  const p = await open(context, `${site.server.origin}/?lab=dimension`);
  const { page } = p;
  const play = page.getByTestId('play');
  await play.waitFor();
  const building = await page.getByTestId('status').innerText();
  await play.click();
  await page.getByTestId('status').filter({ hasText: 'Finished' }).waitFor({ timeout: 120_000 });
  const badge = (await page.getByTestId('backend-badge').innerText()).replace(/\s+/g, ' ');
  console.log(`dimension default link: Play pressed while "${building}"; finished at step ${await page.getByTestId('step-count').innerText()}; badge: ${badge}`);
  assert.equal(await page.getByTestId('backend-kind').innerText(), 'CPU');
  assert.match(badge, /no tensor backend is used/);
  assert.equal(await page.getByTestId('backend-pending').count(), 0, 'nothing is being timed');
  // Another lab opened in the same page chooses its backend as usual.
  await page.getByTestId('knob-lab').selectOption('baseline');
  await page.getByTestId('backend-kind').filter({ hasText: /Flex|NdArray|WebGPU/ }).waitFor({ timeout: 60_000 });
  assert.deepEqual(p.errors, []);
  await context.close();
});

test('your own CSV points: a malformed file names its line, a good one is measured, and the loaded points survive a bad one', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1360, height: 1100 } });
  const p = await open(context, `${site.server.origin}/?lab=dimension&backend=cpu&cloud=custom`);
  const { page } = p;
  await backendReady(page);
  await page.getByTestId('dimension-problem').filter({ hasText: 'CSV' }).waitFor();
  await page.getByTestId('csv-text').fill('x,y\n1,2\n3,oops\n');
  await page.getByTestId('csv-load').click();
  await page.getByTestId('csv-status').filter({ hasText: 'line 3' }).waitFor();
  // A closed curve in R³: d = 1.
  const rows = ['a,b,c'];
  let state = 12345;
  const uniform = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < 600; i++) {
    const t = 2 * Math.PI * uniform();
    rows.push(`${Math.cos(t)},${Math.sin(t)},${0.3 * Math.sin(3 * t)}`);
  }
  await page.getByTestId('csv-text').fill(rows.join('\n'));
  await page.getByTestId('csv-load').click();
  await page.getByTestId('csv-status').filter({ hasText: 'loaded 600 points in R^3' }).waitFor();
  await runToEnd(p);
  const twonn = await estimate(page, 'est-twonn');
  console.log(`dimension (CSV curve, d = 1): TwoNN ${twonn}`);
  assert.ok(Math.abs(twonn - 1) < 0.25, `TwoNN on a curve: ${twonn}`);
  await page.getByTestId('csv-text').fill('1,2,3\n4,5\n');
  await page.getByTestId('csv-load').click();
  await page.getByTestId('csv-status').filter({ hasText: 'kept' }).waitFor();
  assert.equal(await estimate(page, 'est-twonn'), twonn, 'a bad file leaves the loaded points and their estimates');
  await screenshot(page, 'dimension-csv');
  assert.deepEqual(p.errors, []);
  await context.close();
});
