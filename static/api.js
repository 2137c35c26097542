// The one way the explorer and the widget reach data: the public /v1 API.

/** Filters of /v1/measures (the widget and the search view pass only these). */
export const MEASURE_FILTERS = ['q', 'document', 'jurisdiction', 'agency', 'role', 'theme', 'year', 'deadline_from', 'deadline_to'];

/** Facets the search view asks for, in the order it shows them. */
export const FACETS = ['jurisdiction', 'document', 'agency', 'role', 'theme'];

/** `path` with the query `params` (an array of [name, value] pairs or URLSearchParams). */
export function apiUrl(path, params = []) {
  const query = new URLSearchParams(params).toString();
  return query ? `${path}?${query}` : path;
}

/** An error answer of the API (a problem document), or a network failure. */
export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

const cache = new Map();

/** GETs JSON from the API; answers are kept for the visit (the data is read-only). */
export function getJson(url) {
  if (!cache.has(url)) {
    const promise = fetch(url, { headers: { Accept: 'application/json' } }).then(async (response) => {
      const body = await response.json().catch(() => null);
      if (!response.ok) {
        throw new ApiError(response.status, body?.detail || `${response.status} ${response.statusText}`);
      }
      return body;
    });
    promise.catch(() => cache.delete(url));
    cache.set(url, promise);
  }
  return cache.get(url);
}

/** Lists of measures, the only lists the API also serves as an Atom feed. */
const MEASURE_LIST = /^\/v1\/(?:measures|documents\/[^/]+\/measures|agencies\/[^/]+\/measures)$/;

/**
 * The export forms of a list URL: JSON as is; CSV and NDJSON of the whole list (up to 500
 * records) via `format=`; and for lists of measures their Atom feed.
 */
export function exportForms(url) {
  const [path, query = ''] = url.split('?');
  const params = new URLSearchParams(query);
  params.delete('cursor');
  params.delete('facet');
  const forms = [['JSON', apiUrl(path, params)]];
  const formats = [['CSV', 'csv'], ['NDJSON', 'ndjson']];
  if (MEASURE_LIST.test(path)) formats.push(['Atom', 'atom']);
  for (const [label, format] of formats) {
    const form = new URLSearchParams(params);
    if (format === 'atom') form.delete('limit');
    else form.set('limit', '500');
    form.set('format', format);
    forms.push([label, apiUrl(path, form)]);
  }
  return forms;
}

async function index(url, key = 'id') {
  const body = await getJson(url);
  return new Map(body.data.map((record) => [record[key], record]));
}

/**
 * The jurisdictions the corpus uses, by id: those that hold documents (`has_documents=true`)
 * and every jurisdiction above them, so that facet trees, names and the compare page work
 * without the thousands of divisions of China that hold none.
 */
export async function jurisdictions() {
  const places = await index('/v1/jurisdictions?has_documents=true&limit=500');
  for (;;) {
    const missing = new Set();
    for (const place of places.values()) if (place.parent && !places.has(place.parent)) missing.add(place.parent);
    if (!missing.size) return places;
    const found = await Promise.all([...missing].map((id) => getJson(`/v1/jurisdictions/${encodeURIComponent(id)}`)));
    for (const { data } of found) places.set(data.id, data);
  }
}
/** Themes by id. */
export const themes = () => index('/v1/themes?limit=500');
/** Agencies by id. */
export const agencies = () => index('/v1/agencies?limit=500');
/** Documents by id. */
export const documents = () => index('/v1/documents?limit=500');
