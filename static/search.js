// Search: one box (`q`), the matching measures with highlighted snippets, and facets to
// narrow them. The URL (/search?q=…&agency=…&cursor=…) holds the whole state.

import { FACETS, MEASURE_FILTERS, agencies, apiUrl, getJson, jurisdictions, themes } from './api.js';
import { apiPanel, fill, findRanges, h, link, marked, queryTerms, snippet } from './dom.js';
import { lang, localName, num, roleName, t } from './i18n.js';

const PAGE_SIZE = 20;
const FACET_PREVIEW = 8;

/** The filters in the URL as [name, value] pairs, in a stable order. */
export function filtersOf(params) {
  const pairs = [];
  for (const name of MEASURE_FILTERS) {
    for (const value of params.getAll(name)) if (value.trim()) pairs.push([name, value.trim()]);
  }
  return pairs;
}

/** The explorer URL of a search with these filter pairs. */
export function searchHref(pairs) {
  const query = new URLSearchParams(pairs).toString();
  return query ? `/search?${query}` : '/search';
}

function toggled(pairs, name, value) {
  const has = pairs.some(([n, v]) => n === name && v === value);
  return has ? pairs.filter(([n, v]) => !(n === name && v === value)) : [...pairs, [name, value]];
}

/** Names to show for facet values and result fields, in the interface language. */
async function namers(facets) {
  const [places, themeIndex, agencyIndex] = await Promise.all([
    jurisdictions(),
    lang() === 'en' ? themes() : null,
    lang() === 'en' ? agencies() : null,
  ]);
  const labels = {};
  for (const [name, values] of Object.entries(facets || {})) {
    labels[name] = new Map(values.map((v) => [v.value, v.label]));
  }
  return (name, value) => {
    if (name === 'role') return roleName(value);
    if (name === 'jurisdiction') return localName(places.get(value)) || labels.jurisdiction?.get(value) || value;
    if (name === 'theme' && themeIndex?.has(value)) return localName(themeIndex.get(value));
    if (name === 'agency' && agencyIndex?.has(value)) return localName(agencyIndex.get(value));
    return labels[name]?.get(value) || value;
  };
}

/**
 * The jurisdiction facet as the filter sees it: a jurisdiction filter includes those below,
 * so each count is the API's count for the jurisdiction plus those of the ones below it
 * (every measure belongs to one document of one jurisdiction), shown as a tree.
 */
export function jurisdictionTree(values, places) {
  const direct = new Map(values.map((v) => [v.value, v.count]));
  const inclusive = new Map();
  const count = (id) => {
    if (!inclusive.has(id)) {
      inclusive.set(id, 0);
      const children = places.get(id)?.children || [];
      inclusive.set(id, (direct.get(id) || 0) + children.reduce((sum, child) => sum + count(child), 0));
    }
    return inclusive.get(id);
  };
  const out = [];
  const walk = (id, depth) => {
    const place = places.get(id);
    const n = count(id);
    // The national level holds every jurisdiction: listed only for documents of its own.
    const shown = n > 0 && !(place?.level === 'national' && !direct.get(id));
    if (shown) out.push({ value: id, count: n, depth });
    for (const child of place?.children || []) walk(child, shown ? depth + 1 : depth);
  };
  for (const place of places.values()) if (!place.parent || !places.has(place.parent)) walk(place.id, 0);
  for (const v of values) if (!places.has(v.value)) out.push({ ...v, depth: 0 });
  return out;
}

function facetGroup(name, values, pairs, nameOf, navigate) {
  const selected = new Set(pairs.filter(([n]) => n === name).map(([, v]) => v));
  const shown = [...values];
  for (const value of selected) {
    if (!shown.some((v) => v.value === value)) shown.unshift({ value, count: 0 });
  }
  if (!shown.length) return null;
  const id = `facet-${name}`;
  const items = shown.map((v, i) => {
    const pressed = selected.has(v.value);
    return h(
      'li',
      { class: [i >= FACET_PREVIEW && !pressed ? 'extra' : '', v.depth ? `depth-${Math.min(2, v.depth)}` : ''].join(' ').trim() || null, hidden: i >= FACET_PREVIEW && !pressed },
      h(
        'button',
        {
          type: 'button',
          class: 'facet-value',
          'aria-pressed': pressed ? 'true' : 'false',
          'data-facet': name,
          'data-value': v.value,
          onclick: () => navigate(searchHref(toggled(pairs, name, v.value))),
        },
        h('span', { class: 'facet-label' }, nameOf(name, v.value)),
        h('span', { class: 'facet-count' }, num(v.count))
      )
    );
  });
  const extra = shown.length - FACET_PREVIEW;
  const list = h('ul', { class: 'facet-values', id }, items);
  const more =
    extra > 0
      ? h(
          'button',
          {
            type: 'button',
            class: 'facet-more',
            'aria-expanded': 'false',
            'aria-controls': id,
            onclick: (event) => {
              const button = event.currentTarget;
              const open = button.getAttribute('aria-expanded') !== 'true';
              button.setAttribute('aria-expanded', String(open));
              for (const li of list.querySelectorAll('li.extra')) li.hidden = !open;
              fill(button, open ? t('showFewer') : t('showAll', shown.length));
            },
          },
          t('showAll', shown.length)
        )
      : null;
  return h(
    'section',
    { class: 'facet', 'aria-labelledby': `${id}-h` },
    h('h3', { id: `${id}-h` }, t(`facet_${name}`)),
    name === 'jurisdiction' ? h('p', { class: 'hint' }, t('jurisdictionHint')) : null,
    list,
    more
  );
}

/**
 * Snippets from `/v1/search` for the measures it ranks first, and the words it matched (as
 * the API segments the query), to highlight the other results the same way. Empty where
 * the API has no search endpoint.
 */
async function searchHits(q) {
  if (!q) return { url: null, hits: new Map(), words: [] };
  const url = apiUrl('/v1/search', [['q', q], ['type', 'measure'], ['limit', String(PAGE_SIZE)]]);
  try {
    const body = await getJson(url);
    const hits = new Map();
    const words = new Set();
    for (const hit of body.data) {
      if (typeof hit.snippet !== 'string' || !Array.isArray(hit.highlights)) continue;
      hits.set(hit.id, hit);
      const points = Array.from(hit.snippet);
      for (const { start, end } of hit.highlights) words.add(points.slice(start, end).join(''));
    }
    return { url, hits, words: [...words].filter(Boolean) };
  } catch {
    return { url: null, hits: new Map(), words: [] };
  }
}

function result(measure, terms, nameOf, hit) {
  const { text, ranges } = snippet(hit ? { snippet: hit.snippet, highlights: hit.highlights } : measure, terms);
  const title = measure.title || measure.text.slice(0, 40);
  const leads = measure.agencies.filter((a) => a.role === 'lead');
  const named = leads.length ? leads : measure.agencies.filter((a) => a.role === 'responsible');
  const seen = new Set();
  const agencyLinks = named
    .filter((a) => !seen.has(a.id) && seen.add(a.id))
    .map((a, i) => [i ? '、' : '', link(`/agencies/${encodeURIComponent(a.id)}`, { class: 'agency-name' }, localName(a))]);
  const titleLink = link(
    `/measures/${encodeURIComponent(measure.id)}`,
    { class: 'result-link' },
    h('span', { class: 'label' }, measure.label),
    ' ',
    marked(title, findRanges(title, terms))
  );
  return h(
    'li',
    { class: 'result', 'data-id': measure.id },
    h('h3', { class: 'result-title' }, titleLink),
    h('p', { class: 'snippet' }, marked(text, ranges)),
    h(
      'p',
      { class: 'meta' },
      h('span', { class: 'meta-item' }, h('span', { class: 'meta-key' }, t('document'), ' '), link(`/documents/${encodeURIComponent(measure.document)}`, nameOf('document', measure.document))),
      measure.jurisdiction ? h('span', { class: 'meta-item' }, h('span', { class: 'meta-key' }, t('jurisdiction'), ' '), nameOf('jurisdiction', measure.jurisdiction)) : null,
      agencyLinks.length
        ? h('span', { class: 'meta-item leads' }, h('span', { class: 'meta-key' }, (leads.length ? t('leads') : roleName('responsible')), ' '), agencyLinks)
        : null
    ),
    measure.themes.length
      ? h(
          'ul',
          { class: 'tags', 'aria-label': t('themes') },
          measure.themes.map((theme) => h('li', {}, link(searchHref([['theme', theme.id]]), localName(theme))))
        )
      : null
  );
}

function searchForm(q, pairs, navigate) {
  const dueBy = pairs.find(([n]) => n === 'deadline_to')?.[1] || '';
  const due = h('input', { id: 'due', name: 'deadline_to', type: 'date', value: dueBy, 'aria-describedby': 'due-help' });
  const input = h('input', {
    id: 'q',
    name: 'q',
    type: 'search',
    value: q,
    placeholder: t('searchPlaceholder'),
    autocomplete: 'off',
    'aria-describedby': 'q-help',
  });
  return h(
    'form',
    {
      role: 'search',
      class: 'search-form',
      action: '/search',
      onsubmit: (event) => {
        event.preventDefault();
        const next = pairs.filter(([n]) => n !== 'q' && n !== 'deadline_to');
        const value = input.value.trim();
        if (value) next.unshift(['q', value]);
        if (due.value) next.push(['deadline_to', due.value]);
        navigate(searchHref(next), { focus: false }).then(() => document.getElementById('results-h')?.focus());
      },
    },
    h('label', { for: 'q' }, t('searchLabel')),
    h('div', { class: 'search-row' }, input, h('button', { type: 'submit' }, t('searchButton'))),
    h('p', { id: 'q-help', class: 'hint' }, t('searchHelp')),
    h('div', { class: 'due-row' }, h('label', { for: 'due' }, t('dueBy')), due),
    h('p', { id: 'due-help', class: 'hint' }, t('dueByHelp'))
  );
}

export async function render({ params, navigate }) {
  const pairs = filtersOf(params);
  const q = params.get('q') || '';
  const cursor = params.get('cursor');
  const request = [...pairs, ['limit', String(PAGE_SIZE)], ...FACETS.map((f) => ['facet', f])];
  if (cursor) request.push(['cursor', cursor]);
  const url = apiUrl('/v1/measures', request);
  const form = searchForm(q, pairs, navigate);
  let page;
  let found;
  try {
    [page, found] = await Promise.all([getJson(url), searchHits(q)]);
  } catch (error) {
    if (error.status !== 400) throw error;
    // A query the API refuses: say why, and keep the box to correct it.
    const node = h(
      'div',
      { class: 'view view-search' },
      h('h1', {}, t('searchTitle')),
      form,
      h('p', { class: 'error', role: 'alert' }, error.message),
      apiPanel([{ label: t('results'), url, list: true }])
    );
    return { title: t('searchTitle'), node };
  }
  const [nameOf, places] = await Promise.all([namers(page.facets), jurisdictions()]);
  const facetValues = (name) => {
    const values = page.facets?.[name] || [];
    return name === 'jurisdiction' ? jurisdictionTree(values, places) : values;
  };
  const terms = [...new Set([...found.words, ...queryTerms(q)])];
  const total = page.meta.total;
  const countText = q ? t('countFor', num(total), q) : t('count', num(total));

  const chips = pairs.filter(([n]) => n !== 'q');
  const active = chips.length
    ? h(
        'section',
        { class: 'active-filters', 'aria-labelledby': 'active-h' },
        h('h2', { id: 'active-h', class: 'visually-hidden' }, t('activeFilters')),
        h(
          'ul',
          {},
          chips.map(([name, value]) =>
            h(
              'li',
              {},
              h(
                'button',
                {
                  type: 'button',
                  class: 'chip',
                  'aria-label': t('removeFilter', `${t(`facet_${name}`)} ${nameOf(name, value)}`),
                  onclick: () => navigate(searchHref(toggled(pairs, name, value))),
                },
                h('span', { class: 'chip-key' }, t(`facet_${name}`)),
                ' ',
                nameOf(name, value),
                h('span', { 'aria-hidden': 'true', class: 'chip-x' }, ' ×')
              )
            )
          ),
          h('li', {}, link(q ? searchHref([['q', q]]) : '/search', { class: 'clear' }, t('clearAll')))
        )
      )
    : null;

  // On a phone-width screen the facets start folded, below the search box.
  const narrow = window.matchMedia('(max-width: 760px)').matches;
  const facets = h(
    'aside',
    { class: 'facets', 'aria-label': t('filters') },
    h(
      'details',
      { open: !narrow },
      h('summary', {}, t('filters'), chips.length ? ` (${num(chips.length)})` : ''),
      FACETS.map((name) => facetGroup(name, facetValues(name), pairs, nameOf, navigate))
    )
  );

  const nextPairs = [...pairs, ['cursor', page.meta.next_cursor]];
  const pager = h(
    'nav',
    { class: 'pager', 'aria-label': t('results') },
    cursor ? link(searchHref(pairs), t('firstPage')) : null,
    page.meta.next_cursor ? link(searchHref(nextPairs), { rel: 'next' }, t('nextPage')) : null
  );

  const results = h(
    'section',
    { class: 'results', 'aria-labelledby': 'results-h' },
    h('h2', { id: 'results-h', tabindex: '-1' }, t('results')),
    h('p', { class: 'count', id: 'result-count', 'aria-live': 'polite', 'data-total': total }, countText),
    page.data.length
      ? h('ol', { class: 'result-list' }, page.data.map((m) => result(m, terms, nameOf, found.hits.get(m.id))))
      : h('p', { class: 'empty' }, t('noResults')),
    pager
  );

  const node = h(
    'div',
    { class: 'view view-search' },
    h('h1', {}, t('searchTitle')),
    form,
    active,
    h('div', { class: 'search-layout' }, facets, results),
    apiPanel([
      { label: t('results'), url, list: true },
      found.url ? { label: t('snippets'), url: apiUrl('/v1/search', [['q', q], ['type', 'measure'], ['highlight', 'html']]) } : null,
    ].filter(Boolean))
  );
  return {
    title: q ? `${q} · ${t('navSearch')}` : t('searchTitle'),
    node,
    after: () => {
      const live = document.getElementById('live');
      if (live) live.textContent = countText;
    },
  };
}
