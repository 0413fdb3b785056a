// Diagnostic: when do long tasks happen while training? (not part of the test suite)
import { serve, launch, open, backendReady } from './e2e/harness.mjs';
const s = await serve(); const b = await launch();
const p = await open(await b.newContext(), `${s.origin}/?backend=cpu`);
await backendReady(p.page);
await p.page.evaluate(() => { window.__lt = []; new PerformanceObserver(l => { for (const e of l.getEntries()) window.__lt.push([Math.round(e.startTime), Math.round(e.duration)]); }).observe({ type: 'longtask' }); window.__t0 = performance.now(); });
await p.page.getByTestId('play').click();
await p.page.waitForTimeout(6000);
console.log(JSON.stringify(await p.page.evaluate(() => ({ t0: Math.round(window.__t0), lt: window.__lt }))));
console.log(await p.page.getByTestId('step-count').innerText());
await b.close(); await s.close();
