// End-to-end checks of trust: the page's Content Security Policy holds and is never violated,
// a hostile link stays text, a learning rate that blows up stops every training lab with a
// sentence (no NaN drawn) and a sane one recovers, and a WebGPU device lost mid-run moves the
// run to the CPU with its settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteAndBrowser, open, backendReady, screenshot } from './harness.mjs';

const site = siteAndBrowser();

async function visit(query, init) {
  const context = await site.browser.newContext({ viewport: { width: 1360, height: 900 } });
  if (init) {
    // In the page and in its training worker (where the run's GPU device is made).
    await context.addInitScript(init);
    context.on('page', (page) => page.on('worker', (worker) => worker.evaluate(init).catch(() => {})));
  }
  const p = await open(context, `${site.server.origin}/${query}`);
  p.close = () => context.close();
  return p;
}

const stepCount = async (page) => parseInt(await page.getByTestId('step-count').innerText(), 10);

/** Waits until the run has taken more than `n` steps. */
const stepsPast = (page, n, timeout = 120_000) =>
  page.waitForFunction(
    (m) => parseInt(document.querySelector('[data-testid=step-count]').innerText, 10) > m,
    n,
    { timeout },
  );

/** Every number the page draws or prints is finite: no NaN or Infinity in text or in paths. */
async function assertNothingBrokenDrawn(page) {
  const text = await page.locator('main').innerText();
  for (const bad of ['NaN', 'Infinity']) assert.ok(!text.includes(bad), `no ${bad} in the page's text`);
  const badPaths = await page.evaluate(() =>
    [...document.querySelectorAll('svg [d], svg [x], svg [y], svg [cx], svg [cy], svg [points]')]
      .flatMap((e) => [...e.attributes].map((a) => a.value))
      .filter((v) => /NaN|Infinity/.test(v)).length,
  );
  assert.equal(badPaths, 0, 'no NaN or Infinity in any drawn shape');
}

test('the Content Security Policy is in force and nothing the page does violates it', async () => {
  for (const query of ['', '?lab=baseline&backend=cpu', '?lab=groups&backend=cpu', '?lab=dimension&backend=cpu']) {
    const p = await visit(query);
    const { page } = p;
    const policy = await page.locator('meta[http-equiv=Content-Security-Policy]').getAttribute('content');
    assert.ok(policy, 'the page carries a policy');
    assert.match(policy, /connect-src 'self'/);
    assert.match(policy, /script-src 'self' 'wasm-unsafe-eval'( 'sha256-[A-Za-z0-9+/=]+')+;/, 'inline scripts only by hash');
    assert.doesNotMatch(policy, /'unsafe-eval'|trunk-inline-scripts/);
    if (query) {
      await backendReady(page);
      await page.getByTestId('play').click();
      await stepsPast(page, 3);
      await page.getByTestId('play').click();
    } else {
      await page.locator('a', { hasText: 'Open the lab' }).first().waitFor();
    }
    const violations = await p.cspViolations();
    console.log(`CSP on ${query || '/'}: ${violations.length} violations while the page ran`);
    assert.deepEqual(violations, [], `no violation on ${query || '/'}`);
    // What the policy forbids is refused: an injected inline script and a string compiled as
    // code (a string timer, eval's cousin) do not run, and both are reported.
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.head.append(script);
      setTimeout('window.__stringRan = true', 0);
    });
    await page.waitForFunction(() => window.__cspViolations.length >= 2, null, { timeout: 10_000 });
    assert.equal(await page.evaluate(() => window.__inlineRan), undefined, 'an injected inline script is refused');
    assert.equal(await page.evaluate(() => window.__stringRan), undefined, 'a string timer is refused');
    console.log(`refused on ${query || '/'}: ${(await p.cspViolations()).join('; ')}`);
    await p.close();
  }
});

test('a hostile link is shown as text, never run as markup', async () => {
  const hostile = encodeURIComponent('<img src=x id=injected onerror="window.__pwned=1">');
  const p = await visit(`?lab=baseline&backend=cpu&seed=${hostile}&hide=${hostile},lr&drawn=${hostile}`);
  const { page } = p;
  await backendReady(page);
  const notices = await page.getByTestId('notices').innerText();
  console.log(`notices for the hostile link: ${notices.replace(/\s+/g, ' ')}`);
  assert.match(notices, /seed/, 'the bad seed is named in a notice');
  assert.equal(await page.locator('#injected').count(), 0, 'no element came from the link');
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no handler from the link ran');
  assert.equal(await page.locator('#panic-panel').count(), 0);
  assert.deepEqual(await p.cspViolations(), []);
  await p.close();
});

// Labs that train, with the largest learning rate their knob allows, where it overflows (the
// default MLP and the group CNNs do not: see the next test; the four-layer MLP does).
const BLOW_UPS = [
  { lab: 'baseline', link: '?lab=baseline&backend=cpu&hidden=512&depth=4&lr=10', sane: '0.01' },
  { lab: 'signs', link: '?lab=signs&backend=cpu&lr=10', sane: '0.01' },
  { lab: 'ace', link: '?lab=ace&backend=cpu&lr=10&dual=10', sane: '0.01' },
];

for (const { lab, link, sane } of BLOW_UPS) {
  test(`${lab}: a learning rate that blows up stops with a sentence, and a sane one recovers`, async () => {
    const p = await visit(link);
    const { page } = p;
    await backendReady(page);
    await page.getByTestId('play').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid=status]').innerText.startsWith('Stopped'),
      null,
      { timeout: 180_000 },
    );
    const status = await page.getByTestId('status').innerText();
    console.log(`${link}: "${status}" after step ${await stepCount(page)}`);
    assert.match(status, /diverged.*learning rate/, 'the stop says why and what to try');
    await assertNothingBrokenDrawn(page);
    await screenshot(page, `trust-${lab}-diverged`);
    // Recover: a sane learning rate restarts the run from step 0 and it trains.
    await page.getByTestId('knob-lr').fill(sane);
    await page.getByTestId('knob-lr').press('Enter');
    assert.match(page.url(), new RegExp(`lr=${sane}`));
    await backendReady(page);
    await page.getByTestId('play').click();
    await stepsPast(page, 3);
    assert.doesNotMatch(await page.getByTestId('status').innerText(), /Stopped/);
    await assertNothingBrokenDrawn(page);
    assert.equal(await page.locator('#panic-panel').count(), 0);
    assert.deepEqual(p.errors, []);
    await p.close();
  });
}

// The default MLP and the group CNNs at lr = 10: the loss stays finite at chance, so nothing
// overflows; the run pauses at the first report that shows it, with advice.
for (const { lab, link } of [
  { lab: 'baseline', link: '?lab=baseline&backend=cpu&lr=10' },
  { lab: 'groups', link: '?lab=groups&backend=cpu&lr=10' },
]) {
  test(`${lab}: a learning rate too large to learn pauses the run with advice`, async () => {
    const p = await visit(link);
    const { page } = p;
    await backendReady(page);
    await page.getByTestId('play').click();
    await page.getByTestId('advice').waitFor({ timeout: 180_000 });
    await page.getByTestId('status').filter({ hasText: /Paused|Stopped/ }).waitFor({ timeout: 30_000 });
    const advice = await page.getByTestId('advice').innerText();
    console.log(`${link}: "${await page.getByTestId('status').innerText()}" at step ${await stepCount(page)}: ${advice}`);
    assert.match(advice, /learning rate is probably too high/);
    await assertNothingBrokenDrawn(page);
    await screenshot(page, `trust-${lab}-advice`);
    assert.deepEqual(p.errors, []);
    await p.close();
  });
}

// Captures every GPUDevice the page (or its worker) creates, so the test can destroy it as a
// lost GPU would.
function captureGpuDevices() {
  globalThis.__gpuDevices = [];
  if (!('GPUAdapter' in globalThis)) return;
  const request = GPUAdapter.prototype.requestDevice;
  GPUAdapter.prototype.requestDevice = async function (...args) {
    const device = await request.apply(this, args);
    globalThis.__gpuDevices.push(device);
    return device;
  };
}

test('WebGPU lost mid-run: the run moves to the CPU with its settings and says why', async () => {
  const link = '?lab=baseline&backend=webgpu&hidden=32&seed=7&steps=20000';
  const p = await visit(link, captureGpuDevices);
  const { page } = p;
  await backendReady(page);
  const kind = await page.getByTestId('backend-kind').innerText();
  assert.equal(kind, 'WebGPU', 'the run starts on WebGPU (the software adapter here)');
  await page.getByTestId('play').click();
  await stepsPast(page, 5);
  const destroy = () => {
    for (const d of globalThis.__gpuDevices ?? []) d.destroy();
    return globalThis.__gpuDevices?.length ?? 0;
  };
  let devices = await page.evaluate(destroy);
  for (const worker of page.workers()) devices += await worker.evaluate(destroy);
  assert.ok(devices > 0, 'the page created a GPU device');
  await page.getByTestId('backend-reason').filter({ hasText: 'lost' }).waitFor({ timeout: 120_000 });
  const badge = (await page.getByTestId('backend-badge').innerText()).replace(/\s+/g, ' ');
  console.log(`after the GPU was lost: ${badge}`);
  assert.notEqual(await page.getByTestId('backend-kind').innerText(), 'WebGPU');
  assert.match(page.url(), /hidden=32/);
  assert.match(page.url(), /seed=7/);
  assert.match(page.url(), /backend=webgpu/, 'the link keeps what the user asked for');
  // Still playing: the restarted run trains on the CPU.
  const after = await stepCount(page);
  await stepsPast(page, after + 5);
  assert.doesNotMatch(await page.getByTestId('status').innerText(), /Stopped/);
  assert.equal(await page.locator('#panic-panel').count(), 0, 'no panic panel');
  await assertNothingBrokenDrawn(page);
  await screenshot(page, 'trust-webgpu-lost');
  await p.close();
});
