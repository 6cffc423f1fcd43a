/**
 * Loads the English messages before each test file of the `main` project (vitest.config.ts). In the explorer each
 * language's messages are a chunk of their own that main.ts awaits before mounting anything (issue 18); modules
 * tested here (views, panels, exports) translate as they would once the page has started.
 */
import { loadMessages } from '../../web/src/lib/i18n.ts';

await loadMessages('en');
