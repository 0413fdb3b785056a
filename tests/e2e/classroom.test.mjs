// End-to-end tests of the classroom and sharing habits: the landing page, tours, classroom
// links that hide controls and panels, presenter mode, exports (metrics, charts, weights),
// themes, and an accessibility scan with axe-core, in Debian's Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { siteAndBrowser, open, percentOf, screenshot, output } from './harness.mjs';

const site = siteAndBrowser();
const require = createRequire(import.meta.url);
const LABS = ['baseline', 'groups', 'signs', 'dimension', 'ace'];

async function visit(query = '', viewport = { width: 1360, height: 900 }, colorScheme = 'light') {
  const context = await site.browser.newContext({ viewport, colorScheme, acceptDownloads: true });
  const p = await open(context, `${site.server.origin}/${query}`);
  p.close = () => context.close();
  return p;
}

/** Waits until the lab page is mounted and its Play button is enabled. */
const playEnabled = (page, timeout = 120_000) =>
  page.waitForFunction(() => {
    const play = document.querySelector('[data-testid=play]');
    return play !== null && !play.disabled;
  }, null, { timeout });

/** Plays until the run's step budget is spent. */
async function finish(page, timeout = 180_000) {
  await playEnabled(page);
  await page.getByTestId('play').click();
  await page.getByTestId('status').filter({ hasText: /Finished/ }).waitFor({ timeout });
}

/** Clicks `testid` and returns the download's file name and bytes. */
async function download(page, testid) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

/** Serious or critical axe-core violations on the page, as readable lines. */
async function axeViolations(page) {
  // Evaluated by the test's own channel: the page's Content Security Policy (rightly) refuses
  // an inline <script> tag, which is how addScriptTag would insert it.
  await page.evaluate(await readFile(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
}

test('the landing page lists every lab, and each card opens its lab', async () => {
  const p = await visit('');
  const { page } = p;
  await page.getByTestId('landing').waitFor();
  for (const lab of LABS) {
    const card = page.getByTestId(`card-${lab}`);
    assert.ok(await card.isVisible(), `a card for ${lab}`);
    const loaded = await card.locator('img').evaluate((img) => img.complete && img.naturalWidth > 0);
    assert.ok(loaded, `the picture of ${lab} loads from the site`);
  }
  await screenshot(page, 'landing');
  for (const lab of LABS) {
    await page.goto(`${site.server.origin}/`);
    await page.getByTestId(`card-start-${lab}`).click();
    await page.getByTestId('tour').waitFor();
    assert.match(page.url(), new RegExp(`lab=${lab}`));
    assert.equal(await page.getByTestId('knob-lab').inputValue(), lab);
  }
  assert.ok(p.requests.every((u) => u.startsWith(site.server.origin)), 'nothing fetched elsewhere');
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('a tour step is a link that reproduces its experiment and is marked as the current step', async () => {
  const p = await visit('?lab=groups');
  const { page } = p;
  await page.getByTestId('tour').waitFor();
  const steps = await page.locator('[data-testid=tour] li').count();
  assert.ok(steps >= 3 && steps <= 6, `${steps} steps`);
  await page.getByTestId('tour-step-2').click();
  await page.waitForURL(/g=m/);
  await playEnabled(page);
  assert.equal(await page.getByTestId('knob-compare').inputValue(), 'z2-p4-p4m');
  assert.equal(await page.getByTestId('knob-g').inputValue(), 'm');
  assert.equal(await page.getByTestId('tour-step-2').getAttribute('aria-current'), 'step');
  assert.match(await page.getByTestId('share-link').inputValue(), /compare=z2-p4-p4m/);
  await screenshot(page, 'tour-groups');
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('a classroom link hides exactly what it names, and the hidden values still drive the run', async () => {
  const p = await visit('?lab=baseline&backend=cpu&hidden=16&depth=1&hide=hidden,share,loss-plot');
  const { page } = p;
  await playEnabled(page);
  assert.equal(await page.getByTestId('knob-hidden').isVisible(), false, 'the hidden control is hidden');
  assert.equal(await page.getByTestId('share-link').isVisible(), false, 'the share panel is hidden');
  assert.equal(await page.getByTestId('loss-plot').isVisible(), false, 'the loss chart is hidden');
  assert.ok(await page.getByTestId('knob-depth').isVisible(), 'other controls stay');
  assert.ok(await page.getByTestId('accuracy-plot').isVisible(), 'other charts stay');
  // 64·16 + 16 weights and biases into the hidden layer, 16·10 + 10 out of it.
  assert.equal(await page.getByTestId('params').innerText(), String(64 * 16 + 16 + 16 * 10 + 10));
  // The teacher's panel builds a new classroom link.
  await page.getByTestId('classroom').locator('summary').click();
  await page.getByTestId('hide-lr').check();
  await page.getByTestId('hide-hidden').uncheck();
  const link = await page.getByTestId('classroom-link').inputValue();
  assert.match(link, /hide=loss-plot,lr,share/);
  const q = await visit(link.slice(link.indexOf('?')));
  await playEnabled(q.page);
  assert.equal(await q.page.getByTestId('knob-lr').isVisible(), false);
  assert.ok(await q.page.getByTestId('knob-hidden').isVisible());
  await screenshot(q.page, 'classroom-link');
  await q.close();
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('presenter mode at 1280×720: large type, no horizontal scroll, and the p key', async () => {
  const p = await visit('?lab=groups&present=1', { width: 1280, height: 720 });
  const { page } = p;
  await playEnabled(page);
  const layout = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: document.documentElement.clientWidth,
    font: parseFloat(getComputedStyle(document.body).fontSize),
    present: document.documentElement.classList.contains('present'),
  }));
  console.log(`presenter mode at 1280×720: ${JSON.stringify(layout)}`);
  assert.ok(layout.present);
  assert.ok(layout.scroll <= layout.width, `horizontal scroll: ${layout.scroll} > ${layout.width}`);
  assert.ok(layout.font >= 20, `body font ${layout.font}px`);
  await page.screenshot({ path: `${output}/presenter.png` });
  await page.keyboard.press('p');
  await page.waitForFunction(() => !document.documentElement.classList.contains('present'));
  assert.doesNotMatch(page.url(), /present=1/);
  await page.keyboard.press('p');
  await page.waitForURL(/present=1/);
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('metrics export as CSV and JSON with one row per report, and charts as SVG and PNG', async () => {
  const p = await visit('?lab=baseline&backend=cpu&steps=20&eval=10&seed=3');
  const { page } = p;
  await finish(page);
  const csv = await download(page, 'export-csv');
  assert.equal(csv.name, 'orbit-baseline-seed3-metrics.csv');
  const lines = csv.bytes.toString('utf8').trim().split('\n');
  const comments = lines.filter((l) => l.startsWith('#'));
  assert.match(comments.join('\n'), /# link: .*lab=baseline.*seed=3/);
  assert.match(comments.join('\n'), /# seed: 3/);
  const [header, ...rows] = lines.filter((l) => !l.startsWith('#'));
  const columns = header.split(',');
  assert.equal(columns[0], 'step');
  assert.ok(columns.includes('test_accuracy'), header);
  assert.deepEqual(rows.map((r) => r.split(',')[0]), ['0', '10', '20'], 'reports at steps 0, 10, 20');
  for (const r of rows) assert.equal(r.split(',').length, columns.length);
  const shown = (await percentOf(page, 'test-accuracy')) / 100;
  const last = parseFloat(rows[2].split(',')[columns.indexOf('test_accuracy')]);
  assert.ok(Math.abs(last - shown) < 0.001, `CSV ${last} vs page ${shown}`);
  const json = JSON.parse((await download(page, 'export-json')).bytes.toString('utf8'));
  assert.equal(json.lab, 'baseline');
  assert.equal(json.seed, 3);
  assert.equal(json.reports.length, 3);
  const svg = await download(page, 'accuracy-plot-svg');
  assert.equal(svg.name, 'orbit-baseline-seed3-accuracy-plot.svg');
  const text = svg.bytes.toString('utf8');
  assert.match(text, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(text, /<path[^>]* d="M/);
  const png = await download(page, 'accuracy-plot-png');
  assert.equal(png.name, 'orbit-baseline-seed3-accuracy-plot.png');
  assert.deepEqual([...png.bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'a PNG file');
  assert.ok(png.bytes.length > 5000, `${png.bytes.length} bytes`);
  assert.deepEqual(p.errors, []);
  await p.close();
});

test('saved weights load into a fresh page with the same test accuracy; another lab refuses them', async () => {
  const link = '?lab=groups&backend=cpu&compare=z2-p4&fields=2&layers=2&steps=30&eval=30&seed=2';
  const p = await visit(link);
  await finish(p.page);
  const accuracy = await p.page.getByTestId('models-table').innerText();
  const weights = await download(p.page, 'export-weights');
  assert.equal(weights.name, 'orbit-groups-seed2-weights.orbit');
  await p.page.getByTestId('weights-status').filter({ hasText: /Saved/ }).waitFor();
  await p.close();

  const q = await visit(link);
  await playEnabled(q.page);
  const untrained = await q.page.getByTestId('models-table').innerText();
  await q.page.getByTestId('import-weights').setInputFiles({ name: weights.name, mimeType: 'application/octet-stream', buffer: weights.bytes });
  await q.page.getByTestId('weights-status').filter({ hasText: /Loaded the weights of step 30/ }).waitFor({ timeout: 60_000 });
  assert.notEqual(untrained, accuracy);
  assert.equal(await q.page.getByTestId('models-table').innerText(), accuracy, 'the same accuracies');
  assert.equal(await q.page.getByTestId('step-count').innerText(), '30');
  await q.close();

  const r = await visit('?lab=baseline&backend=cpu');
  await playEnabled(r.page);
  await r.page.getByTestId('import-weights').setInputFiles({ name: weights.name, mimeType: 'application/octet-stream', buffer: weights.bytes });
  const refused = r.page.getByTestId('weights-status').filter({ hasText: /Not loaded/ });
  await refused.waitFor({ timeout: 30_000 });
  assert.match(await refused.innerText(), /belongs to the .* lab/);
  assert.deepEqual(r.errors, []);
  await r.close();
});

test('the ACE lab saves its networks with their multipliers and slacks, and a fresh page continues from them', async () => {
  const link = '?lab=ace&backend=cpu&train=32&wind=0.5&steps=40&eval=40&seed=2';
  const p = await visit(link);
  await finish(p.page);
  const table = await p.page.getByTestId('ace-table').innerText();
  const explanation = await p.page.getByTestId('ace-explanation').innerText();
  const weights = await download(p.page, 'export-weights');
  assert.equal(weights.name, 'orbit-ace-seed2-weights.orbit');
  await p.close();

  const q = await visit(link);
  await playEnabled(q.page);
  await q.page.getByTestId('import-weights').setInputFiles({ name: weights.name, mimeType: 'application/octet-stream', buffer: weights.bytes });
  await q.page.getByTestId('weights-status').filter({ hasText: /Loaded the weights of step 40/ }).waitFor({ timeout: 60_000 });
  // The same errors, γ, λ and u: the duals came back with the networks.
  assert.equal(await q.page.getByTestId('ace-table').innerText(), table, 'the same mode table');
  assert.equal(await q.page.getByTestId('ace-explanation').innerText(), explanation, 'the same λ and u');
  assert.deepEqual(q.errors, []);
  await q.close();
});

test('no serious accessibility violations on the landing page and a lab, in both themes', async () => {
  for (const scheme of ['light', 'dark']) {
    for (const query of ['', '?lab=baseline&backend=cpu', '?lab=ace&backend=cpu']) {
      const p = await visit(query, { width: 1360, height: 900 }, scheme);
      if (query) await playEnabled(p.page);
      else await p.page.getByTestId('landing').waitFor();
      const found = await axeViolations(p.page);
      console.log(`axe, ${scheme}, '${query}': ${found.length} serious or critical`);
      assert.deepEqual(found, [], `${scheme} ${query}`);
      if (scheme === 'dark' && query) await screenshot(p.page, `dark-${query.match(/lab=(\w+)/)[1]}`);
      await p.close();
    }
  }
  // The theme button overrides the system's setting and is remembered.
  const p = await visit('?lab=baseline&backend=cpu', { width: 1360, height: 900 }, 'light');
  await p.page.getByTestId('theme-toggle').click();
  assert.equal(await p.page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  await p.page.reload();
  await p.page.getByTestId('theme-toggle').waitFor();
  assert.equal(await p.page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.equal(await p.page.getByTestId('theme-toggle').getAttribute('aria-pressed'), 'true');
  await p.close();
});
