/**
 * A story as one self-contained HTML file, for offices with poor connections: every step's picture (a PNG of its
 * scene), captions in Khmer and English and sources are in the file, with its style, the Khmer font and a few lines
 * of script (arrow keys, buttons, swipe, language) inline; nothing is fetched when it opens. Pure: strings in, a
 * string out. Every text of the story is escaped; pictures and the font must be data: URLs of their type.
 */
import type { Lang } from '../i18n.ts';

export interface StoryFileSource {
  /** What to show: a Document's name, or the URL. */
  text: string;
  /** An http(s) URL to link to, if any. */
  url?: string;
}

export interface StoryFileStep {
  caption: Readonly<Record<Lang, string>>;
  sources: readonly StoryFileSource[];
  /** The scene's picture as a data:image/png (or svg+xml) URL; none for a scene that is not a graph. */
  picture?: string;
  /** The scene's address on the site (absolute), to open it when online. */
  scene: string;
}

export interface StoryFileLabels {
  step: string;
  previous: string;
  next: string;
  sources: string;
  noSources: string;
  openScene: string;
  madeWith: string;
}

export interface StoryFile {
  title: Readonly<Record<Lang, string>>;
  lang: Lang;
  steps: readonly StoryFileStep[];
  labels: Readonly<Record<Lang, StoryFileLabels>>;
  /** The story's address on the site. */
  address: string;
  /** The Khmer font as a data:font/woff2 URL (optional). */
  khmerFont?: string;
}

const PICTURE = /^data:image\/(png|svg\+xml);base64,[A-Za-z0-9+/=]+$/;
const FONT = /^data:font\/woff2;base64,[A-Za-z0-9+/=]+$/;
const HTTP = /^https?:\/\/[^\s"'<>]+$/i;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Both languages side by side; the page's language shows one (CSS). */
function both(text: Readonly<Record<Lang, string>>): string {
  return `<span lang="en">${escapeHtml(text.en)}</span><span lang="km">${escapeHtml(text.km)}</span>`;
}

function label(labels: StoryFile['labels'], key: keyof StoryFileLabels, params: Record<string, string | number> = {}): Readonly<Record<Lang, string>> {
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
  return { en: fill(labels.en[key]), km: fill(labels.km[key]) };
}

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, "Segoe UI", Roboto, Arial, "Noto Sans Khmer", "Khmer OS", sans-serif; color: #1d2733; background: #f4f6f8; }
body.km { font-family: "Noto Sans Khmer", "Khmer OS", "Khmer OS System", system-ui, sans-serif; }
body.en [lang="km"], body.km [lang="en"] { display: none; }
header { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; justify-content: space-between; padding: 12px 20px; background: #fff; border-bottom: 1px solid #d5dce3; }
h1 { margin: 0; font-size: 1.3rem; }
.langs button[aria-pressed="true"] { background: #1d5e96; color: #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 16px 20px 40px; }
.step[hidden] { display: none; }
figure { margin: 0; background: #fff; border: 1px solid #d5dce3; border-radius: 8px; overflow: hidden; }
figure img { display: block; width: 100%; max-height: 62vh; object-fit: contain; background: #fff; }
.caption { margin: 14px 0 6px; font-size: 1.15rem; white-space: pre-line; }
.counter { color: #55606b; font-size: .9rem; }
h2 { font-size: 1rem; margin: 14px 0 4px; }
ol.sources { margin: 0; padding-left: 1.4em; }
nav { display: flex; gap: 10px; margin-top: 18px; }
button { font: inherit; padding: 6px 14px; border: 1px solid #9aa8b6; border-radius: 6px; background: #fff; cursor: pointer; }
button:disabled { opacity: .45; cursor: default; }
footer { color: #55606b; font-size: .85rem; margin-top: 28px; }
a { color: #1d5e96; }
`;

const SCRIPT = `
(function () {
  var steps = document.querySelectorAll('.step');
  var at = 0;
  function show(i) {
    at = Math.max(0, Math.min(steps.length - 1, i));
    for (var k = 0; k < steps.length; k++) steps[k].hidden = k !== at;
    document.getElementById('prev').disabled = at === 0;
    document.getElementById('next').disabled = at === steps.length - 1;
  }
  function lang(l) {
    document.body.className = l;
    document.documentElement.lang = l;
    var buttons = document.querySelectorAll('.langs button');
    for (var k = 0; k < buttons.length; k++) buttons[k].setAttribute('aria-pressed', String(buttons[k].getAttribute('data-lang') === l));
  }
  document.getElementById('prev').onclick = function () { show(at - 1); };
  document.getElementById('next').onclick = function () { show(at + 1); };
  var buttons = document.querySelectorAll('.langs button');
  for (var k = 0; k < buttons.length; k++) buttons[k].onclick = function () { lang(this.getAttribute('data-lang')); };
  document.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowRight' || e.key === 'PageDown') { show(at + 1); e.preventDefault(); }
    if (e.key === 'ArrowLeft' || e.key === 'PageUp') { show(at - 1); e.preventDefault(); }
  });
  var x0 = null;
  document.addEventListener('touchstart', function (e) { x0 = e.touches[0].clientX; }, { passive: true });
  document.addEventListener('touchend', function (e) {
    if (x0 === null) return;
    var dx = e.changedTouches[0].clientX - x0;
    x0 = null;
    if (Math.abs(dx) > 50) show(at + (dx < 0 ? 1 : -1));
  });
  show(0);
})();
`;

export function storyFileHtml(file: StoryFile): string {
  const { labels } = file;
  const total = file.steps.length;
  const font = file.khmerFont && FONT.test(file.khmerFont)
    ? `@font-face { font-family: "Noto Sans Khmer"; src: url(${file.khmerFont}) format("woff2"); unicode-range: U+1780-17FF, U+19E0-19FF, U+200C-200D, U+25CC; }`
    : '';
  const steps = file.steps.map((step, i) => {
    const picture = step.picture && PICTURE.test(step.picture)
      ? `<figure><img src="${step.picture}" alt="${escapeHtml(label(labels, 'step', { n: i + 1, total })[file.lang])}"></figure>`
      : '';
    const sources = step.sources.length === 0
      ? `<p>${both(label(labels, 'noSources'))}</p>`
      : `<ol class="sources">${step.sources
          .map((s) => (s.url && HTTP.test(s.url) ? `<li><a href="${escapeHtml(s.url)}">${escapeHtml(s.text)}</a></li>` : `<li>${escapeHtml(s.text)}</li>`))
          .join('')}</ol>`;
    const scene = HTTP.test(step.scene) ? `<p><a href="${escapeHtml(step.scene)}">${both(label(labels, 'openScene'))}</a></p>` : '';
    return `<section class="step" data-step="${i + 1}"${i === 0 ? '' : ' hidden'}>
<p class="counter">${both(label(labels, 'step', { n: i + 1, total }))}</p>
${picture}
<p class="caption">${both(step.caption)}</p>
<h2>${both(label(labels, 'sources'))}</h2>
${sources}
${scene}
</section>`;
  });
  const address = HTTP.test(file.address) ? `<a href="${escapeHtml(file.address)}">${escapeHtml(file.address)}</a>` : '';
  return `<!doctype html>
<html lang="${file.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${escapeHtml(file.title[file.lang])}</title>
<style>${font}${STYLE}</style>
</head>
<body class="${file.lang}">
<header>
<h1>${both(file.title)}</h1>
<div class="langs"><button type="button" data-lang="en" aria-pressed="${file.lang === 'en'}">English</button> <button type="button" data-lang="km" aria-pressed="${file.lang === 'km'}">ខ្មែរ</button></div>
</header>
<main>
${steps.join('\n')}
<nav><button type="button" id="prev">${both(label(labels, 'previous'))}</button><button type="button" id="next">${both(label(labels, 'next'))}</button></nav>
<footer>${both(label(labels, 'madeWith'))} · ${address}</footer>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
