// Compare: themes × jurisdictions (or × documents) as a heat map. Each column is one API
// request (`/v1/measures?jurisdiction=X&facet=theme`), so every cell is the API's count of
// `/v1/measures?theme=T&jurisdiction=X`, and links to exactly those measures.

import { apiUrl, documents, getJson, jurisdictions, themes } from './api.js';
import { apiPanel, h, link } from './dom.js';
import { lang, localName, num, t } from './i18n.js';
import { searchHref } from './search.js';

const AXES = ['jurisdiction', 'document'];

async function columns(by) {
  const places = await jurisdictions();
  if (by === 'jurisdiction') {
    const below = (j) => j.children.map((id) => places.get(id)).filter((c) => c && c.document_count_with_children > 0);
    return [...places.values()]
      .filter((j) => j.document_count > 0)
      .map((j) => {
        const children = below(j).map(localName).join(lang() === 'en' ? ', ' : '、');
        return { id: j.id, label: localName(j), sub: children ? t('including', children) : null, title: localName(j) };
      });
  }
  const docs = await documents();
  return [...docs.values()].map((d) => {
    const place = localName(places.get(d.jurisdiction)) || d.jurisdiction || '';
    return { id: d.id, label: [place, d.year, d.kind].filter(Boolean).join(' '), title: d.title };
  });
}

export async function render({ params }) {
  const by = AXES.includes(params.get('by')) ? params.get('by') : 'jurisdiction';
  const [themeIndex, cols] = await Promise.all([themes(), columns(by)]);
  const urls = cols.map((col) => apiUrl('/v1/measures', [[by, col.id], ['facet', 'theme'], ['limit', '1']]));
  const answers = await Promise.all(urls.map(getJson));
  const counts = answers.map((answer) => new Map((answer.facets?.theme || []).map((v) => [v.value, v.count])));
  const rows = [...themeIndex.values()];
  const max = Math.max(1, ...counts.flatMap((m) => [...m.values()]));
  const heat = (n) => (n === 0 ? 0 : 1 + Math.min(4, Math.floor((4 * n) / max)));
  const axisName = by === 'jurisdiction' ? t('jurisdiction') : t('document');

  const table = h(
    'table',
    { class: 'heatmap', id: 'heatmap', 'data-by': by },
    h('caption', {}, t('compareCaption', axisName)),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, t('themes')),
        cols.map((col) =>
          h(
            'th',
            { scope: 'col', 'data-col': col.id },
            by === 'document' ? link(`/documents/${encodeURIComponent(col.id)}`, { title: col.title }, col.label) : col.label,
            col.sub ? h('span', { class: 'sub' }, col.sub) : null
          )
        ),
        h('th', { scope: 'col' }, t('total'))
      )
    ),
    h(
      'tbody',
      {},
      rows.map((theme) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, localName(theme)),
          cols.map((col, i) => {
            const n = counts[i].get(theme.id) || 0;
            const label = t('cellLabel', localName(theme), col.title, num(n));
            const content = n
              ? link(searchHref([['theme', theme.id], [by, col.id]]), { 'aria-label': label }, num(n))
              : h('span', { 'aria-label': label }, '0');
            return h('td', { class: `cell heat-${heat(n)}`, 'data-theme': theme.id, 'data-col': col.id, 'data-count': n }, content);
          }),
          h('td', { class: 'cell total', 'data-theme': theme.id, 'data-count': theme.measure_count }, link(searchHref([['theme', theme.id]]), num(theme.measure_count)))
        )
      )
    )
  );

  const node = h(
    'div',
    { class: 'view view-compare' },
    h('h1', {}, t('compareTitle')),
    h(
      'nav',
      { class: 'tabs', 'aria-label': t('compareTitle') },
      h(
        'ul',
        {},
        AXES.map((axis) =>
          h('li', {}, link(`/compare?by=${axis}`, { 'aria-current': axis === by ? 'page' : null }, axis === 'jurisdiction' ? t('byJurisdiction') : t('byDocument')))
        )
      )
    ),
    h('p', {}, t('compareIntro', axisName)),
    by === 'jurisdiction' ? h('p', { class: 'hint' }, t('compareNote')) : null,
    h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': t('compareCaption', axisName) }, table),
    apiPanel([
      ...cols.map((col, i) => ({ label: col.title, url: urls[i] })),
      ...(by === 'jurisdiction' ? [{ label: t('jurisdiction'), url: '/v1/jurisdictions?has_documents=true', list: true }] : []),
      { label: t('themes'), url: '/v1/themes?limit=500', list: true },
      { label: t('measure'), url: '/v1/measures', list: true },
    ])
  );
  return { title: t('compareTitle'), node };
}
