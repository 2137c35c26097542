// The widget: a compact list of measures for an <iframe> on another site. Query parameters:
// the filters of /v1/measures (document, jurisdiction, agency, role, theme, year,
// deadline_from, deadline_to, q), plus
// `lang` (zh|en), `limit` (1–50, default 5) and `theme=light|dark` for the colours (any
// other `theme` value filters by theme, as in the API). Links open the explorer.

import { MEASURE_FILTERS, apiUrl, getJson } from './api.js';
import { fill, h } from './dom.js';
import { localName, num, setLang, t } from './i18n.js';

const APPEARANCES = ['light', 'dark'];
const params = new URLSearchParams(window.location.search);
const appearance = params.getAll('theme').find((v) => APPEARANCES.includes(v)) || 'light';
const filters = [];
for (const name of MEASURE_FILTERS) {
  for (const value of params.getAll(name)) {
    if (name === 'theme' && APPEARANCES.includes(value)) continue;
    if (value.trim()) filters.push([name, value.trim()]);
  }
}
const limit = Math.min(50, Math.max(1, Number.parseInt(params.get('limit') || '5', 10) || 5));
const target = params.get('target') === '_top' ? '_top' : '_blank';

setLang(params.get('lang') === 'en' ? 'en' : 'zh', false);
document.documentElement.dataset.theme = appearance;

const root = document.getElementById('widget');
const explorer = (path) => new URL(path, window.location.origin).href;
const out = (path, ...children) => h('a', { href: explorer(path), target, rel: target === '_blank' ? 'noopener' : null }, ...children);

async function main() {
  const url = apiUrl('/v1/measures', [...filters, ['limit', String(limit)], ['facet', 'document']]);
  const page = await getJson(url);
  const titles = new Map((page.facets?.document || []).map((v) => [v.value, v.label]));
  const searchPath = `/search${filters.length ? `?${new URLSearchParams(filters)}` : ''}`;
  const items = page.data.map((m) => {
    const leads = m.agencies.filter((a) => a.role === 'lead');
    const names = [...new Set((leads.length ? leads : m.agencies).map(localName))].slice(0, 3);
    return h(
      'li',
      { 'data-id': m.id },
      out(`/measures/${encodeURIComponent(m.id)}`, h('span', { class: 'label' }, m.label), ' ', m.title || m.text.slice(0, 40)),
      h('span', { class: 'meta' }, [titles.get(m.document) || m.document, names.join('、')].filter(Boolean).join(' · '))
    );
  });
  fill(
    root,
    h('header', { class: 'widget-head' }, h('h1', {}, out(searchPath, t('widgetList'))), h('span', { class: 'widget-count' }, t('count', num(page.meta.total)))),
    items.length ? h('ol', { class: 'items' }, items) : h('p', { class: 'status' }, t('widgetEmpty')),
    h('footer', { class: 'widget-foot' }, out(searchPath, t('widgetMore', num(page.meta.total)), ' →'), out('/', t('widgetCredit')))
  );
}

main()
  .catch((error) => fill(root, h('p', { class: 'error', role: 'alert' }, t('error', error.message || String(error)))))
  .finally(() => root.removeAttribute('aria-busy'));
