import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { language } from './lib/language.svelte.ts';
import { registerKhmerFont, registerKhmerFontAfter } from './lib/khmer-font.ts';

// In Khmer the font is needed at once; in English it waits for the first screen (khmer-font.ts).
if (language.current === 'km') registerKhmerFont();
else registerKhmerFontAfter(10_000);

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

// Stories have pages of their own (loaded on their first use): a story's reader (/stories/:id), its read-only embed
// (/embed/stories/:id) and the list with the editor (/stories); every other path is the explorer.
function start(target: HTMLElement): void {
  const story = /^\/(embed\/)?stories\/([a-z0-9][a-z0-9-]{0,119})\/?$/.exec(location.pathname);
  if (story) {
    void import('./components/StoryReader.svelte').then(({ default: StoryReader }) =>
      mount(StoryReader, { target, props: { id: story[2]!, embed: story[1] !== undefined } }),
    );
  } else if (/^\/stories\/?$/.test(location.pathname)) {
    void import('./components/StoryIndex.svelte').then(({ default: StoryIndex }) => mount(StoryIndex, { target }));
  } else {
    mount(App, { target });
  }
}

// The page waits for its language's messages (a chunk of their own each, preloaded from index.html by
// first-data.js); when Khmer's cannot be loaded it starts in English.
void language.ready().then(
  () => start(target),
  (error: unknown) => {
    if (language.current === 'en') throw error;
    console.error('the Khmer messages could not be loaded', error);
    language.set('en');
    void language.ready().then(() => start(target));
  },
);
