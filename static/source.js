// A document's source text — the text extracted from the file as received (for a text file
// the file itself; for an HTML page its article, for DOCX its paragraphs, for PDF its text
// layer) — with line numbers and a record's source span (byte offsets `start`–`end` of the
// UTF-8 text, from the URL) highlighted.

import { documents, getJson } from './api.js';
import { apiPanel, h, link } from './dom.js';
import { t } from './i18n.js';

/** Character offset in `text` of UTF-8 byte offset `byte`. */
function charOffset(bytes, byte) {
  return new TextDecoder().decode(bytes.subarray(0, Math.max(0, Math.min(byte, bytes.length)))).length;
}

export async function render({ args: [id], params }) {
  const url = `/v1/documents/${encodeURIComponent(id)}/text?source=true`;
  const rawUrl = `/v1/documents/${encodeURIComponent(id)}/text?raw=true`;
  await getJson(`/v1/documents/${encodeURIComponent(id)}`); // a clear 404 for unknown documents
  const docs = await documents();
  const doc = docs.get(id);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  const start = Number.parseInt(params.get('start') ?? '', 10);
  const end = Number.parseInt(params.get('end') ?? '', 10);
  const span = Number.isFinite(start) && Number.isFinite(end) && end > start ? [charOffset(bytes, start), charOffset(bytes, end)] : null;

  const lines = [];
  let at = 0;
  for (const [index, line] of text.split('\n').entries()) {
    const lineStart = at;
    const lineEnd = at + line.length;
    at = lineEnd + 1;
    const shown = line.replace(/\r$/, '');
    let content = [shown];
    let hit = false;
    if (span && span[0] < lineEnd + 1 && span[1] > lineStart) {
      const s = Math.max(0, span[0] - lineStart);
      const e = Math.min(shown.length, span[1] - lineStart);
      if (e > s) {
        content = [shown.slice(0, s), h('mark', {}, shown.slice(s, e)), shown.slice(e)];
        hit = true;
      }
    }
    lines.push(h('li', { id: `L${index + 1}`, class: hit ? 'hit' : null }, h('span', { class: 'line-text' }, content.length === 1 && !shown ? '\u00a0' : content)));
  }

  const node = h(
    'article',
    { class: 'view view-source' },
    h('p', { class: 'kicker' }, t('sourceTitle'), ' · ', link(`/documents/${encodeURIComponent(id)}`, doc?.title || id)),
    h('h1', { lang: 'zh-CN' }, doc?.title || id),
    h('p', { class: 'hint' }, t('sourceIntro'), doc?.format && doc.format !== 'txt' ? ` ${t('sourceExtracted', doc.format.toUpperCase(), doc.extractor)}` : ''),
    h('ol', { class: 'source-lines', lang: 'zh-CN' }, lines),
    apiPanel([
      { label: t('sourceTitle'), url },
      { label: t('rawText'), url: rawUrl },
      { label: t('fullText'), url: `/v1/documents/${encodeURIComponent(id)}/text` },
    ])
  );
  return { title: `${t('sourceTitle')} · ${doc?.title || id}`, node };
}
