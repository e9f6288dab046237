// GETs a page starts before its code has loaded: the wall asks for its style, figures and stations while
// the map's code (the largest chunk) is fetched and evaluated. The first getJson of such a URL within a few
// seconds takes the answer instead of asking again; later ones ask the server.
const EARLY_MAX_AGE_MS = 10_000;
const early = new Map<string, { at: number; response: Promise<Response> }>();

export const JSON_ACCEPT = 'application/json, application/geo+json';

export function requestEarly(urls: readonly string[]): void {
  for (const url of urls) {
    const response = fetch(url, { headers: { Accept: JSON_ACCEPT } });
    // A failure is the taker's to report; none taking it must not be an unhandled rejection.
    response.catch(() => undefined);
    early.set(url, { at: Date.now(), response });
  }
}

/** The early answer for `url`, once and while fresh. */
export function takeEarly(url: string): Promise<Response> | undefined {
  const entry = early.get(url);
  early.delete(url);
  return entry && Date.now() - entry.at < EARLY_MAX_AGE_MS ? entry.response : undefined;
}
