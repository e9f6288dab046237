/**
 * The message of an API error body, whichever shape the server uses: `{ code, description }` or
 * `{ error: { code, message, details } }`.
 */
export function errorMessage(body: unknown): string {
  if (typeof body !== 'object' || body === null) return '';
  const b = body as { error?: { message?: unknown }; description?: unknown; message?: unknown };
  if (b.error && typeof b.error === 'object' && typeof b.error.message === 'string') return b.error.message;
  if (typeof b.description === 'string') return b.description;
  return typeof b.message === 'string' ? b.message : '';
}
