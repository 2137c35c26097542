// A document: metadata, its numbered outline, its goals and the documents it cites
// (those in the corpus linked).

import { apiUrl, getJson, jurisdictions } from './api.js';
import { apiPanel, facts, h, link } from './dom.js';
import { localName, num, t } from './i18n.js';
import { goalsTable, sourceLink } from './measure.js';

function outlineNode(node) {
  const heading = node.title || (node.text.length > 60 ? `${node.text.slice(0, 60)}…` : node.text);
  const label = [h('span', { class: 'label' }, node.label), ' ', heading];
  return h(
    'li',
    { id: node.id, class: `outline-${node.level}${node.is_measure ? ' is-measure' : ''}` },
    node.is_measure ? link(`/measures/${encodeURIComponent(node.id)}`, label) : h('span', {}, label),
    node.children.length ? h('ol', {}, node.children.map(outlineNode)) : null
  );
}

export async function render({ args: [id] }) {
  const url = `/v1/documents/${encodeURIComponent(id)}`;
  const goalsUrl = apiUrl('/v1/goals', [['document', id], ['limit', '500']]);
  const refsUrl = apiUrl('/v1/references', [['document', id], ['limit', '500']]);
  const [{ data: doc }, goals, refs, places] = await Promise.all([getJson(url), getJson(goalsUrl), getJson(refsUrl), jurisdictions()]);
  const textHref = `/documents/${encodeURIComponent(id)}/source`;

  const references = refs.data.length
    ? h(
        'ol',
        { class: 'references' },
        refs.data.map((r) =>
          h(
            'li',
            { 'data-resolved': r.cited.document ? 'true' : 'false' },
            r.cited.document
              ? link(`/documents/${encodeURIComponent(r.cited.document)}`, { lang: 'zh-CN' }, r.raw)
              : h('span', { lang: 'zh-CN' }, r.raw),
            ' ',
            h('span', { class: r.cited.document ? 'badge ok' : 'badge' }, r.cited.document ? t('resolvedIn') : t('notInCorpus')),
            h('p', { class: 'context', lang: 'zh-CN' }, r.context, ' ', h('span', { class: 'muted' }, '(', sourceLink(r.source), ')'))
          )
        )
      )
    : h('p', { class: 'empty' }, t('noReferences'));

  const c = doc.counts;
  const node = h(
    'article',
    { class: 'view view-document' },
    h('p', { class: 'kicker' }, doc.kind, doc.jurisdiction ? ` · ${localName(places.get(doc.jurisdiction)) || doc.jurisdiction}` : ''),
    h('h1', { lang: 'zh-CN' }, doc.title),
    h(
      'section',
      { 'aria-labelledby': 'meta-h' },
      h('h2', { id: 'meta-h' }, t('metadata')),
      facts([
        [t('issuer'), doc.issuer],
        [t('jurisdiction'), doc.jurisdiction ? localName(places.get(doc.jurisdiction)) || doc.jurisdiction : null],
        [t('docNumber'), doc.doc_number],
        [t('date'), doc.date],
        [t('docKind'), doc.kind],
        [t('status'), t(`status_${doc.status}`)],
        [t('consultation'), doc.consultation_start ? `${doc.consultation_start} – ${doc.consultation_end || ''}` : null],
        [t('counts'), t('countsLine', num(c.measures), num(c.goals), num(c.references), num(c.agency_links))],
        [t('file'), h('span', {}, link(textHref, doc.file_name), ' · ', h('a', { href: `${url}/text?raw=true` }, t('rawText')))],
        [t('format'), `${(doc.format || 'txt').toUpperCase()} · ${doc.extractor || ''}`],
        [t('encoding'), doc.encoding],
        [t('sha256'), h('code', { class: 'hash' }, doc.sha256)],
      ])
    ),
    h('section', { 'aria-labelledby': 'outline-h' }, h('h2', { id: 'outline-h' }, t('outline')), h('ol', { class: 'outline', lang: 'zh-CN' }, doc.outline.map(outlineNode))),
    h(
      'section',
      { 'aria-labelledby': 'goals-h' },
      h('h2', { id: 'goals-h' }, t('goals'), ` (${num(goals.meta.total)})`),
      goals.data.length ? goalsTable(goals.data) : h('p', { class: 'empty' }, t('noGoals'))
    ),
    h('section', { 'aria-labelledby': 'refs-h' }, h('h2', { id: 'refs-h' }, t('references'), ` (${num(refs.meta.total)})`), references),
    doc.warnings.length
      ? h(
          'section',
          { 'aria-labelledby': 'warnings-h' },
          h('h2', { id: 'warnings-h' }, t('warnings')),
          h('ul', { class: 'warnings' }, doc.warnings.map((w) => h('li', {}, h('code', {}, w.kind), w.line ? ` (${t('lineLabel', w.line)})` : '', ': ', w.message)))
        )
      : null,
    apiPanel([
      { label: t('document'), url },
      { label: t('measure'), url: `${url}/measures`, list: true },
      { label: t('goals'), url: goalsUrl, list: true },
      { label: t('references'), url: refsUrl, list: true },
      { label: t('sourceTitle'), url: `${url}/text?raw=true` },
    ])
  );
  return { title: doc.title, node };
}
