/** Most read replicas one server spreads its reads over. */
const MAX_REPLICAS = 16;
const SCHEME = /^postgres(ql)?:\/\//;

/**
 * DATABASE_REPLICA_URLS: comma-separated libpq URIs of streaming standbys of DATABASE_URL's database (or of the
 * private cluster); unset or empty: none. Each is checked for its shape only: whether it answers is the replica
 * pool's concern, at run time.
 */
export function parseReplicaUrls(value: string | undefined): string[] {
  const v = (value ?? '').trim();
  if (v === '') return [];
  if (v.length > 16_384) throw new Error('DATABASE_REPLICA_URLS is too long (16384 characters at most)');
  const urls = v.split(',').map((u) => u.trim());
  if (urls.length > MAX_REPLICAS)
    throw new Error(`DATABASE_REPLICA_URLS names ${urls.length} replicas; at most ${MAX_REPLICAS}`);
  urls.forEach((url, i) => {
    // eslint-disable-next-line no-control-regex
    if (!SCHEME.test(url) || /[\s\x00-\x1f]/.test(url))
      throw new Error(
        `DATABASE_REPLICA_URLS entry ${i + 1} must be a postgresql:// URI (comma-separated, no spaces), got "${redactDatabaseUrl(url)}"`,
      );
  });
  return urls;
}

/** A database URI as it may be written to a log: no user name or password, in its authority or its query. */
export function redactDatabaseUrl(url: string): string {
  const [head, query] = splitOnce(url, '?');
  const at = head.lastIndexOf('@');
  const scheme = head.indexOf('://');
  const bare = scheme >= 0 && at > scheme ? `${head.slice(0, scheme + 3)}${head.slice(at + 1)}` : head;
  if (query === undefined) return bare;
  const kept = query.split('&').filter((p) => !/^(password|user)=/i.test(p));
  return kept.length ? `${bare}?${kept.join('&')}` : bare;
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}
