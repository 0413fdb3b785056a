// End-to-end tests of the ACE lab in Chromium: the default run's claims on screen, the turn
// slider, the windy run's claim, and how long the default run takes in the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteAndBrowser, open, backendReady, screenshot } from './harness.mjs';

const site = siteAndBrowser();

async function visit(query) {
  const context = await site.browser.newContext({ viewport: { width: 1360, height: 900 } });
  const p = await open(context, `${site.server.origin}/${query}`);
  p.close = () => context.close();
  return p;
}

const num = async (page, id) => parseFloat(await page.getByTestId(id).innerText());

async function trainToTheEnd(p) {
  const { page } = p;
  await backendReady(page);
  await p.resetLongTasks();
  const started = Date.now();
  await page.getByTestId('play').click();
  await page.getByTestId('status').filter({ hasText: 'Finished' }).waitFor({ timeout: 600_000 });
  const seconds = (Date.now() - started) / 1000;
  const tasks = await p.longTasks();
  const worst = tasks.length ? Math.max(...tasks) : 0;
  const frames = await p.frames();
  return { seconds, worst, count: tasks.length, frames };
}

test('ACE on symmetric data: f_eq at least as good as strict, γ vanishes, arrows follow the turn', async () => {
  // The default link, opened cold, Play as soon as it is enabled (auto times WebGPU meanwhile).
  const p = await visit('?lab=ace');
  const { page } = p;
  const { seconds, worst, count, frames } = await trainToTheEnd(p);
  console.log(`ace default run in the page: ${seconds.toFixed(1)} s for 1500 steps of 4 modes; worst main-thread task ${worst.toFixed(0)} ms (${count} over 50 ms); frames: ${frames.count}, median ${frames.median.toFixed(1)} ms, worst 1% ${frames.worst1.toFixed(1)} ms, worst ${frames.worst.toFixed(0)} ms`);
  // A frozen tab is a failure; the 50 ms and frame figures are benchmarks, reported above.
  assert.ok(worst < 250, `a main-thread task took ${worst} ms`);
  const strict = await num(page, 'ace-eq-strict');
  const equality = await num(page, 'ace-eq-equality');
  const gamma = await num(page, 'ace-gamma-equality');
  console.log(`ace symmetric: f_eq error strict ${strict}, ACE equality ${equality}; max|γ| ${gamma}`);
  assert.ok(equality <= strict * 1.05, `ACE's f_eq ${equality} against strict's ${strict}`);
  assert.ok(gamma < 0.05, `ACE's γ ends small (${gamma})`);
  const slider = page.getByTestId('turn-slider');
  await slider.fill('90');
  await page.waitForFunction(() => document.querySelector('[data-testid=ace-arrows]').innerText.includes('turned by 90°'));
  const strictEqv = await num(page, 'ace-set-eqv-strict');
  const freeEqv = await num(page, 'ace-set-eqv-free');
  console.log(`ace arrows at 90°: equivariance strict ${strictEqv}, unconstrained ${freeEqv}`);
  assert.ok(strictEqv < 1e-4, 'the strict arrows turn with the input');
  assert.ok(freeEqv > 1e-3, 'the unconstrained ones do not');
  assert.match(await page.getByTestId('ace-explanation').innerText(), /λ/);
  const trend = await page.getByTestId('ace-trend').innerText();
  console.log(`ace ${trend}`);
  const slope = parseFloat(trend.match(/≈ ([0-9.]+) ×/)[1]);
  assert.ok(slope > 0.01, `a positive linear trend (${trend})`);
  await screenshot(page, 'ace');
  assert.deepEqual(p.errors, []);
  await p.close();
});

// The default budget is the symmetric test's (opened cold above); here 500 steps, a third of it,
// are enough for the claim to show on screen: natively (`orbit run 'lab=ace&wind=0.5&steps=500'`)
// strict's test error levels off near 0.44 by step 100, resilient's is below 0.01 from step 200.
test('ACE on windy data: resilient beats strict', async () => {
  const p = await visit('?lab=ace&backend=cpu&wind=0.5&steps=500');
  const { page } = p;
  await trainToTheEnd(p);
  const strict = await num(page, 'ace-full-strict');
  const resilient = await num(page, 'ace-full-resilient');
  console.log(`ace wind 0.5: test error strict ${strict}, resilient ${resilient}`);
  assert.ok(resilient < 0.8 * strict, `resilient ${resilient} against strict ${strict}`);
  await screenshot(page, 'ace-wind');
  assert.deepEqual(p.errors, []);
  await p.close();
});
