// End-to-end: a sample of valid links at the edges of every lab's ranges (and the one that used
// to panic) opened cold in the page and stepped: the page shows the run, or a sentence saying
// why it stopped, and a notice for anything it changed; never the panic panel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteAndBrowser, open, backendReady } from './harness.mjs';

const site = siteAndBrowser();

const LINKS = [
  '?lab=groups&backend=cpu&compare=p4e4&fields=2&layers=2',
  '?lab=groups&backend=cpu&compare=z2-p4-p4m-p4e4&fields=32&layers=5&batch=512',
  '?lab=groups&backend=cpu&compare=p4m&fields=1&layers=1&batch=1&pool=mean&augment=dihedral',
  '?lab=baseline&backend=cpu&hidden=512&depth=4&batch=512&lr=10',
  '?lab=baseline&backend=cpu&hidden=4&depth=0&batch=1&data=fifth&steps=1&eval=1',
  '?lab=signs&backend=cpu&nodes=20&p=0.3&cross=0&k=16&graph=drawn&drawn=50.50',
  '?lab=signs&backend=cpu&base=ba&nodes=300&p=0.01&cross=1000&k=2&dim=3&lr=10',
  '?lab=dimension&backend=cpu&cloud=faces11&points=64&seeds=8&knn=50&held=100&order=12&ddim=32',
];

for (const link of LINKS) {
  test(`${link} runs or says why`, async () => {
    const context = await site.browser.newContext({ viewport: { width: 1360, height: 900 } });
    const p = await open(context, `${site.server.origin}/${link}`);
    const { page } = p;
    await backendReady(page);
    for (let i = 0; i < 2; i++) {
      await page.getByTestId('step').click();
      await page.waitForFunction(
        (n) => {
          const steps = parseInt(document.querySelector('[data-testid=step-count]').innerText, 10);
          const status = document.querySelector('[data-testid=status]').innerText;
          return steps > n || status.startsWith('Stopped') || status.startsWith('Finished');
        },
        i,
        { timeout: 120_000 },
      );
    }
    const status = await page.getByTestId('status').innerText();
    const steps = await page.getByTestId('step-count').innerText();
    const notices = (await page.getByTestId('notices').count()) ? await page.getByTestId('notices').innerText() : '';
    console.log(`${link}: step ${steps}, status "${status}"${notices ? `, notice: ${notices.replace(/\s+/g, ' ')}` : ''}`);
    assert.equal(await page.locator('#panic-panel').count(), 0, 'no panic panel');
    if (status.startsWith('Stopped')) assert.match(status, /learning rate/, 'a stop says why and what to try');
    for (const bad of ['NaN', 'Infinity']) {
      assert.ok(!(await page.locator('main').innerText()).includes(bad), `no ${bad} on the page`);
    }
    assert.deepEqual(p.errors, []);
    await context.close();
  });
}
