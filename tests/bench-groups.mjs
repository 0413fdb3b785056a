// Diagnostic: the in-page benchmark on a given link (prints ms/step per backend).
import { serve, launch, open, backendReady } from './e2e/harness.mjs';
const s = await serve(); const b = await launch();
const p = await open(await b.newContext(), `${s.origin}/${process.argv[2] ?? ''}`);
await backendReady(p.page);
await p.page.locator('.bench summary').click();
await p.page.getByTestId('bench-run').click();
await p.page.getByTestId('bench-table').locator('tbody tr').nth(2).waitFor({ timeout: 300_000 });
console.log((await p.page.getByTestId('bench-table').locator('tbody tr').allInnerTexts()).join(' | '));
await b.close(); await s.close();
