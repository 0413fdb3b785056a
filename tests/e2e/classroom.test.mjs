// End-to-end tests of the classroom and sharing habits: the landing page, tours, classroom
// links that hide controls and panels, presenter mode, exports (metrics, charts, weights),
// themes, and an accessibility scan with axe-core, in Debian's Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { siteAndBrowser, open, percentOf, screenshot, output } from './harness.mjs';

const site = siteAndBrowser();
const require = createRequire(import.meta.url);
const LABS = ['baseline', 'groups', 'signs', 'dimension', 'ace', 'ace-digits'];

async function visit(query = '', viewport = { width: 1360, height: 900 }, colorScheme = 'light') {
  const context = await site.browser.newContext({ viewport, colorScheme, acceptDownloads: true });
  const p = await open(context, `${site.server.origin}/${query}`);
  p.close = () => context.close();
  return p;
}

/** Waits until the lab page is mounted, its Play button enabled and its run built. */
const playEnabled = (page, timeout = 120_000) =>
  page.waitForFunction(() => {
    const play = document.querySelector('[data-testid=play]');
    const status = document.querySelector('[data-testid=status]')?.innerText ?? '';
    return play !== null && !play.disabled && status !== '' && !status.startsWith('Preparing');
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

/** Width and height of a PNG file, from its IHDR chunk. */
const pngSize = (bytes) => [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];

/**
 * Saves the figure `name` as SVG and as PNG and checks both files against the figure on the
 * page: the SVG parses, is a standalone document and draws as many shapes as the page's figure
 * (plus a background; a gallery of small drawings also a frame and a caption per drawing; a
 * canvas one square per point); the PNG is the canvas, or the SVG at twice its size.
 */
async function checkFigure(page, lab, seed, name) {
  await page.getByTestId(`${name}-svg`).waitFor({ timeout: 120_000 });
  const svg = await download(page, `${name}-svg`);
  assert.equal(svg.name, `orbit-${lab}-seed${seed}-${name}.svg`);
  const text = svg.bytes.toString('utf8');
  assert.match(text, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/, `${name}: a standalone SVG`);
  const compared = await page.evaluate(([name, text]) => {
    const file = new DOMParser().parseFromString(text, 'image/svg+xml');
    const broken = file.querySelector('parsererror');
    const figure = document.querySelector(`[data-testid="${name}-svg"]`).closest('figure');
    const drawings = [...figure.querySelectorAll('svg')];
    const canvas = figure.querySelector('canvas');
    const shapes = (root) => root.querySelectorAll('circle,rect,path,line,polyline,polygon,text').length;
    const shown = (drawings[0] ?? canvas).getBoundingClientRect();
    return {
      broken: broken?.textContent ?? null,
      file: broken ? 0 : shapes(file.documentElement),
      fileSize: [Number(file.documentElement.getAttribute('width')), Number(file.documentElement.getAttribute('height'))],
      page: drawings.reduce((n, d) => n + shapes(d), 0),
      drawings: drawings.length,
      canvas: canvas ? [canvas.width, canvas.height] : null,
      points: canvas ? Number(figure.querySelector('figcaption').textContent.match(/^(\d+) points/)?.[1]) : null,
      shown: [Math.round(shown.width), Math.round(shown.height)],
    };
  }, [name, text]);
  assert.equal(compared.broken, null, `${name}: the SVG parses`);
  if (compared.canvas) {
    assert.equal(compared.file, compared.points + 1, `${name}: one square per point and a background`);
  } else if (compared.drawings > 1) {
    assert.equal(compared.file, compared.page + 1 + 2 * compared.drawings, `${name}: every drawing with its frame and caption`);
  } else {
    assert.equal(compared.file, compared.page + 1, `${name}: every shape of the figure and a background`);
    assert.deepEqual(compared.fileSize, compared.shown, `${name}: the size it has on screen`);
  }
  const png = await download(page, `${name}-png`);
  assert.equal(png.name, `orbit-${lab}-seed${seed}-${name}.png`);
  assert.deepEqual([...png.bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], `${name}: a PNG file`);
  // Kept for a person to look at: tests/output/figures/.
  await mkdir(`${output}/figures`, { recursive: true });
  await writeFile(`${output}/figures/${svg.name}`, svg.bytes);
  await writeFile(`${output}/figures/${png.name}`, png.bytes);
  const size = pngSize(png.bytes);
  const expected = compared.canvas ?? compared.fileSize.map((v) => 2 * v);
  assert.ok(Math.abs(size[0] - expected[0]) <= 1 && Math.abs(size[1] - expected[1]) <= 1,
    `${name}: PNG ${size.join('×')}, expected ${expected.join('×')}`);
  return { name, shapes: compared.file, png: size.join('×') };
}

test('every figure that is not a line chart saves as SVG and PNG: gallery, feature maps, confusion, graphs, clouds', async () => {
  const labs = [
    ['baseline', '?lab=baseline&backend=cpu&steps=20&eval=10&seed=3', 3, ['gallery']],
    ['groups', '?lab=groups&backend=cpu&compare=z2-p4&fields=2&layers=2&steps=30&eval=30&seed=2', 2,
      ['confusion', 'maps-input', 'maps-fx', 'maps-difference', 'maps-filters']],
    ['signs', '?lab=signs&backend=cpu&steps=20&eval=10&seed=4', 4,
      ['eigen-graph', 'eigen-spectrum', 'flip-signdss', 'cloud-equivariant']],
    ['dimension', '?lab=dimension&backend=cpu&seed=5', 5, ['point-cloud', 'ddim-empirical']],
    ['ace', '?lab=ace&backend=cpu&steps=40&eval=20&seed=6', 6, ['ace-card-strict']],
  ];
  for (const [lab, link, seed, names] of labs) {
    const p = await visit(link);
    await finish(p.page);
    const saved = [];
    for (const name of names) saved.push(await checkFigure(p.page, lab, seed, name));
    console.log(`figures saved (${lab}): ${saved.map((f) => `${f.name} ${f.shapes} shapes, PNG ${f.png}`).join('; ')}`);
    assert.deepEqual(p.errors, []);
    await p.close();
  }
});

test('the drawing board and the 3-D cloud work from the keyboard, with a visible focus', async () => {
  const p = await visit('?lab=signs&backend=cpu&graph=drawn');
  const { page } = p;
  await playEnabled(page);
  const board = page.getByTestId('editor-board');
  await board.focus();
  assert.notEqual(await board.evaluate((e) => getComputedStyle(e).outlineStyle), 'none', 'a visible focus ring');
  await page.getByTestId('editor-cursor').waitFor();
  // A node at the cursor's start (50, 50), another 20 to the right, a third 20 below it.
  await page.keyboard.press('Enter');
  for (let i = 0; i < 4; i += 1) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  for (let i = 0; i < 4; i += 1) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.getByTestId('editor-count').filter({ hasText: '3 nodes, 0 edges' }).waitFor();
  // N walks the nodes; Enter on two of them joins them: 0–1, then 1–2.
  for (const keys of [['n', 'Enter', 'n', 'Enter'], ['Enter', 'n', 'Enter']]) {
    for (const key of keys) await page.keyboard.press(key);
  }
  await page.getByTestId('editor-count').filter({ hasText: '3 nodes, 2 edges' }).waitFor();
  const drawn = new URL(page.url()).searchParams.get('drawn');
  assert.equal(drawn, '50.50_70.50_70.70~0-1_1-2', 'the keyboard drawing is in the link');
  // Delete removes the node under the cursor (node 2 and its edge).
  await page.keyboard.press('Delete');
  await page.getByTestId('editor-count').filter({ hasText: '2 nodes, 1 edges' }).waitFor();
  assert.deepEqual(await axeViolations(page), [], 'the board passes the accessibility scan');
  assert.deepEqual(p.errors, []);
  await p.close();

  const q = await visit('?lab=dimension&backend=cpu');
  await playEnabled(q.page);
  const cloud = q.page.getByTestId('cloud-canvas');
  await cloud.focus();
  assert.notEqual(await cloud.evaluate((e) => getComputedStyle(e).outlineStyle), 'none', 'a visible focus ring');
  const before = new URL(q.page.url()).searchParams;
  const yaw = Number(before.get('yaw') ?? 30);
  const pitch = Number(before.get('pitch') ?? 20);
  const pixels = () => cloud.evaluate((c) => c.toDataURL());
  const drawnBefore = await pixels();
  await q.page.keyboard.press('ArrowRight');
  await q.page.keyboard.press('ArrowUp');
  await q.page.waitForFunction(([y, p]) => {
    const s = new URL(location.href).searchParams;
    return Number(s.get('yaw')) === y && Number(s.get('pitch')) === p;
  }, [((yaw + 15 + 180) % 360) - 180, Math.min(pitch + 15, 90)]);
  assert.notEqual(await pixels(), drawnBefore, 'the cloud is drawn turned');
  assert.deepEqual(await axeViolations(q.page), [], 'the cloud passes the accessibility scan');
  assert.deepEqual(q.errors, []);
  await q.close();
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
    // The ACE digits lab is scanned after a short run, so that its tables, bars and rows of
    // 6 and 9 are on the page.
    const trained = '?lab=ace-digits&backend=cpu&fields=2&steps=20&eval=20';
    for (const query of ['', '?lab=baseline&backend=cpu', '?lab=ace&backend=cpu', trained]) {
      const p = await visit(query, { width: 1360, height: 900 }, scheme);
      if (query === trained) {
        await finish(p.page);
        await p.page.getByTestId('acd-rows-strict').waitFor();
      } else if (query) await playEnabled(p.page);
      else await p.page.getByTestId('landing').waitFor();
      const found = await axeViolations(p.page);
      console.log(`axe, ${scheme}, '${query}': ${found.length} serious or critical`);
      assert.deepEqual(found, [], `${scheme} ${query}`);
      if (scheme === 'dark' && query) await screenshot(p.page, `dark-${query.match(/lab=([\w-]+)/)[1]}`);
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
