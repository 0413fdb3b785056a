// End-to-end test of the ACE digits lab in Chromium: the default link opened cold trains its
// four models to the end, and the claims that hold by construction come out on screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteAndBrowser, open, backendReady, screenshot } from './harness.mjs';

const site = siteAndBrowser();
const percentOf = async (page, id) => parseFloat(await page.getByTestId(id).innerText());

test('ACE on digits: strict P4 cannot tell upside down from upright, the Z2-CNN can, and the slack is shown per layer', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1360, height: 1000 } });
  const p = await open(context, `${site.server.origin}/?lab=ace-digits`);
  const { page } = p;
  await backendReady(page);
  // As a user does: Play at once, while auto still chooses the backend in the background.
  await p.resetLongTasks();
  const started = Date.now();
  await page.getByTestId('play').click();
  await page.getByTestId('backend-pending').waitFor({ state: 'detached', timeout: 600_000 });
  const choosing = await p.longTasks();
  await p.resetLongTasks();
  await page.getByTestId('status').filter({ hasText: 'Finished' }).waitFor({ timeout: 600_000 });
  const seconds = (Date.now() - started) / 1000;
  const training = await p.longTasks();
  const frames = await p.frames();
  const worst = (tasks) => (tasks.length ? Math.max(...tasks) : 0);
  const backend = await page.getByTestId('backend-badge').innerText();
  console.log(`ace-digits default run in the page (${backend.replace(/\s+/g, ' ').slice(0, 160)}): ${seconds.toFixed(1)} s for 600 steps of 4 models; worst main-thread task while auto chose the backend ${worst(choosing).toFixed(0)} ms (${choosing.length} over 50 ms), after the choice ${worst(training).toFixed(0)} ms (${training.length} over 50 ms); frames after the choice: ${frames.count}, median ${frames.median.toFixed(1)} ms, worst 1% ${frames.worst1.toFixed(1)} ms`);
  // A frozen tab is a failure, while auto chooses (in the training worker) and after; the
  // 50 ms and frame figures are benchmarks, reported above.
  assert.ok(worst(choosing) < 250, `a main-thread task took ${worst(choosing)} ms while auto chose`);
  assert.ok(worst(training) < 250, `a main-thread task took ${worst(training)} ms`);

  // Strict P4 is exactly rotation invariant: upside-down digits score as upright ones.
  const strictUp = await page.getByTestId('acd-strict-upright_accuracy').innerText();
  const strictDown = await page.getByTestId('acd-strict-upside_down_accuracy').innerText();
  assert.equal(strictDown, strictUp, 'strict P4 reads upside-down digits as upright ones');
  // The Z2-CNN is not: it loses much of its accuracy on upside-down digits.
  const z2Up = await percentOf(page, 'acd-z2-upright_accuracy');
  const z2Down = await percentOf(page, 'acd-z2-upside_down_accuracy');
  assert.ok(z2Down < z2Up - 20, `Z2 upright ${z2Up}% against upside down ${z2Down}%`);
  // Per-layer bars: |γ| of both ACE networks and the resilient slack, three layers.
  assert.equal(await page.getByTestId('acd-slack-bars').locator('rect[data-bar]').count(), 9);
  assert.equal(await page.locator('[data-testid^=acd-rows-]').count(), 4, 'rows of 6 and 9 per model');
  const finding = await page.getByTestId('acd-finding').innerText();
  assert.match(finding, /6\/9 confusion .* strict P4 \d+%/);
  console.log(`ace-digits: ${finding.replace(/\s+/g, ' ').slice(0, 400)}`);
  const text = await page.locator('main').innerText();
  assert.ok(!/NaN|Infinity/.test(text), 'no NaN or Infinity on the page');
  await page.getByTestId('acd-six-nine').scrollIntoViewIfNeeded();
  await screenshot(page, 'ace-digits');
  assert.deepEqual(p.errors, []);
  await context.close();
});
