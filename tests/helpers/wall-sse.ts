/** A small Server-Sent Events reader over fetch, for the tests of GET /api/stream. */

export interface SseMessage {
  id?: string;
  event: string;
  data: string;
  /** Comment lines (without the leading colon) that came with this block. */
  comments: string[];
  retry?: number;
  receivedAt: number;
}

export interface SseConnection {
  status: number;
  headers: Headers;
  /** Every block received so far (events and comment-only blocks alike, event '' for the latter). */
  messages: SseMessage[];
  /** Waits for the first block after `from` (index) that matches. */
  next(match: (m: SseMessage) => boolean, ms?: number, from?: number): Promise<SseMessage>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const messages: SseMessage[] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  const parseBlock = (block: string) => {
    const m: SseMessage = { event: '', data: '', comments: [], receivedAt: Date.now() };
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) m.comments.push(line.slice(1).trim());
      else {
        const i = line.indexOf(':');
        const field = i < 0 ? line : line.slice(0, i);
        const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
        if (field === 'event') m.event = value;
        else if (field === 'data') data.push(value);
        else if (field === 'id') m.id = value;
        else if (field === 'retry') m.retry = Number(value);
      }
    }
    if (data.length && !m.event) m.event = 'message';
    m.data = data.join('\n');
    messages.push(m);
    for (const w of waiters) w();
  };
  const ended = (async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    try {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          parseBlock(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    status: res.status,
    headers: res.headers,
    messages,
    ended,
    close: () => abort.abort(),
    next(match, ms = 2000, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.slice(from).find(match);
          if (found) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no matching SSE message within ${ms} ms; got ${JSON.stringify(messages.map((m) => [m.event, m.id, m.comments]))}`,
            ),
          );
        }, ms);
        waiters.add(check);
        check();
      });
    },
  };
}
