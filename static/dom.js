// Small DOM helpers. Text from the API only ever becomes text nodes, never markup.

import { exportForms } from './api.js';
import { t } from './i18n.js';

/** Creates an element: `h('a', { href: '/x', class: 'y' }, 'text', child)`. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      el.className = value;
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** A link to a view of the explorer, followed without reloading the page; `link(href, attrs?, ...children)`. */
export function link(href, ...children) {
  const first = children[0];
  const attrs =
    first && typeof first === 'object' && !(first instanceof Node) && !Array.isArray(first) ? children.shift() : {};
  return h('a', { ...attrs, href, 'data-route': '' }, ...children);
}

/** Replaces the children of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Splits a search query like the API does; returns the terms a match must contain. */
export function queryTerms(query) {
  const terms = [];
  const re = /(-|－)?(?:["“”]([^"“”]*)["“”]?|([^\s"“”]+))/g;
  for (const match of (query || '').matchAll(re)) {
    const [, negated, phrase, word] = match;
    const term = (phrase ?? word ?? '').trim();
    if (negated || !term || term === 'OR') continue;
    terms.push(term);
  }
  return terms;
}

/** Character ranges of `text` where one of `terms` occurs, merged and sorted. */
export function findRanges(text, terms) {
  const lower = text.toLowerCase();
  const ranges = [];
  const find = (term) => {
    const needle = term.toLowerCase();
    let found = false;
    if (!needle) return found;
    for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) {
      ranges.push([at, at + needle.length]);
      found = true;
    }
    return found;
  };
  for (const term of terms) {
    if (!find(term) && term.length > 2) {
      // The API segments plain words; where the whole word is absent, mark its pieces.
      for (let i = 0; i + 2 <= term.length; i += 2) find(term.slice(i, i + 2));
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([...range]);
  }
  return merged;
}

/** Text with the given ranges wrapped in <mark>. */
export function marked(text, ranges) {
  const parts = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start < at || end > text.length) continue;
    parts.push(text.slice(at, start), h('mark', {}, text.slice(start, end)));
    at = end;
  }
  parts.push(text.slice(at));
  return parts.filter((part) => part !== '');
}

/** UTF-16 offset of the `n`th code point of `text`. */
function codeUnitOffset(text, n) {
  let units = 0;
  let points = 0;
  for (const ch of text) {
    if (points === n) break;
    units += ch.length;
    points += 1;
  }
  return units;
}

/**
 * The snippet of a search result with its highlighted ranges: the API's `snippet` and
 * `highlights` where it sends them, else a window of the text around the first match.
 */
export function snippet(record, terms, width = 150) {
  if (typeof record.snippet === 'string' && record.snippet) {
    const text = record.snippet;
    const ranges = Array.isArray(record.highlights)
      ? record.highlights.map(({ start, end }) => [codeUnitOffset(text, start), codeUnitOffset(text, end)])
      : findRanges(text, terms);
    return { text, ranges };
  }
  const text = record.text || '';
  const ranges = findRanges(text, terms);
  const first = ranges.length ? ranges[0][0] : 0;
  const start = Math.max(0, Math.min(first - 40, text.length - width));
  const end = Math.min(text.length, start + width);
  const prefix = start > 0 ? '…' : '';
  const suffix = end < text.length ? '…' : '';
  const shifted = ranges
    .filter(([s, e]) => s >= start && e <= end)
    .map(([s, e]) => [s - start + prefix.length, e - start + prefix.length]);
  return { text: prefix + text.slice(start, end) + suffix, ranges: shifted };
}

/**
 * The "Use this in your app" panel: the API URLs behind a view. Each entry is
 * `{ label, url, list }`; lists also get their CSV, NDJSON and Atom forms.
 */
export function apiPanel(entries) {
  const items = entries.map(({ label, url, list }) => {
    const absolute = new URL(url, window.location.origin).href;
    const forms = list
      ? h(
          'span',
          { class: 'formats' },
          exportForms(url)
            .slice(1)
            .map(([name, href]) => [' ', h('a', { href, class: 'format', 'data-format': name.toLowerCase() }, name)])
        )
      : null;
    return h(
      'li',
      {},
      h('span', { class: 'api-label' }, label),
      ' ',
      h('a', { href: url, class: 'api-url' }, h('code', {}, absolute)),
      forms
    );
  });
  return h(
    'section',
    { class: 'api-panel', 'aria-labelledby': 'api-panel-h' },
    h('h2', { id: 'api-panel-h' }, t('useInApp')),
    h('p', {}, t('useInAppIntro')),
    h('ul', {}, items)
  );
}

/** A definition list from [term, value] pairs; pairs with an empty value are left out. */
export function facts(pairs) {
  return h(
    'dl',
    { class: 'facts' },
    pairs
      .filter(([, value]) => value !== null && value !== undefined && value !== '')
      .map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])
  );
}
