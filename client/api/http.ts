// The one place that performs HTTP requests. Failures become an ApiError whose `kind` tells the UI what
// happened: the server could not be reached, it answered with an error status, or the body was not usable.

export type ApiErrorKind = 'unreachable' | 'http' | 'invalid';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly kind: ApiErrorKind,
    readonly url: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** GET `url` and parse JSON; throws ApiError. The caller validates the shape. */
export async function getJson(url: string, signal?: AbortSignal): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json, application/geo+json' }, signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError('unreachable', url, `GET ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) {
    throw new ApiError('http', url, `GET ${url}: HTTP ${response.status} ${response.statusText}`, response.status);
  }
  try {
    return (await response.json()) as unknown;
  } catch (error) {
    throw new ApiError('invalid', url, `GET ${url}: response is not JSON (${String(error)})`, response.status);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
