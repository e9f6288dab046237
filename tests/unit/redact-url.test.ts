import { describe, expect, it, vi } from 'vitest';
import { redactUrl } from '../../server/redact-url.ts';

describe('redactUrl (request URLs in the log)', () => {
  it('replaces the value of api_key and token, whatever the case or encoding, and keeps the rest as sent', () => {
    expect(redactUrl('/open311/v2/requests.json?api_key=s3cr3t&jurisdiction_id=640323')).toBe(
      '/open311/v2/requests.json?api_key=REDACTED&jurisdiction_id=640323',
    );
    expect(redactUrl('/x?a=1&API_KEY=s3cr3t&b=%20two')).toBe('/x?a=1&API_KEY=REDACTED&b=%20two');
    expect(redactUrl('/x?api%5Fkey=s3cr3t')).toBe('/x?api%5Fkey=REDACTED');
    expect(redactUrl('/x?api_key=a&api_key=b')).toBe('/x?api_key=REDACTED&api_key=REDACTED');
    expect(redactUrl('/x?api_key')).toBe('/x?api_key=REDACTED');
    expect(redactUrl('/wall?token=abc&community=C01')).toBe('/wall?token=REDACTED&community=C01');
  });

  it('leaves URLs without a secret alone', () => {
    for (const url of [
      '/api/issues',
      '/api/issues?limit=5&state=filed',
      '/x?',
      '/x?&&=',
      '/x?my_api_key=1',
      '/x?a=api_key',
    ])
      expect(redactUrl(url)).toBe(url);
  });

  it('reads a long hostile query once, piece by piece (no pattern that could backtrack)', () => {
    const pieces = 20_000;
    const hostile = `/x?${'a=%&'.repeat(pieces)}api_key=${'k'.repeat(50_000)}`;
    const parsed = vi.spyOn(URLSearchParams.prototype, 'keys');
    try {
      expect(redactUrl(hostile)).toBe(`/x?${'a=%&'.repeat(pieces)}api_key=REDACTED`);
      // One parse per piece of the query: the work grows with its length, never with its square.
      expect(parsed).toHaveBeenCalledTimes(pieces + 1);
    } finally {
      parsed.mockRestore();
    }
  });
});
