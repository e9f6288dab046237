// The one place that performs HTTP requests. Failures become an ApiError whose `kind` tells the UI what
// happened: the server could not be reached, it answered with an error status, or the body was not usable.
import { JSON_ACCEPT, takeEarly } from './early-requests';

export type ApiErrorKind = 'unreachable' | 'http' | 'invalid';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly kind: ApiErrorKind,
    readonly url: string,
    message: string,
    readonly status?: number,
    /** The server's `error.code` and `error.details` of an error status, when it sent them. */
    readonly code?: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** GET `url` and parse JSON; throws ApiError. The caller validates the shape. */
export async function getJson(
  url: string,
  signal?: AbortSignal,
  options: Pick<SendOptions, 'ignoreUnauthorized'> = {},
): Promise<unknown> {
  let response: Response;
  try {
    response = await (takeEarly(url) ?? fetch(url, { headers: { Accept: JSON_ACCEPT }, signal }));
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError('unreachable', url, `GET ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) {
    if (response.status === 401 && !options.ignoreUnauthorized) unauthorizedHandler?.();
    throw new ApiError('http', url, `GET ${url}: HTTP ${response.status} ${response.statusText}`, response.status);
  }
  try {
    return (await response.json()) as unknown;
  } catch (error) {
    throw new ApiError('invalid', url, `GET ${url}: response is not JSON (${String(error)})`, response.status);
  }
}

/** Called when the server answers 401 (log in first); the router sends the user to /login. */
let unauthorizedHandler: (() => void) | null = null;

export function onUnauthorized(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

export interface SendOptions {
  /** Survives the page being closed (autosave on pagehide); bodies up to 64 kB. */
  keepalive?: boolean;
  /** A 401 is the caller's business (the login form itself): no redirect to /login. */
  ignoreUnauthorized?: boolean;
}

/**
 * POST / PUT / PATCH / DELETE with an optional JSON body; resolves with the parsed JSON answer (undefined for 204).
 * Throws ApiError; the message of an error status is the server's own `error.message` when there is one.
 */
export async function sendJson(
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  body?: unknown,
  options: SendOptions = {},
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers:
        body === undefined
          ? { Accept: 'application/json' }
          : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      keepalive: options.keepalive,
    });
  } catch (error) {
    throw new ApiError(
      'unreachable',
      url,
      `${method} ${url}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? (JSON.parse(text) as unknown) : undefined;
  } catch (error) {
    if (response.ok)
      throw new ApiError('invalid', url, `${method} ${url}: response is not JSON (${String(error)})`, response.status);
  }
  if (!response.ok) {
    if (response.status === 401 && !options.ignoreUnauthorized) unauthorizedHandler?.();
    const error = isRecord(parsed) && isRecord(parsed.error) ? parsed.error : {};
    const serverMessage = typeof error.message === 'string' ? error.message : response.statusText;
    const code = typeof error.code === 'string' ? error.code : undefined;
    throw new ApiError(
      'http',
      url,
      `${method} ${url}: HTTP ${response.status} ${serverMessage}`,
      response.status,
      code,
      error.details,
    );
  }
  return parsed;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
