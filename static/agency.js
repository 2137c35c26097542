// An agency: canonical and English names, aliases, its measures by role, and its partners
// (agencies named on the same measures) ranked by the number of shared measures.

import { apiUrl, documents, getJson, jurisdictions } from './api.js';
import { apiPanel, facts, h, link } from './dom.js';
import { ROLES, lang, localName, num, roleName, t } from './i18n.js';

export async function render({ args: [id] }) {
  const url = `/v1/agencies/${encodeURIComponent(id)}`;
  const measuresUrl = apiUrl(`${url}/measures`, [['limit', '500']]);
  const [{ data: agency }, measures, docs, places] = await Promise.all([getJson(url), getJson(measuresUrl), documents(), jurisdictions()]);

  const byRole = new Map(ROLES.map((role) => [role, []]));
  for (const measure of measures.data) {
    const roles = new Set(measure.agencies.filter((a) => a.id === agency.id).map((a) => a.role));
    for (const role of roles) {
      if (!byRole.has(role)) byRole.set(role, []);
      byRole.get(role).push(measure);
    }
  }

  const roleSections = [...byRole]
    .filter(([, list]) => list.length)
    .map(([role, list]) =>
      h(
        'section',
        { class: 'role-group', 'aria-labelledby': `role-${role}-h`, 'data-role': role },
        h('h3', { id: `role-${role}-h` }, h('span', { class: `role role-${role}` }, roleName(role)), ` (${num(list.length)})`),
        h(
          'ul',
          { class: 'measure-list' },
          list.map((m) =>
            h(
              'li',
              {},
              link(`/measures/${encodeURIComponent(m.id)}`, { lang: 'zh-CN' }, h('span', { class: 'label' }, m.label), ' ', m.title || m.text.slice(0, 40)),
              h('span', { class: 'muted' }, ' · ', docs.get(m.document)?.title || m.document)
            )
          )
        )
      )
    );

  const max = Math.max(1, ...agency.partners.map((p) => p.count));
  const partners = agency.partners.length
    ? h(
        'ol',
        { class: 'partners' },
        agency.partners.map((p, i) =>
          h(
            'li',
            { 'data-agency': p.id, 'data-count': p.count },
            h('span', { class: 'rank' }, `${i + 1}.`),
            link(`/agencies/${encodeURIComponent(p.id)}`, { class: 'agency-name' }, localName(p)),
            h('span', { class: 'bar-wrap', 'aria-hidden': 'true' }, h('span', { class: `bar-fill w${Math.round((p.count / max) * 10)}` })),
            h('span', { class: 'partner-count' }, t('sharedMeasures', num(p.count)))
          )
        )
      )
    : h('p', { class: 'empty' }, t('noMeasures'));

  const heading = localName(agency);
  const other = lang() === 'en' ? agency.name : agency.name_en;
  const node = h(
    'article',
    { class: 'view view-agency' },
    h('p', { class: 'kicker' }, t('agency'), agency.jurisdiction ? ` · ${localName(places.get(agency.jurisdiction)) || agency.jurisdiction}` : ''),
    h('h1', {}, heading),
    other ? h('p', { class: 'subtitle' }, other) : null,
    facts([
      [t('canonicalName'), h('span', { lang: 'zh-CN' }, agency.name)],
      [t('englishName'), agency.name_en],
      [t('aliases'), agency.aliases.length ? h('ul', { class: 'inline-list', lang: 'zh-CN' }, agency.aliases.map((a) => h('li', {}, a))) : null],
      [t('kind'), agency.kind.replace(/_/g, ' ')],
      [t('note'), agency.note],
      [t('status'), agency.resolved ? null : t('provisional')],
    ]),
    h(
      'section',
      { 'aria-labelledby': 'by-role-h' },
      h('h2', { id: 'by-role-h' }, t('measuresByRole'), ` (${num(agency.measure_count)})`),
      roleSections.length ? roleSections : h('p', { class: 'empty' }, t('noMeasures'))
    ),
    h('section', { 'aria-labelledby': 'partners-h' }, h('h2', { id: 'partners-h' }, t('partners')), h('p', { class: 'hint' }, t('partnersIntro')), partners),
    apiPanel([
      { label: t('agency'), url },
      { label: t('measuresByRole'), url: measuresUrl, list: true },
    ])
  );
  return { title: heading, node };
}
