// End-to-end tests of start-up on the default links (backend=auto), opened cold as a visitor
// would: the page is usable at once and the backend choice finishes in the background.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteAndBrowser, open, screenshot } from './harness.mjs';

const site = siteAndBrowser();

async function visit(query) {
  const context = await site.browser.newContext({ viewport: { width: 1360, height: 900 } });
  const started = Date.now();
  const p = await open(context, `${site.server.origin}/${query}`);
  p.started = started;
  p.close = () => context.close();
  return p;
}

const playEnabled = (page, timeout = 60_000) =>
  page.waitForFunction(
    () => {
      const play = document.querySelector('[data-testid=play]');
      return play && !play.disabled;
    },
    null,
    { timeout },
  );

const steps = async (page) => parseInt(await page.getByTestId('step-count').innerText(), 10);

test('the default signs link is interactive while the backend is still being chosen', async () => {
  const p = await visit('?lab=signs');
  const { page } = p;
  await playEnabled(page);
  const interactiveMs = Date.now() - p.started;
  // The WebGPU warm-up (minutes on the software adapter) has not finished, yet Play works.
  assert.ok(await page.getByTestId('backend-pending').isVisible(), 'the choice is still pending');
  console.log(`time to interactive, ?lab=signs (auto, cold): ${interactiveMs} ms`);
  await page.getByTestId('knob-seed').fill('4');
  await page.getByTestId('knob-seed').press('Enter');
  assert.match(page.url(), /seed=4/, 'a control rewrites the link at once');
  await playEnabled(page);
  await page.getByTestId('play').click();
  await page.waitForFunction(
    () => parseInt(document.querySelector('[data-testid=step-count]').innerText, 10) >= 3,
    null,
    { timeout: 120_000 },
  );
  assert.ok(await page.getByTestId('backend-pending').isVisible(), 'trained before the choice was in');
  await screenshot(page, 'startup-signs-pending');
  assert.deepEqual(p.errors, []);
  await p.close();
});

test("auto's background choice keeps the run's settings", async () => {
  const p = await visit('?lab=baseline&hidden=32&seed=5&steps=20000');
  const { page } = p;
  await playEnabled(page);
  const interactiveMs = Date.now() - p.started;
  console.log(`time to interactive, ?lab=baseline (auto, cold): ${interactiveMs} ms`);
  await page.getByTestId('play').click();
  await page.waitForFunction(
    () => parseInt(document.querySelector('[data-testid=step-count]').innerText, 10) > 0,
    null,
    { timeout: 60_000 },
  );
  await page.getByTestId('backend-pending').waitFor({ state: 'detached', timeout: 240_000 });
  const chosenMs = Date.now() - p.started;
  const badge = (await page.getByTestId('backend-badge').innerText()).replace(/\s+/g, ' ');
  console.log(`backend chosen after ${chosenMs} ms: ${badge}`);
  assert.match(badge, /warm-up .*ms\/step/, 'the badge shows the timings');
  assert.match(page.url(), /hidden=32/);
  assert.match(page.url(), /seed=5/);
  const kind = await page.getByTestId('backend-kind').innerText();
  if (kind === 'WebGPU') {
    assert.match(badge, /moved from/, 'a move to WebGPU is said');
  } else {
    // Staying on the CPU keeps the run: training went on from where it was.
    const before = await steps(page);
    await page.waitForFunction(
      (n) => parseInt(document.querySelector('[data-testid=step-count]').innerText, 10) > n,
      before,
      { timeout: 60_000 },
    );
  }
  await screenshot(page, 'startup-baseline-chosen');
  assert.deepEqual(p.errors, []);
  await p.close();
});
