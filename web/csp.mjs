// Trunk post-build hook: writes the page's Content Security Policy. The policy lives in a
// <meta> tag of web/index.html with the placeholder 'trunk-inline-scripts', which this hook
// replaces with the sha256 hash of every inline <script> of the built page (Trunk's module
// script that loads the wasm, whose text names the hashed file names of each build), so the
// policy allows exactly those scripts and nothing else inline. Run by Trunk with
// TRUNK_STAGING_DIR set; usable by hand as `node web/csp.mjs DIR`.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PLACEHOLDER = "'trunk-inline-scripts'";
const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('csp.mjs: no staging directory (TRUNK_STAGING_DIR or an argument)');
const file = join(dir, 'index.html');
const html = readFileSync(file, 'utf8');
if (!html.includes(PLACEHOLDER)) throw new Error(`csp.mjs: ${file} has no ${PLACEHOLDER} placeholder`);

const hashes = [];
for (const [, attributes, text] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
  if (/\bsrc\s*=/.test(attributes)) continue;
  hashes.push(`'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`);
}
writeFileSync(file, html.replace(PLACEHOLDER, hashes.join(' ') || "'none'"));
console.log(`csp.mjs: ${hashes.length} inline script(s) allowed by hash`);
