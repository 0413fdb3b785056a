// End-to-end tests of the sign-flip lab in Debian's Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { siteAndBrowser, open, backendReady, screenshot, output } from './harness.mjs';

const site = siteAndBrowser();

test('the sign-flip lab trains five link predictors, SignDSS > DecodeOnly > GCN, and a sign flip recolours the graph without retraining', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1360, height: 1100 } });
  const p = await open(context, `${site.server.origin}/?lab=signs&backend=cpu`);
  const { page } = p;
  await backendReady(page);
  await page.getByTestId('eigen-panel').waitFor();
  await p.resetLongTasks();
  const started = Date.now();
  await page.getByTestId('play').click();
  await page.getByTestId('status').filter({ hasText: 'Finished' }).waitFor({ timeout: 300_000 });
  console.log(`signs: the default run (200 epochs, 2,000 O(d) minibatches) took ${((Date.now() - started) / 1000).toFixed(1)} s in the page`);
  const tasks = await p.longTasks();
  const worst = tasks.length ? Math.max(...tasks) : 0;
  const auc = async (key) => parseFloat(await page.getByTestId(`auc-${key}`).innerText());
  const [dss, dec, gcn, signnet, mlp] = await Promise.all(['signdss', 'decodeonly', 'gcn', 'signnet', 'mlp'].map(auc));
  console.log(`signs: test AUC SignDSS ${dss} DecodeOnly ${dec} GCN ${gcn} SignNet ${signnet} MLP ${mlp}; worst task ${worst.toFixed(0)} ms (${tasks.length} over 50 ms)`);
  assert.ok(dss > dec && dec > gcn, `SignDSS ${dss} > DecodeOnly ${dec} > GCN ${gcn}`);

  const steps = await page.getByTestId('step-count').innerText();
  const fill = () => page.getByTestId('graph-svg').locator('circle').first().getAttribute('fill');
  const before = await fill();
  await page.getByTestId('flip-1').click();
  await page.waitForFunction(() => location.search.includes('flips=1'));
  await page.waitForFunction((b) => document.querySelector('[data-testid=graph-svg] circle')?.getAttribute('fill') !== b, before);
  assert.equal(await page.getByTestId('step-count').innerText(), steps, 'a flip changes the view, not the run');
  // The models under the flip: SignDSS flips with it, SignNet does not move, the MLP does neither.
  await page.getByTestId('flip-panel').filter({ hasText: 'flipped: v1' }).waitFor();
  const err = async (id) => parseFloat(await page.getByTestId(id).innerText());
  const [dssEq, netInv, mlpInv, mlpEq] = await Promise.all(['eqv-signdss', 'inv-signnet', 'inv-mlp', 'eqv-mlp'].map(err));
  console.log(`signs flip panel: SignDSS equivariance ${dssEq}, SignNet change ${netInv}, MLP change ${mlpInv} / equivariance ${mlpEq}`);
  assert.ok(dssEq < 1e-6 && netInv < 1e-6, 'SignDSS equivariant, SignNet invariant');
  assert.ok(mlpInv > 1e-3 && mlpEq > 1e-3, 'the MLP is neither');
  await screenshot(page, 'signs');
  assert.deepEqual(p.errors, []);
  await context.close();
});

test('the O(d) task: the sign-equivariant frame model fits, the sign-invariant one cannot, the MLP fails on turned clouds, and the arrows follow the turn', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1360, height: 1100 } });
  const p = await open(context, `${site.server.origin}/?lab=signs&backend=cpu`);
  const { page } = p;
  await backendReady(page);
  await page.getByTestId('cloud-panel').waitFor();
  await page.getByTestId('play').click();
  await page.getByTestId('status').filter({ hasText: 'Finished' }).waitFor({ timeout: 300_000 });
  const num = async (id) => parseFloat(await page.getByTestId(id).innerText());
  const [eq, inv, avg, mlp] = await Promise.all(['od-equivariant', 'od-invariant', 'od-averaged', 'od-mlp'].map(num));
  console.log(`signs O(d): turned-cloud error equivariant ${eq}, invariant ${inv}, frame averaging ${avg}, MLP ${mlp}`);
  assert.ok(eq < 0.2, `the sign-equivariant model fits (${eq})`);
  assert.ok(inv > 0.8, `the sign-invariant model cannot (${inv})`);
  assert.ok(mlp > 5 * eq, `the MLP does worse on turned clouds (${mlp} against ${eq})`);

  const arrow = () => page.getByTestId('cloud-equivariant').locator('line[marker-end]').last().getAttribute('x2');
  const before = await arrow();
  const slider = page.getByTestId('turn-slider');
  await slider.fill('90');
  await page.waitForFunction(() => location.search.includes('turn=90'));
  await page.waitForFunction((b) => [...document.querySelectorAll('[data-testid=cloud-equivariant] line[marker-end]')].pop()?.getAttribute('x2') !== b, before);
  const [eqErr, mlpErr] = await Promise.all(['cloud-eqv-equivariant', 'cloud-eqv-mlp'].map(num));
  console.log(`signs O(d) at 90°: equivariance error equivariant ${eqErr}, MLP ${mlpErr}`);
  assert.ok(eqErr < 1e-4, 'the frame model follows the turn');
  assert.ok(mlpErr > 1e-2, 'the MLP does not');
  await page.getByTestId('cloud-panel').screenshot({ path: join(output, 'signs-cloud.png') });
  assert.deepEqual(p.errors, []);
  await context.close();
});

test('other graphs: the cycle shows a repeated eigenvalue, a turn inside its eigenspace gives eigenvectors again that no model handles, and the eigensolver is timed', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1360, height: 1100 } });
  const p = await open(context, `${site.server.origin}/?lab=signs&backend=cpu`);
  const { page } = p;
  await backendReady(page);
  await page.getByTestId('eigen-panel').waitFor();
  await page.getByTestId('knob-graph').selectOption('cycle');
  await page.getByTestId('eigen-panel').filter({ hasText: 'The cycle C₂₄, 24 nodes' }).waitFor();
  await page.getByTestId('turn-note').filter({ hasText: 'is repeated' }).waitFor();
  await page.getByTestId('rot-slider').fill('40');
  await page.waitForFunction(() => location.search.includes('rot=40'));
  const note = page.getByTestId('turn-note').filter({ hasText: 'still eigenvectors' });
  await note.waitFor();
  const residual = parseFloat((await note.innerText()).match(/= ([0-9.e+-]+), so/)[1]);
  await page.getByTestId('flip-panel').filter({ hasText: 'turned by 40°' }).waitFor();
  const num = async (id) => parseFloat(await page.getByTestId(id).innerText());
  const [dssEq, netInv] = await Promise.all(['eqv-signdss', 'inv-signnet'].map(num));
  console.log(`signs cycle, v1/v2 turned by 40°: residual ${residual}, SignDSS equivariance ${dssEq}, SignNet change ${netInv}`);
  assert.ok(residual < 1e-9, 'turned vectors are still eigenvectors');
  assert.ok(dssEq > 1e-3 && netInv > 1e-3, 'a basis turn is not a sign flip');
  await screenshot(page, 'signs-cycle');

  await page.getByTestId('spectrum-bench-run').click();
  await page.getByTestId('spectrum-bench-ms').nth(2).waitFor({ timeout: 120_000 });
  const ms = await page.getByTestId('spectrum-bench-ms').allInnerTexts();
  console.log(`signs eigensolver in the page: 100 / 200 / 400 nodes ${ms.join(' / ')} ms`);
  assert.equal(ms.length, 3);
  assert.deepEqual(p.errors, []);
  await context.close();
});

test('draw your own graph: nodes and edges by clicks and a drag, the spectrum follows, the drawing travels in the link, a mangled drawing is refused', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1360, height: 1100 } });
  const p = await open(context, `${site.server.origin}/?lab=signs&backend=cpu&graph=drawn`);
  const { page } = p;
  await backendReady(page);
  await page.getByTestId('eigen-empty').waitFor();
  const board = page.getByTestId('editor-board');
  // Mouse clicks at coordinates reach only what is inside the viewport.
  await board.scrollIntoViewIfNeeded();
  const box = await board.boundingBox();
  const at = (x, y) => ({ x: box.x + (x / 100) * box.width, y: box.y + (y / 100) * box.height });
  for (const [x, y] of [[20, 20], [80, 20], [80, 80], [20, 80]]) {
    const q = at(x, y);
    await page.mouse.click(q.x, q.y);
  }
  await page.getByTestId('editor-count').filter({ hasText: '4 nodes, 0 edges' }).waitFor();
  // Click-click joins 0–1 and 1–2; a drag joins 2–3 and another 3–0: a 4-cycle.
  await page.getByTestId('editor-node-0').click();
  await page.getByTestId('editor-node-1').click();
  await page.getByTestId('editor-node-1').click();
  await page.getByTestId('editor-node-2').click();
  for (const [a, b] of [[2, 3], [3, 0]]) {
    const from = await page.getByTestId(`editor-node-${a}`).boundingBox();
    const to = await page.getByTestId(`editor-node-${b}`).boundingBox();
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 5 });
    await page.mouse.up();
  }
  await page.getByTestId('editor-count').filter({ hasText: '4 nodes, 4 edges' }).waitFor();
  // The 4-cycle's normalised Laplacian has eigenvalues 0, 1, 1, 2: λ1 = λ2 repeats.
  await page.getByTestId('turn-note').filter({ hasText: 'λ1 is repeated (×2)' }).waitFor();
  const link = new URL(page.url());
  const drawn = link.searchParams.get('drawn');
  console.log(`signs drawing in the link: drawn=${drawn}`);
  assert.equal(drawn.split('~')[1].split('_').length, 4);
  await page.getByTestId('graph-editor').screenshot({ path: join(output, 'signs-drawn.png') });
  await page.getByTestId('eigen-panel').screenshot({ path: join(output, 'signs-drawn-eigen.png') });

  // The link reproduces the drawing; a mangled one is refused with a notice, not a crash.
  const p2 = await open(context, `${site.server.origin}/${link.search}`);
  await backendReady(p2.page);
  await p2.page.getByTestId('editor-count').filter({ hasText: '4 nodes, 4 edges' }).waitFor();
  const p3 = await open(context, `${site.server.origin}/?lab=signs&backend=cpu&graph=drawn&drawn=1.1_500.2~0-9`);
  await backendReady(p3.page);
  await p3.page.getByText('drawn: node "500.2"').first().waitFor();
  await p3.page.getByTestId('editor-count').filter({ hasText: '0 nodes' }).waitFor();
  for (const q of [p, p2, p3]) assert.deepEqual(q.errors, []);
  await context.close();
});
