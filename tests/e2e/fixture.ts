// The browser fixture of every end-to-end test. It registers the file's vitest hooks: Chromium is launched
// (helpers/browser.ts) before the tests and closed after them, and every page records its console errors.
import { afterAll, beforeAll, inject } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser, recordingPage } from '../helpers/browser.ts';

export type Viewport = { width: number; height: number };

export interface BrowserOptions {
  viewport?: Viewport;
  hasTouch?: boolean;
  /** A session cookie (`name=value`) set on the server's origin before the page opens. */
  cookie?: string;
  /** The server the cookie belongs to; the test server unless given. */
  base?: string;
}

export interface OpenedPage {
  page: Page;
  /** Console errors and uncaught exceptions of the page, as they come. */
  errors: string[];
  context: BrowserContext;
}

/**
 * One browser for the whole file and one page in it. `page` and `context` are usable from the first hook on
 * (they stand for the objects made in beforeAll); `errors` is the page's own list.
 */
export function useBrowser(options: BrowserOptions = {}): OpenedPage {
  const open = useBrowsers();
  let opened: OpenedPage | undefined;
  const errors: string[] = [];
  beforeAll(async () => {
    opened = await open(options, errors);
  });
  const ready = <K extends 'page' | 'context'>(what: K): OpenedPage[K] => {
    if (!opened) throw new Error(`the browser's ${what} is opened in beforeAll: use it inside a hook or a test`);
    return opened[what];
  };
  return { page: lateBound(() => ready('page')), errors, context: lateBound(() => ready('context')) };
}

/**
 * A browser of its own (own profile, so its own cookies) for each call of the returned function, with one
 * recording page; all of them are closed after the file's tests.
 */
export function useBrowsers(): (options?: BrowserOptions, errors?: string[]) => Promise<OpenedPage> {
  const browsers: Awaited<ReturnType<typeof launchBrowser>>[] = [];
  afterAll(async () => {
    for (const browser of browsers) await browser.close();
  });
  return async ({ viewport, hasTouch, cookie, base = inject('baseUrl') } = {}, errors = []) => {
    const browser = await launchBrowser(viewport, { hasTouch });
    browsers.push(browser);
    if (cookie) {
      const [name, value] = cookie.split('=');
      await browser.context.addCookies([{ name, value, url: base }]);
    }
    return { ...(await recordingPage(browser.context, errors)), context: browser.context };
  };
}

/** An object that forwards every use to the one `get` returns at the time of use. */
function lateBound<T extends object>(get: () => T): T {
  return new Proxy({} as T, {
    get(_, key) {
      const target = get();
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    has: (_, key) => Reflect.has(get(), key),
  });
}
