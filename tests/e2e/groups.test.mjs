// End-to-end tests of the group-action lab in Debian's Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteAndBrowser, open, backendReady, screenshot } from './harness.mjs';

const site = siteAndBrowser();

const number = async (page, testid) => parseFloat(await page.getByTestId(testid).innerText());

test('the group-action lab trains Z2, P4 and P4M side by side and P4 wins on rotated digits', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1360, height: 1000 } });
  const p = await open(context, `${site.server.origin}/?lab=groups&backend=cpu&steps=150&eval=25`);
  const { page } = p;
  await backendReady(page);
  await page.getByTestId('action-panel').getByTestId('panel-layer-error').waitFor({ timeout: 60_000 });
  const before = await number(page, 'panel-layer-error');
  assert.ok(before < 1e-5, `P4 layer error under a 90° rotation: ${before}`);
  await p.resetLongTasks();
  await page.getByTestId('play').click();
  await page.getByTestId('status').filter({ hasText: 'Finished' }).waitFor({ timeout: 400_000 });
  const tasks = await p.longTasks();
  const worst = tasks.length ? Math.max(...tasks) : 0;
  const z2 = await number(page, 'z2-rotated');
  const p4 = await number(page, 'p4-rotated');
  console.log(`groups: rotated test accuracy Z2 ${z2}% P4 ${p4}%; worst task ${worst.toFixed(0)} ms (${tasks.length} over 50 ms)`);
  assert.ok(p4 > z2 + 10, `P4 ${p4}% should beat Z2 ${z2}% on rotated digits`);
  assert.ok((await number(page, 'p4-rotation-error')) < 1e-5);
  assert.ok((await number(page, 'z2-rotation-error')) > 1e-3);
  const after = await number(page, 'panel-layer-error');
  assert.ok(after < 1e-5, `P4 stays equivariant after training: ${after}`);
  // The features' intrinsic dimension, layer by layer, is plotted (one point per layer).
  const profile = page.getByTestId('layer-profile-plot');
  assert.ok((await profile.locator('circle').count()) >= 3 * 4, 'a TwoNN point per model and layer');
  await screenshot(page, 'groups-trained');

  // Panel knobs change the view, not the run.
  const steps = await page.getByTestId('step-count').innerText();
  await page.getByTestId('knob-g').selectOption('m');
  await page.waitForFunction(() => parseFloat(document.querySelector('[data-testid=panel-layer-error]')?.innerText) > 1e-3);
  assert.equal(await page.getByTestId('step-count').innerText(), steps, 'changing the panel does not restart training');
  assert.match(page.url(), /g=m/);
  await page.getByTestId('knob-g').selectOption('angle');
  await page.waitForFunction(() => parseFloat(document.querySelector('[data-testid=panel-layer-error]')?.innerText) > 1e-3);
  await screenshot(page, 'groups-panel-angle');
  assert.deepEqual(p.errors, []);
  await context.close();
});

test('the in-page benchmark times each compared model alone on every backend (batch 64)', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1360, height: 1000 } });
  const p = await open(context, `${site.server.origin}/?lab=groups&backend=cpu&batch=64&compare=z2-p4`);
  const { page } = p;
  await backendReady(page);
  await page.locator('.bench summary').click();
  await page.getByTestId('bench-run').click();
  const rows = page.getByTestId('bench-table').locator('tbody tr');
  await rows.nth(5).waitFor({ timeout: 300_000 });
  const texts = await rows.allInnerTexts();
  console.log(`groups in-page benchmark, batch 64 (ms/step):\n  ${texts.join('\n  ')}`);
  assert.equal(texts.length, 6, 'two models × three backends');
  for (const model of ['Z2-CNN', 'P4 G-CNN']) {
    const flex = texts.find((t) => t.includes('Flex') && t.includes(model));
    assert.match(flex ?? '', /\d+\.\d{3}/, `${model} on Flex`);
  }
  assert.deepEqual(p.errors, []);
  await context.close();
});
