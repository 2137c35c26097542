// The explorer: a thin client of the /v1 API. The URL holds the whole state of a view, so
// any view can be shared and reloaded; links between views are followed without reloading.

import { ApiError } from './api.js';
import { fill, h, link } from './dom.js';
import { lang, setLang, t } from './i18n.js';
import * as search from './search.js';

/** Routes: a path pattern and the module that draws it (loaded when first needed). */
const ROUTES = [
  [/^\/(?:search)?$/, () => Promise.resolve(search)],
  [/^\/measures\/([^/]+)$/, () => import('./measure.js')],
  [/^\/agencies\/([^/]+)$/, () => import('./agency.js')],
  [/^\/documents\/([^/]+)$/, () => import('./document.js')],
  [/^\/documents\/([^/]+)\/source$/, () => import('./source.js')],
  [/^\/compare$/, () => import('./compare.js')],
];

const main = document.getElementById('main');
let renderCount = 0;

function header() {
  const here = window.location.pathname;
  const navLink = (href, key, active) =>
    h('li', {}, h('a', { href, 'data-route': href.startsWith('/') && !href.startsWith('/docs') ? '' : null, 'aria-current': active ? 'page' : null }, t(key)));
  return h(
    'div',
    { class: 'bar' },
    h('a', { href: '/', 'data-route': '', class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '政'), h('span', {}, t('brand'))),
    h(
      'nav',
      { 'aria-label': t('nav') },
      h(
        'ul',
        {},
        navLink('/search', 'navSearch', here === '/' || here === '/search'),
        navLink('/compare', 'navCompare', here === '/compare'),
        navLink('/docs/', 'navApi', false)
      )
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'lang-switch',
        id: 'lang-switch',
        lang: lang() === 'en' ? 'zh-CN' : 'en',
        'aria-label': t('switchLabel'),
        onclick: () => {
          setLang(lang() === 'en' ? 'zh' : 'en');
          render({ focus: false }).then(() => document.getElementById('lang-switch')?.focus());
        },
      },
      t('switchTo')
    )
  );
}

function chrome() {
  fill(document.getElementById('skip'), t('skip'));
  fill(document.getElementById('site-header'), header());
  fill(
    document.getElementById('site-footer'),
    h('p', {}, t('footer'), ' ', h('a', { href: '/v1' }, '/v1'), ' · ', h('a', { href: '/v1/openapi.json' }, 'OpenAPI'), ' · ', h('a', { href: '/docs/' }, 'Swagger UI'))
  );
}

/** Draws the view for the current URL. */
async function render({ focus = true } = {}) {
  const ticket = ++renderCount;
  setLang(lang(), false);
  chrome();
  const path = decodeURI(window.location.pathname);
  const params = new URLSearchParams(window.location.search);
  const route = ROUTES.find(([pattern]) => pattern.test(path));
  main.setAttribute('aria-busy', 'true');
  const status = h('p', { class: 'loading', role: 'status' }, t('loading'));
  if (!main.firstChild) main.append(status);
  try {
    if (!route) throw new ApiError(404, t('notFound'));
    const [pattern, load] = route;
    const view = await load();
    const args = path.match(pattern).slice(1).map(decodeURIComponent);
    const content = await view.render({ args, params, navigate });
    if (ticket !== renderCount) return;
    fill(main, content.node);
    document.title = `${content.title} · zhengce`;
    content.after?.();
  } catch (error) {
    if (ticket !== renderCount) return;
    console.warn(error);
    fill(main, h('h1', {}, t('error', '')), h('p', { class: 'error', role: 'alert' }, error.message || String(error)), h('p', {}, link('/', t('home'))));
    document.title = 'zhengce';
  } finally {
    if (ticket === renderCount) main.removeAttribute('aria-busy');
  }
  if (focus && ticket === renderCount) {
    const heading = main.querySelector('h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: true });
    }
    if (!window.location.hash) window.scrollTo(0, 0);
  }
  if (window.location.hash) {
    document.getElementById(decodeURIComponent(window.location.hash.slice(1)))?.scrollIntoView();
  }
}

/** Goes to `url` (a path with query) within the explorer. */
export function navigate(url, { replace = false, focus = true } = {}) {
  if (replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  return render({ focus });
}

document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = event.target.closest('a[data-route]');
  if (!anchor || anchor.target || anchor.origin !== window.location.origin) return;
  event.preventDefault();
  const url = anchor.pathname + anchor.search + anchor.hash;
  if (url === window.location.pathname + window.location.search + window.location.hash) return;
  navigate(url, { focus: !anchor.hash });
});

window.addEventListener('popstate', () => render({ focus: false }));

render({ focus: false });
