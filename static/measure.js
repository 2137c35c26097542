// A measure: full text, place in the outline, agencies with role and name as printed,
// deadlines with their dates, themes, the document's goals, and the source span.

import { apiUrl, documents, getJson, jurisdictions } from './api.js';
import { apiPanel, h, link } from './dom.js';
import { localName, num, roleName, t } from './i18n.js';
import { searchHref } from './search.js';

/** Provision ids above a measure: `doc--p3.s4.i1` → [`doc--p3`, `doc--p3.s4`]. */
function ancestors(id) {
  const [doc, place] = id.split('--');
  if (!place) return [];
  const parts = place.split('.');
  return parts.slice(0, -1).map((_, i) => `${doc}--${parts.slice(0, i + 1).join('.')}`);
}

export function goalValue(goal) {
  const comparator = { gte: '≥ ', gt: '> ', lte: '≤ ', approx: '≈ ' }[goal.comparator] || '';
  return `${comparator}${goal.value_text} ${goal.unit}`.trim();
}

export function goalsTable(goals, highlight = () => false) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'goals' },
      h('thead', {}, h('tr', {}, [t('metric'), t('target'), t('year'), t('clause')].map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        {},
        goals.map((goal) =>
          h(
            'tr',
            { class: highlight(goal) ? 'here' : null, id: goal.id },
            h('th', { scope: 'row' }, goal.metric, highlight(goal) ? h('span', { class: 'badge' }, t('inThisMeasure')) : null),
            h('td', { class: 'num' }, goalValue(goal)),
            h('td', {}, goal.year ?? ''),
            h('td', {}, goal.clause)
          )
        )
      )
    )
  );
}

/** The explorer URL of a source span: the document as received, the span highlighted. */
function sourceHref(source) {
  const query = new URLSearchParams({ start: source.start, end: source.end }).toString();
  return `/documents/${encodeURIComponent(source.document)}/source?${query}#L${source.line_start}`;
}

export function sourceLink(source, label = t('viewInSource')) {
  return link(sourceHref(source), label);
}

/** A measure's deadlines: the phrase as printed, the date it falls on, where it stands. */
function deadlinesTable(deadlines) {
  if (!deadlines.length) return h('p', { class: 'empty' }, t('noDeadlines'));
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'deadlines' },
      h('thead', {}, h('tr', {}, [t('asPrinted'), t('deadlineDate'), t('source')].map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        {},
        deadlines.map((d) =>
          h(
            'tr',
            { class: 'deadline-row', 'data-date': d.date || '' },
            h('th', { scope: 'row', lang: 'zh-CN', class: 'deadline-text' }, d.text),
            h('td', { class: 'deadline-date' }, d.date ? h('time', { datetime: d.date }, d.date) : h('span', { class: 'muted' }, t('noDeadlineDate'))),
            h('td', {}, sourceLink(d.source, t('lineLabel', d.source.line_start)))
          )
        )
      )
    )
  );
}

export async function render({ args: [id] }) {
  const url = `/v1/measures/${encodeURIComponent(id)}`;
  const { data: m } = await getJson(url);
  const goalsUrl = apiUrl('/v1/goals', [['document', m.document], ['limit', '500']]);
  const [docs, places, goals] = await Promise.all([documents(), jurisdictions(), getJson(goalsUrl)]);
  const doc = docs.get(m.document);
  const title = m.title || m.text.slice(0, 40);
  const docHref = `/documents/${encodeURIComponent(m.document)}`;
  const crumbs = ancestors(m.id);
  const within = (goal) => goal.source.start >= m.source.start && goal.source.end <= m.source.end;

  const outline = h(
    'nav',
    { class: 'breadcrumb', 'aria-label': t('outlinePlace') },
    h(
      'ol',
      {},
      h('li', {}, link(docHref, doc?.title || m.document)),
      m.path.map((heading, i) => h('li', {}, crumbs.length === m.path.length ? link(`${docHref}#${crumbs[i]}`, heading) : heading)),
      h('li', { 'aria-current': 'page' }, `${m.label} ${m.title || ''}`.trim())
    )
  );

  const agencies = m.agencies.length
    ? h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'agencies' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('agency')), h('th', { scope: 'col' }, t('role')), h('th', { scope: 'col' }, t('asPrinted')))),
          h(
            'tbody',
            {},
            m.agencies.map((a) =>
              h(
                'tr',
                { class: 'agency-row', 'data-agency': a.id, 'data-role': a.role },
                h('th', { scope: 'row' }, link(`/agencies/${encodeURIComponent(a.id)}`, { class: 'agency-name' }, localName(a))),
                h('td', {}, h('span', { class: `role role-${a.role}` }, roleName(a.role))),
                h('td', { lang: 'zh-CN', class: 'raw-name' }, a.source ? link(sourceHref(a.source), { title: t('viewInSource') }, a.raw_name) : a.raw_name)
              )
            )
          )
        )
      )
    : h('p', { class: 'empty' }, t('noAgencies'));

  const node = h(
    'article',
    { class: 'view view-measure' },
    h('p', { class: 'kicker' }, t('measure'), ' · ', link(docHref, doc?.title || m.document), m.jurisdiction ? ` · ${localName(places.get(m.jurisdiction)) || m.jurisdiction}` : ''),
    h('h1', { lang: 'zh-CN' }, h('span', { class: 'label' }, m.label), ' ', title),
    outline,
    h('section', { 'aria-labelledby': 'text-h' }, h('h2', { id: 'text-h' }, t('fullText')), h('div', { class: 'fulltext', lang: 'zh-CN' }, m.text)),
    h(
      'section',
      { 'aria-labelledby': 'agencies-h' },
      h('h2', { id: 'agencies-h' }, t('agencies')),
      agencies,
      m.annotation ? h('p', { class: 'annotation' }, h('span', { class: 'meta-key' }, t('annotation'), ' '), h('span', { lang: 'zh-CN' }, m.annotation)) : null
    ),
    h('section', { 'aria-labelledby': 'deadlines-h' }, h('h2', { id: 'deadlines-h' }, t('deadlines')), deadlinesTable(m.deadlines || [])),
    m.themes.length
      ? h('section', { 'aria-labelledby': 'themes-h' }, h('h2', { id: 'themes-h' }, t('themes')), h('ul', { class: 'tags' }, m.themes.map((th) => h('li', {}, link(searchHref([['theme', th.id]]), localName(th))))))
      : null,
    h(
      'section',
      { 'aria-labelledby': 'goals-h' },
      h('h2', { id: 'goals-h' }, t('goalsOfDocument'), ` (${num(goals.meta.total)})`),
      goals.data.length ? goalsTable(goals.data, within) : h('p', { class: 'empty' }, t('noGoals'))
    ),
    h(
      'section',
      { 'aria-labelledby': 'source-h' },
      h('h2', { id: 'source-h' }, t('source')),
      h('p', {}, m.source.line_start === m.source.line_end ? t('sourceLine', m.source.line_start, m.source.start, m.source.end) : t('sourceSpan', m.source.line_start, m.source.line_end, m.source.start, m.source.end), ' · ', sourceLink(m.source), ' · ', h('a', { href: `/v1/documents/${encodeURIComponent(m.document)}/text?raw=true` }, t('rawText'))),
      h('blockquote', { class: 'verbatim', lang: 'zh-CN' }, m.source.verbatim)
    ),
    apiPanel([
      { label: t('measure'), url },
      { label: t('goalsOfDocument'), url: goalsUrl, list: true },
      { label: t('document'), url: `/v1/documents/${encodeURIComponent(m.document)}/measures`, list: true },
    ])
  );
  return { title: `${m.label} ${title}`, node };
}
