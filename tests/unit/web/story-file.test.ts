/** The downloaded story file (web/src/lib/story/story-file.ts): all text escaped, only data: pictures and fonts. */
import { describe, expect, it } from 'vitest';
import { storyFileHtml, type StoryFile } from '../../../web/src/lib/story/story-file.ts';

const labels = { step: 'Step {n} of {total}', previous: 'Previous', next: 'Next', sources: 'Sources', noSources: 'None', openScene: 'Open', madeWith: 'From' };
const PNG = 'data:image/png;base64,iVBORw0KGgo=';

function file(extra: Partial<StoryFile> = {}): StoryFile {
  return {
    title: { en: 'Title <b>', km: 'ចំណងជើង' },
    lang: 'km',
    labels: { en: labels, km: { ...labels, step: 'ជំហាន {n} នៃ {total}' } },
    address: 'https://dar.example.org/stories/a',
    steps: [
      { caption: { en: '<script>alert(1)</script>', km: 'ខ្មែរ & "quotes"' }, sources: [{ text: 'A <doc>', url: 'https://example.org/?a=1&b=2' }, { text: 'plain' }], picture: PNG, scene: 'https://dar.example.org/?v=explore' },
      { caption: { en: 'Two', km: 'ពីរ' }, sources: [], picture: 'javascript:alert(1)', scene: 'javascript:alert(1)' },
    ],
    ...extra,
  };
}

describe('the story file', () => {
  it('escapes every text of the story and keeps both languages', () => {
    const html = storyFileHtml(file());
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('ខ្មែរ &amp; &quot;quotes&quot;');
    expect(html).toContain('<title>ចំណងជើង</title>');
    expect(html).toContain('Title &lt;b&gt;');
    expect(html).toContain('href="https://example.org/?a=1&amp;b=2"');
    expect(html).toContain('<html lang="km">');
    expect(html).toContain('ជំហាន 1 នៃ 2');
    // One script, the file's own.
    expect(html.match(/<script>/g)).toHaveLength(1);
  });

  it('takes pictures and the font only as data: URLs, and links only to http(s)', () => {
    const html = storyFileHtml(file({ khmerFont: 'https://evil.example/font.woff2' }));
    expect(html.match(/<img /g)).toHaveLength(1);
    expect(html).toContain(`<img src="${PNG}"`);
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('evil.example');
    expect(storyFileHtml(file({ khmerFont: 'data:font/woff2;base64,d09GMg==' }))).toContain('url(data:font/woff2;base64,d09GMg==)');
    // Nothing is fetched when it opens: its own CSP says so too.
    expect(html).toContain("default-src 'none'; img-src data:; font-src data:");
  });
});
