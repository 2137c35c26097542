// End-to-end tests of the explorer and the widget in a real browser: Debian's headless
// Chromium driven by playwright-core, against the real zhengce server started here on a
// free loopback port, with a second small server on another port as the "portal" that
// embeds the widget. Screenshots of every page go to artifacts/. Exits non-zero on any
// failure and ends with a line "N passed, N failed".
//
//   node e2e/run.mjs            (after `cargo build`; ZHENGCE_BIN=path picks another binary)

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ARTIFACTS = path.resolve(process.env.ARTIFACTS || path.join(ROOT, 'artifacts'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];
const PAGE_WEIGHT_LIMIT = 150 * 1024;

// ---------------------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------------------

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

class Skip extends Error {}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

function equal(actual, expected, message) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${message}: expected ${e}, got ${a}`);
}

async function test(name, body) {
  const started = Date.now();
  try {
    await body();
    passed += 1;
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    if (error instanceof Skip) {
      skipped += 1;
      console.log(`skip ${name}: ${error.message}`);
      return;
    }
    failed += 1;
    failures.push(name);
    console.log(`FAIL ${name}\n     ${String(error?.stack || error).split('\n').slice(0, 6).join('\n     ')}`);
  }
}

function pickBinary() {
  if (process.env.ZHENGCE_BIN) return process.env.ZHENGCE_BIN;
  const candidates = ['release', 'debug']
    .map((profile) => path.join(ROOT, 'target', profile, 'zhengce'))
    .filter((file) => fs.existsSync(file))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (!candidates.length) throw new Error('no zhengce binary: run `cargo build` first or set ZHENGCE_BIN');
  return candidates[0];
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function startServer(binary, work) {
  const port = await freePort();
  const log = fs.openSync(path.join(ARTIFACTS, 'server.log'), 'w');
  const child = spawn(
    binary,
    ['serve', '--db', path.join(work, 'zhengce.db'), '--data', path.join(ROOT, 'data'), '--bind', `127.0.0.1:${port}`],
    { stdio: ['ignore', log, log], env: { ...process.env, RUST_LOG: process.env.RUST_LOG || 'info' } }
  );
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}; see artifacts/server.log`);
    try {
      const response = await fetch(`${base}/ready`);
      if (response.ok) return { child, base };
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  child.kill('SIGTERM');
  throw new Error('the server did not become ready within 180 s');
}

/** The "portal": a page on another origin that embeds the widget. */
function startPortal(base) {
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A city portal</title>
<style>body{font-family:sans-serif;margin:2rem;background:#eef2f5}.row{display:flex;gap:2rem;flex-wrap:wrap}
iframe{border:1px solid #ccd;border-radius:6px;background:#fff}</style></head>
<body><h1>A city portal</h1><p>Policy measures on online healthcare, from zhengce:</p>
<div class="row">
<iframe id="light" src="${base}/embed/measures?theme=online-healthcare&amp;limit=4" title="Policy measures" width="420" height="460" loading="eager"></iframe>
<iframe id="dark" src="${base}/embed/measures?theme=online-healthcare&amp;theme=dark&amp;lang=en&amp;limit=3" title="Policy measures (English)" width="420" height="460" loading="eager"></iframe>
</div>
<p>The explorer itself refuses to be framed by another site:</p>
<iframe id="explorer" src="${base}/" title="explorer" width="300" height="120"></iframe>
</body></html>`;
  const server = http.createServer((request, response) => {
    if (request.url === '/favicon.ico') {
      response.writeHead(204);
      response.end();
    } else if (request.url === '/' || request.url.startsWith('/?')) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(page);
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}/` })));
}

// ---------------------------------------------------------------------------------------
// Helpers over the page and the API
// ---------------------------------------------------------------------------------------

let BASE;
const api = async (url) => {
  const response = await fetch(`${BASE}${url}`, { headers: { Accept: 'application/json' } });
  assert(response.ok, `GET ${url}: ${response.status}`);
  return response.json();
};
const apiTotal = async (pairs) => (await api(`/v1/measures?${new URLSearchParams([...pairs, ['limit', '1']])}`)).meta.total;

/** Waits until the explorer has drawn the current URL. */
async function settled(page) {
  await page.waitForFunction(() => {
    const main = document.getElementById('main');
    return main && !main.hasAttribute('aria-busy') && !main.querySelector('p.loading');
  });
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

const consoleProblems = [];
/** Console errors a test provokes on purpose, while it runs. */
const tolerated = [];
function watch(page, label, expected = []) {
  page.on('console', (message) => {
    const text = message.text();
    const allowed = [...expected, ...tolerated].some((pattern) => pattern.test(text));
    if (message.type() === 'error' && !allowed) consoleProblems.push(`${label}: ${text}`);
  });
  page.on('pageerror', (error) => consoleProblems.push(`${label}: ${error.message}`));
}

// ---------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------

async function run(context, portal) {
  const page = context.pages()[0] || (await context.newPage());
  watch(page, 'explorer');
  let weight = null;
  let measureId = null;
  let agencyId = null;

  await test('first load of the explorer is under 150 KB transferred', async () => {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const sizes = new Map();
    const urls = new Map();
    cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
    cdp.on('Network.loadingFinished', (e) => sizes.set(e.requestId, e.encodedDataLength));
    await page.goto(`${BASE}/`, { waitUntil: 'networkidle' });
    await settled(page);
    await page.waitForSelector('.result');
    await sleep(300);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
    await cdp.detach();
    const rows = [...sizes].map(([id, bytes]) => [new URL(urls.get(id) || 'about:blank').pathname + (new URL(urls.get(id) || 'about:blank').search ? '?…' : ''), bytes]);
    weight = rows.reduce((sum, [, bytes]) => sum + bytes, 0);
    const report = [...rows.map(([url, bytes]) => `${String(bytes).padStart(8)}  ${url}`), `${String(weight).padStart(8)}  total (${(weight / 1024).toFixed(1)} KB, ${rows.length} requests)`].join('\n');
    fs.writeFileSync(path.join(ARTIFACTS, 'page-weight.txt'), `${report}\n`);
    console.log(`     first load: ${(weight / 1024).toFixed(1)} KB transferred in ${rows.length} requests`);
    await shot(page, '01-home');
    assert(weight > 0 && weight < PAGE_WEIGHT_LIMIT, `first load is ${weight} bytes`);
  });

  await test('search 医疗 shows highlighted results and the API count', async () => {
    await page.goto(`${BASE}/`);
    await settled(page);
    await page.getByLabel(/在措施全文中搜索/).fill('医疗');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search\?q=%E5%8C%BB%E7%96%97/);
    await settled(page);
    const total = Number(await page.getAttribute('#result-count', 'data-total'));
    equal(total, await apiTotal([['q', '医疗']]), 'result count');
    assert(total > 0, 'results for 医疗');
    const marks = await page.$$eval('.result .snippet mark', (nodes) => nodes.map((n) => n.textContent));
    assert(marks.length > 0, 'snippets have highlights');
    assert(marks.every((m) => m.includes('医疗') || '医疗'.includes(m)), `highlights are the query: ${marks}`);
    const shown = await page.$$eval('.result', (nodes) => nodes.length);
    equal(shown, Math.min(total, 20), 'results on the first page');
    const withMark = await page.$$eval('.result', (nodes) => nodes.filter((n) => n.querySelector('.snippet mark')).length);
    assert(withMark >= Math.min(3, shown), `most results show the match (${withMark} of ${shown})`);
    // Where the API ranks and snippets (/v1/search), the results show its snippets and marks.
    const search = await fetch(`${BASE}/v1/search?q=${encodeURIComponent('医疗')}&type=measure&limit=20`);
    if (search.ok) {
      const hits = new Map((await search.json()).data.map((hit) => [hit.id, hit]));
      const shownSnippets = await page.$$eval('.result', (lis) =>
        lis.map((li) => [li.dataset.id, li.querySelector('.snippet').textContent, [...li.querySelectorAll('.snippet mark')].map((m) => m.textContent)])
      );
      let matched = 0;
      for (const [id, text, marks] of shownSnippets) {
        const hit = hits.get(id);
        if (!hit) continue;
        matched += 1;
        equal(text, hit.snippet, `snippet of ${id}`);
        const points = Array.from(hit.snippet);
        equal(marks, hit.highlights.map(({ start, end }) => points.slice(start, end).join('')), `marks of ${id}`);
      }
      assert(matched > 0, 'results carry the API snippets');
    }
    await shot(page, '02-search');
  });

  await test('an agency facet narrows the results to the API count, and back', async () => {
    const before = Number(await page.getAttribute('#result-count', 'data-total'));
    const button = page.locator('button.facet-value[data-facet="agency"]').first();
    agencyId = await button.getAttribute('data-value');
    const facetCount = Number(await button.locator('.facet-count').textContent());
    await button.click();
    await page.waitForURL((url) => url.searchParams.getAll('agency').includes(agencyId));
    await settled(page);
    const after = Number(await page.getAttribute('#result-count', 'data-total'));
    const expected = await apiTotal([['q', '医疗'], ['agency', agencyId]]);
    equal(after, expected, 'narrowed count');
    equal(after, facetCount, 'count announced by the facet');
    assert(after < before, `the count drops (${before} → ${after})`);
    equal(await page.getAttribute(`button.facet-value[data-facet="agency"][data-value="${agencyId}"]`, 'aria-pressed'), 'true', 'the facet is pressed');
    assert((await page.getAttribute('#result-count', 'aria-live')) === 'polite', 'the count is announced');
    await shot(page, '03-search-agency-facet');
    // The URL holds the state: a reload shows the same view.
    await page.reload();
    await settled(page);
    equal(Number(await page.getAttribute('#result-count', 'data-total')), expected, 'count after reload');
    equal(await page.inputValue('#q'), '医疗', 'query after reload');
    // Click again to remove.
    await page.click(`button.facet-value[data-facet="agency"][data-value="${agencyId}"]`);
    await page.waitForURL((url) => !url.searchParams.has('agency'));
    await settled(page);
    equal(Number(await page.getAttribute('#result-count', 'data-total')), before, 'count after removing the facet');
    await page.goBack();
    await settled(page);
    equal(Number(await page.getAttribute('#result-count', 'data-total')), expected, 'count after going back');
  });

  await test('a jurisdiction facet counts the jurisdictions below it, as the filter does', async () => {
    await page.goto(`${BASE}/search`);
    await settled(page);
    const facets = await page.$$eval('button.facet-value[data-facet="jurisdiction"]', (buttons) =>
      buttons.map((b) => [b.dataset.value, Number(b.querySelector('.facet-count').textContent)])
    );
    assert(facets.length > 0, 'jurisdiction facet values');
    for (const [id, count] of facets) equal(count, await apiTotal([['jurisdiction', id]]), `facet count of ${id}`);
    const [id, count] = facets.find(([value]) => value === 'chongqing') || facets[0];
    await page.click(`button.facet-value[data-facet="jurisdiction"][data-value="${id}"]`);
    await page.waitForURL((url) => url.searchParams.get('jurisdiction') === id);
    await settled(page);
    equal(Number(await page.getAttribute('#result-count', 'data-total')), count, `count for ${id}`);
    await page.goBack();
    await settled(page);
  });

  await test('the "due by" date narrows the search to the API count, and clearing it widens it again', async () => {
    await page.goto(`${BASE}/search?q=${encodeURIComponent('医疗')}`);
    await settled(page);
    const before = Number(await page.getAttribute('#result-count', 'data-total'));
    equal(await page.evaluate(() => document.getElementById('due').labels.length), 1, 'the date has a label');
    await page.fill('#due', '2020-12-31');
    await page.click('form[role="search"] button[type="submit"]');
    await page.waitForURL((url) => url.searchParams.get('deadline_to') === '2020-12-31');
    await settled(page);
    equal(new URL(page.url()).searchParams.get('q'), '医疗', 'the query stays');
    const expected = await apiTotal([['q', '医疗'], ['deadline_to', '2020-12-31']]);
    equal(Number(await page.getAttribute('#result-count', 'data-total')), expected, 'count due by the date');
    equal(await page.inputValue('#due'), '2020-12-31', 'the date stays in its box');
    const chips = await page.$$eval('.active-filters .chip', (buttons) => buttons.map((b) => b.textContent));
    assert(chips.some((chip) => chip.includes('2020-12-31')), `a chip names the date: ${chips}`);
    const href = await page.getAttribute('.api-panel a.api-url', 'href');
    equal(new URL(href, BASE).searchParams.get('deadline_to'), '2020-12-31', 'the API URL carries the filter');
    await shot(page, '03-search-due-by');
    await page.fill('#due', '');
    await page.click('form[role="search"] button[type="submit"]');
    await page.waitForURL((url) => !url.searchParams.has('deadline_to'));
    await settled(page);
    equal(Number(await page.getAttribute('#result-count', 'data-total')), before, 'count without the date');
  });

  await test('a measure page shows its agencies with role and name as printed', async () => {
    await page.goto(`${BASE}/search?q=${encodeURIComponent('医疗')}&agency=${encodeURIComponent(agencyId)}`);
    await settled(page);
    const first = page.locator('.result a.result-link').first();
    await first.click();
    await page.waitForURL(/\/measures\//);
    await settled(page);
    measureId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
    const { data: measure } = await api(`/v1/measures/${encodeURIComponent(measureId)}`);
    assert(measure.agencies.length > 0, 'the measure names agencies');
    const rows = await page.$$eval('tr.agency-row', (trs) =>
      trs.map((tr) => [tr.dataset.agency, tr.dataset.role, tr.querySelector('.agency-name').textContent, tr.querySelector('.raw-name').textContent])
    );
    equal(rows, measure.agencies.map((a) => [a.id, a.role, a.name, a.raw_name]), 'agency rows');
    assert(rows.some(([id]) => id === agencyId), 'the faceted agency is among them');
    equal((await page.textContent('.fulltext')).trim(), measure.text.trim(), 'full text');
    const crumbs = await page.$$eval('.breadcrumb li', (lis) => lis.map((li) => li.textContent));
    equal(crumbs.slice(1, 1 + measure.path.length), measure.path, 'place in the outline');
    const themes = await page.$$eval('section[aria-labelledby="themes-h"] .tags a', (as) => as.map((a) => a.textContent));
    equal(themes, measure.themes.map((t) => t.name), 'themes');
    // Each printed name links to where it stands in the source.
    const printed = await page.$$eval('tr.agency-row .raw-name a', (as) => as.map((a) => new URL(a.href).searchParams.get('start')));
    equal(printed, measure.agencies.map((a) => String(a.source.start)), 'printed names link to their spans');
    // Deadlines as the API gives them (the bundled documents state none in a measure).
    const deadlines = await page.$$eval('tr.deadline-row', (trs) => trs.map((tr) => [tr.querySelector('.deadline-text').textContent, tr.dataset.date]));
    equal(deadlines, measure.deadlines.map((d) => [d.text, d.date || '']), 'deadline rows');
    if (!measure.deadlines.length) assert(await page.$('section[aria-labelledby="deadlines-h"] p.empty'), 'the page says there is no deadline');
    const panel = await page.$$eval('.api-panel a.api-url', (as) => as.map((a) => a.getAttribute('href')));
    assert(panel.includes(`/v1/measures/${encodeURIComponent(measureId)}`), `the panel names the API URL: ${panel}`);
    await shot(page, '04-measure');
  });

  await test('the source link shows the measure span in the text as received', async () => {
    const { data: measure } = await api(`/v1/measures/${encodeURIComponent(measureId)}`);
    await page.click('section[aria-labelledby="source-h"] a[data-route]');
    await page.waitForURL(/\/source\?/);
    await settled(page);
    const marked = await page.$$eval('.source-lines mark', (ms) => ms.map((m) => m.textContent).join('\n'));
    equal(marked, measure.source.verbatim.replace(/\r/g, ''), 'highlighted span');
    const first = await page.$eval('.source-lines li.hit', (li) => li.id);
    equal(first, `L${measure.source.line_start}`, 'first highlighted line');
    await shot(page, '05-source');
    await page.goBack();
    await settled(page);
  });

  await test('an agency page shows names, measures by role and ranked partners', async () => {
    await page.click(`tr.agency-row[data-agency="${agencyId}"] a.agency-name`);
    await page.waitForURL(/\/agencies\//);
    await settled(page);
    const { data: agency } = await api(`/v1/agencies/${encodeURIComponent(agencyId)}`);
    equal((await page.textContent('h1')).trim(), agency.name, 'heading');
    const aliases = await page.$$eval('.facts .inline-list li', (lis) => lis.map((li) => li.textContent));
    equal(aliases, agency.aliases, 'aliases');
    const partners = await page.$$eval('.partners li', (lis) => lis.map((li) => [li.dataset.agency, Number(li.dataset.count)]));
    equal(partners, agency.partners.map((p) => [p.id, p.count]), 'partners in rank order');
    const roles = await page.$$eval('.role-group', (sections) => sections.map((s) => [s.dataset.role, s.querySelectorAll('li').length]));
    const expected = Object.entries(agency.measure_counts).filter(([, n]) => n > 0);
    equal(Object.fromEntries(roles), Object.fromEntries(expected), 'measures per role');
    await shot(page, '06-agency');
  });

  await test('a document page shows metadata, outline, goals and references', async () => {
    const id = 'chongqing-2015-internet-plus-plan';
    await page.goto(`${BASE}/documents/${id}`);
    await settled(page);
    const { data: doc } = await api(`/v1/documents/${id}`);
    equal((await page.textContent('h1')).trim(), doc.title, 'title');
    equal(await page.$$eval('.outline li.is-measure', (lis) => lis.length), doc.counts.measures, 'measures in the outline');
    const goals = await api(`/v1/goals?document=${id}&limit=500`);
    equal(await page.$$eval('table.goals tbody tr', (trs) => trs.length), goals.meta.total, 'goals');
    const refs = await api(`/v1/references?document=${id}&limit=500`);
    const shown = await page.$$eval('.references > li', (lis) => lis.map((li) => [li.dataset.resolved, !!li.querySelector(':scope > a[data-route]')]));
    equal(shown, refs.data.map((r) => [r.cited.document ? 'true' : 'false', !!r.cited.document]), 'references, resolved ones linked');
    await shot(page, '07-document');
    // A document with a long outline, for the screenshot.
    await page.goto(`${BASE}/documents/yubei-2020-online-economy-plan`);
    await settled(page);
    await shot(page, '07-document-yubei');
  });

  for (const by of ['jurisdiction', 'document']) {
    await test(`the compare page's cells (theme × ${by}) equal the API's counts`, async () => {
      await page.goto(`${BASE}/compare?by=${by}`);
      await settled(page);
      const cells = await page.$$eval('#heatmap td.cell[data-col]', (tds) =>
        tds.map((td) => ({ theme: td.dataset.theme, col: td.dataset.col, count: Number(td.dataset.count), text: td.textContent.trim(), href: td.querySelector('a')?.getAttribute('href') || null }))
      );
      const themes = await api('/v1/themes?limit=500');
      assert(cells.length >= themes.meta.total * 2, `a full matrix (${cells.length} cells)`);
      let nonZero = 0;
      for (const cell of cells) {
        const expected = await apiTotal([['theme', cell.theme], [by, cell.col]]);
        equal(cell.count, expected, `cell ${cell.theme} × ${cell.col}`);
        equal(cell.text.replace(/,/g, ''), String(expected), `text of cell ${cell.theme} × ${cell.col}`);
        if (expected) {
          nonZero += 1;
          const url = new URL(cell.href, BASE);
          equal([url.pathname, url.searchParams.get('theme'), url.searchParams.get(by)], ['/search', cell.theme, cell.col], 'cell link');
        }
      }
      assert(nonZero > 0, 'some cells are non-zero');
      await shot(page, `08-compare-${by}`);
      // Following a cell shows exactly its measures.
      const busiest = cells.reduce((a, b) => (b.count > a.count ? b : a));
      await page.click(`#heatmap td.cell[data-theme="${busiest.theme}"][data-col="${busiest.col}"] a`);
      await page.waitForURL(/\/search\?/);
      await settled(page);
      equal(Number(await page.getAttribute('#result-count', 'data-total')), busiest.count, 'measures behind the busiest cell');
    });
  }

  await test('the widget renders inside an iframe on a page from another origin', async () => {
    const host = await context.newPage();
    // The portal also tries to frame the explorer itself, which must be refused.
    watch(host, 'portal', [/Framing '[^']*\/' violates the following Content Security Policy directive: "frame-ancestors 'self'"/]);
    await host.goto(portal);
    const origin = new URL(portal).origin;
    assert(origin !== new URL(BASE).origin, 'the portal is another origin');
    const light = host.frameLocator('iframe#light');
    await light.locator('li[data-id]').first().waitFor();
    const expected = await apiTotal([['theme', 'online-healthcare']]);
    equal(await light.locator('li[data-id]').count(), Math.min(4, expected), 'items in the widget');
    const links = await light.locator('li[data-id] a').evaluateAll((as) => as.map((a) => [a.href, a.target]));
    assert(links.every(([href, target]) => href.startsWith(`${BASE}/measures/`) && target === '_blank'), `links back to the explorer: ${JSON.stringify(links)}`);
    const dark = host.frameLocator('iframe#dark');
    await dark.locator('li[data-id]').first().waitFor();
    equal(await dark.locator('li[data-id]').count(), Math.min(3, expected), 'items in the dark English widget');
    const background = await dark.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
    equal(background, 'rgb(27, 26, 31)', 'dark background');
    assert(/measures/.test(await dark.locator('.widget-count').textContent()), 'English text in the English widget');
    // The explorer itself may not be framed by other sites; only /embed/ may.
    const explorerFrame = await (await host.$('iframe#explorer')).contentFrame();
    const framedExplorer = explorerFrame ? await explorerFrame.$('#main').catch(() => null) : null;
    assert(!framedExplorer, 'the explorer refuses framing by another origin');
    await sleep(200);
    await shot(host, '09-widget-on-portal');
    await host.close();
  });

  await test('switching to English shows English agency names, and the choice is remembered', async () => {
    await page.goto(`${BASE}/measures/${encodeURIComponent(measureId)}`);
    await settled(page);
    const { data: measure } = await api(`/v1/measures/${encodeURIComponent(measureId)}`);
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await settled(page);
    const names = await page.$$eval('tr.agency-row .agency-name', (as) => as.map((a) => a.textContent));
    equal(names, measure.agencies.map((a) => a.name_en || a.name), 'English agency names');
    assert(names.some((name, i) => name !== measure.agencies[i].name), 'names differ from the Chinese ones');
    equal(await page.textContent('#lang-switch'), '中文', 'the switch offers Chinese');
    await shot(page, '10-measure-english');
    await page.reload();
    await settled(page);
    equal(await page.evaluate(() => document.documentElement.lang), 'en', 'English after a reload');
    await page.goto(`${BASE}/search?q=${encodeURIComponent('医疗')}`);
    await settled(page);
    const facet = await page.$$eval('button.facet-value[data-facet="agency"] .facet-label', (spans) => spans.map((s) => s.textContent));
    const agencies = await api('/v1/agencies?limit=500');
    const english = new Set(agencies.data.map((a) => a.name_en).filter(Boolean));
    assert(facet.length && facet.every((name) => english.has(name)), `English names in the agency facet: ${facet.slice(0, 3)}`);
    const leads = await page.$$eval('.result .leads .agency-name', (as) => as.map((a) => a.textContent));
    assert(leads.every((name) => english.has(name)), 'English lead agencies in results');
    await shot(page, '11-search-english');
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    await settled(page);
  });

  await test('keyboard: skip link, labelled search box, facets operable with the keyboard', async () => {
    await page.goto(`${BASE}/search?q=${encodeURIComponent('医疗')}`);
    await settled(page);
    await page.keyboard.press('Tab');
    equal(await page.evaluate(() => document.activeElement.className), 'skip', 'the skip link comes first');
    for (const selector of ['header', 'nav', 'main', 'aside[aria-label]', 'footer', 'form[role="search"]']) {
      assert(await page.$(selector), `landmark ${selector}`);
    }
    equal(await page.evaluate(() => document.getElementById('q').labels.length), 1, 'the search box has a label');
    await page.focus('#q');
    let reached = false;
    for (let i = 0; i < 30 && !reached; i += 1) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement.matches('button.facet-value'));
    }
    assert(reached, 'Tab reaches the facets');
    const value = await page.evaluate(() => document.activeElement.dataset.value);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => [...url.searchParams.values()].includes(value));
    await settled(page);
    const outline = await page.evaluate(() => {
      const button = document.querySelector('button.facet-value');
      button.focus();
      return getComputedStyle(button).outlineStyle;
    });
    assert(outline !== 'none', 'focused controls show a focus ring');
  });

  await test('"Use this in your app" gives the API URL of each view and its export forms', async () => {
    await page.goto(`${BASE}/search?q=${encodeURIComponent('医疗')}&theme=online-healthcare`);
    await settled(page);
    const href = await page.getAttribute('.api-panel a.api-url', 'href');
    const body = await api(href);
    equal(body.meta.total, Number(await page.getAttribute('#result-count', 'data-total')), 'the API URL answers what is on screen');
    const forms = await page.$$eval('.api-panel li:first-child a.format', (as) => as.map((a) => [a.dataset.format, a.getAttribute('href')]));
    equal(forms.map(([f]) => f), ['csv', 'ndjson', 'atom'], 'export forms of the search');
    for (const [format, link] of forms) equal(new URL(link, BASE).searchParams.get('format'), format, `${format} link`);
    const probe = await fetch(`${BASE}${forms[0][1]}`);
    if (probe.status === 400) throw new Skip('this server does not serve format= yet; links checked, answers not');
    const types = { json: /json/, csv: /text\/csv/, ndjson: /ndjson/, atom: /atom\+xml/, text: /text\/plain/ };
    const views = ['/search', `/measures/${encodeURIComponent(measureId)}`, `/agencies/${agencyId}`, '/documents/chongqing-2015-internet-plus-plan', '/compare'];
    let checked = 0;
    for (const view of views) {
      await page.goto(`${BASE}${view}`);
      await settled(page);
      const links = await page.$$eval('.api-panel a.api-url, .api-panel a.format', (as) => as.map((a) => [a.dataset.format || 'json', a.getAttribute('href')]));
      assert(links.length > 0, `${view} has a panel`);
      for (const [format, link] of links) {
        const response = await fetch(`${BASE}${link}`);
        equal(response.status, 200, `${view}: ${link}`);
        const kind = format === 'json' && /\/text(\?|$)/.test(link) ? 'text' : format;
        assert(types[kind].test(response.headers.get('content-type') || ''), `${link}: ${response.headers.get('content-type')}`);
        checked += 1;
      }
    }
    console.log(`     ${checked} API links checked`);
  });

  await test('a query the API refuses shows its reason and keeps the search box', async () => {
    const q = '，，';
    tolerated.push(/status of 400/);
    await page.goto(`${BASE}/search?q=${encodeURIComponent(q)}`);
    await settled(page);
    await sleep(200);
    tolerated.pop();
    const response = await fetch(`${BASE}/v1/measures?q=${encodeURIComponent(q)}`);
    equal(response.status, 400, 'the API refuses the query');
    const problem = await response.json();
    equal((await page.textContent('.error[role="alert"]')).trim(), problem.detail, 'the reason shown');
    equal(await page.inputValue('#q'), q, 'the query stays in the box');
  });

  await test('pages are readable at phone width without sideways scrolling', async () => {
    const phone = await context.newPage();
    watch(phone, 'phone');
    await phone.setViewportSize({ width: 390, height: 844 });
    for (const [url, name] of [
      [`/search?q=${encodeURIComponent('医疗')}`, '12-phone-search'],
      [`/measures/${encodeURIComponent(measureId)}`, '13-phone-measure'],
      ['/compare', '14-phone-compare'],
    ]) {
      await phone.goto(`${BASE}${url}`);
      await settled(phone);
      const [scroll, width] = await phone.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      assert(scroll <= width + 1, `${url}: page is ${scroll}px wide in a ${width}px screen`);
      await shot(phone, name);
    }
    await phone.close();
  });

  await test('the server answers the explorer routes with HTML and the widget with framing allowed', async () => {
    for (const route of ['/', '/search?q=x', '/compare', `/measures/${encodeURIComponent(measureId)}`, `/agencies/${agencyId}`]) {
      const response = await fetch(`${BASE}${route}`);
      equal(response.status, 200, route);
      assert(response.headers.get('content-type').startsWith('text/html'), `${route} is HTML`);
      assert(/frame-ancestors 'self'/.test(response.headers.get('content-security-policy')), `${route} CSP`);
    }
    const widget = await fetch(`${BASE}/embed/measures?theme=dark`);
    assert(/frame-ancestors \*/.test(widget.headers.get('content-security-policy')), 'the widget may be framed');
    assert(!widget.headers.get('x-frame-options'), 'no X-Frame-Options on the widget');
    equal((await fetch(`${BASE}/nope`)).status, 404, 'other paths are still 404');
  });

  await test('no console errors or Content-Security-Policy violations', async () => {
    equal(consoleProblems, [], 'console errors');
  });

  return weight;
}

// ---------------------------------------------------------------------------------------

async function main() {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengce-e2e-'));
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'zhengce-chromium-'));
  let server = null;
  let portal = null;
  let context = null;
  try {
    const binary = pickBinary();
    console.log(`binary: ${path.relative(ROOT, binary)}; browser: ${CHROMIUM}`);
    server = await startServer(binary, work);
    BASE = server.base;
    portal = await startPortal(BASE);
    console.log(`server: ${BASE}; portal: ${portal.url}`);
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
    });
    await run(context, portal.url);
  } catch (error) {
    failed += 1;
    failures.push('setup');
    console.log(`FAIL setup\n     ${error?.stack || error}`);
  } finally {
    await context?.close().catch(() => {});
    portal?.server.close();
    if (server) {
      server.child.kill('SIGTERM');
      await new Promise((resolve) => (server.child.exitCode !== null ? resolve() : server.child.once('exit', resolve)));
    }
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(profile, { recursive: true, force: true });
  }
  if (failures.length) console.log(`failed: ${failures.join('; ')}`);
  console.log(`screenshots: ${path.relative(ROOT, ARTIFACTS) || ARTIFACTS}/`);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exitCode = failed ? 1 : 0;
}

main();
