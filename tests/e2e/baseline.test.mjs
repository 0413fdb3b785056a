// End-to-end tests of the foundation: the built site in Debian's Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteAndBrowser, open, backendReady, percentOf, screenshot } from './harness.mjs';

const site = siteAndBrowser();
const allRequests = [];

/** Opens a page in a fresh context (clipboard allowed) and remembers its requests. */
async function visit(query = '') {
  const context = await site.browser.newContext({ viewport: { width: 1360, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.server.origin });
  const p = await open(context, `${site.server.origin}/${query}`);
  allRequests.push(...p.requests);
  p.close = () => context.close();
  return p;
}

test('the page loads, names its backend, and training lifts accuracy above chance without freezing', async () => {
  const p = await visit('?backend=cpu&steps=5000');
  const { page } = p;
  const badge = await backendReady(page);
  assert.match(badge, /CPU \((Flex|NdArray)\)/);
  console.log(`backend badge: ${badge}`);
  await screenshot(page, 'baseline-ready');
  await p.resetLongTasks();
  await page.getByTestId('play').click();
  await page.waitForFunction(
    () => parseFloat(document.querySelector('[data-testid=test-accuracy]').innerText) > 50,
    null,
    { timeout: 120_000 },
  );
  const tasks = await p.longTasks();
  const speed = await page.getByTestId('speed').innerText();
  await page.keyboard.press(' ');
  const accuracy = await percentOf(page, 'test-accuracy');
  assert.ok(accuracy > 20, `test accuracy ${accuracy}% should beat chance (10%)`);
  const worst = tasks.length ? Math.max(...tasks) : 0;
  console.log(`worst main-thread task while training: ${worst.toFixed(1)} ms over 50 ms: ${tasks.length} tasks; speed ${speed} steps/s`);
  // A frozen tab is a failure; the 50 ms figure is reported above and recorded in the README.
  assert.ok(worst < 250, `a main-thread task took ${worst} ms`);
  await screenshot(page, 'baseline-trained');
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('a copied link reopened in a new page reproduces the settings and the loss curve', async () => {
  const p = await visit('?backend=cpu');
  const { page } = p;
  await backendReady(page);
  const historyBefore = await page.evaluate(() => history.length);
  await page.getByTestId('knob-hidden').fill('32');
  await page.getByTestId('knob-hidden').press('Enter');
  await page.getByTestId('knob-lr').fill('0.02');
  await page.getByTestId('knob-lr').press('Enter');
  await page.getByTestId('knob-seed').fill('7');
  await page.getByTestId('knob-seed').press('Enter');
  await backendReady(page);
  await page.getByTestId('copy-link').click();
  await page.getByTestId('copy-status').filter({ hasText: /Copied|refused/ }).waitFor();
  const shown = await page.getByTestId('share-link').inputValue();
  let link = shown;
  if ((await page.getByTestId('copy-status').innerText()).startsWith('Copied')) {
    link = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(link, shown);
  }
  assert.match(link, /hidden=32/);
  assert.match(link, /seed=7/);
  assert.equal(page.url(), link, 'the address bar carries the same link');
  const historyAfter = await page.evaluate(() => history.length);
  assert.equal(historyAfter, historyBefore, 'control changes replace the history entry instead of adding one');

  const q = new URL(link);
  const p2 = await visit(q.search);
  await backendReady(p2.page);
  for (const [key, value] of [['hidden', '32'], ['lr', '0.02'], ['seed', '7'], ['backend', 'cpu']]) {
    assert.equal(await p2.page.getByTestId(`knob-${key}`).inputValue(), value, key);
  }
  const curve = async (page) => {
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    for (let i = 0; i < 12; i++) await page.keyboard.press('s');
    await page.waitForFunction(() => document.querySelector('[data-testid=step-count]').innerText === '12');
    return page.getByTestId('loss-plot').locator('path.curve').first().getAttribute('d');
  };
  const a = await curve(page);
  const b = await curve(p2.page);
  assert.ok(a && a.length > 20, 'a loss curve is drawn');
  assert.equal(a, b, 'the reopened link draws the same loss curve');
  await p.close();
  await p2.close();
});

test('a mangled link shows what was repaired and still trains', async () => {
  const p = await visit('?v=9&lab=baseline&seed=banana&lr=abc&hidden=99999&backend=cpu&zzz=1&steps=60&eval=20');
  const { page } = p;
  await backendReady(page);
  const notices = await page.getByTestId('notices').innerText();
  for (const needle of ['v=9', 'seed', 'lr', 'hidden=99999', 'zzz']) {
    assert.ok(notices.includes(needle), `notice about ${needle}: ${notices}`);
  }
  assert.equal(await page.getByTestId('knob-hidden').inputValue(), '512');
  await screenshot(page, 'mangled-link');
  await page.getByTestId('play').click();
  await page.getByTestId('status').filter({ hasText: 'Finished' }).waitFor({ timeout: 120_000 });
  assert.ok((await percentOf(page, 'test-accuracy')) > 20);
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('backend=webgpu trains on the software WebGPU adapter', async () => {
  const p = await visit('?backend=webgpu&steps=30&eval=10');
  const { page } = p;
  const badge = await backendReady(page);
  console.log(`webgpu badge: ${badge}`);
  assert.match(badge, /WebGPU/);
  assert.doesNotMatch(badge, /unavailable/);
  await page.getByTestId('play').click();
  await page.getByTestId('status').filter({ hasText: 'Finished' }).waitFor({ timeout: 240_000 });
  assert.equal(await page.getByTestId('step-count').innerText(), '30');
  assert.ok((await percentOf(page, 'test-accuracy')) > 20);
  await screenshot(page, 'webgpu');
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('the in-page benchmark reports ms per step for every backend', async () => {
  const p = await visit('?backend=cpu');
  const { page } = p;
  await backendReady(page);
  await page.locator('.bench summary').click();
  await page.getByTestId('bench-run').click();
  await page.getByTestId('bench-table').locator('tbody tr').nth(2).waitFor({ timeout: 240_000 });
  const rows = await page.getByTestId('bench-table').locator('tbody tr').allInnerTexts();
  console.log(`in-page benchmark (ms/step):\n  ${rows.join('\n  ')}`);
  assert.equal(rows.length, 3);
  for (const row of rows.slice(0, 2)) assert.match(row, /\d+\.\d{3}/);
  await p.close();
});

test('the page makes no request outside its own origin', () => {
  assert.ok(allRequests.length > 0);
  const foreign = allRequests.filter((u) => !u.startsWith(site.server.origin) && !u.startsWith('data:') && !u.startsWith('blob:'));
  assert.deepEqual(foreign, []);
});
