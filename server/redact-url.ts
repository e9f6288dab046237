/** Query parameters that carry a secret: an Open311 api_key, a wall display token. */
const SECRET_PARAMETERS = new Set(['api_key', 'token']);

/**
 * A request URL as it may be written to a log: the value of every secret query parameter replaced by
 * REDACTED (`?api_key=REDACTED`), whatever its case or percent-encoding; every other piece kept as sent.
 * No regular expression: the query is split on `&` and each name decoded by URLSearchParams.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const pieces = url
    .slice(q + 1)
    .split('&')
    .map((piece) => {
      const [name] = new URLSearchParams(piece).keys();
      if (name === undefined || !SECRET_PARAMETERS.has(name.toLowerCase())) return piece;
      const eq = piece.indexOf('=');
      return `${eq < 0 ? piece : piece.slice(0, eq)}=REDACTED`;
    });
  return `${url.slice(0, q)}?${pieces.join('&')}`;
}
