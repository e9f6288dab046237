/**
 * Every write endpoint (and the tile address), as data for the fuzzing test (tests/integration/fuzz-writes.test.ts):
 * its path parameters, and for endpoints with a JSON body a valid body and what each field accepts. The fuzzer
 * breaks exactly one thing at a time, so every case must be refused with a 4xx and write nothing.
 * A new endpoint is one entry here.
 */

/** What a body field accepts; the fuzzer sends values outside it. */
export type Field =
  /** Free text: any string is fine, so only other types (and sizes past the body limit) are wrong. */
  | { kind: 'text' }
  /** A code, id or enum value (letters, digits, "_", "-"): hostile strings are wrong too; null when nullable. */
  | { kind: 'code'; nullable?: boolean }
  | { kind: 'number'; min: number; max: number; int?: boolean }
  | { kind: 'boolean' }
  /** An object of code → code. */
  | { kind: 'record' }
  /** A GeoJSON polygon: self-intersecting, unclosed and out-of-range rings are wrong. */
  | { kind: 'polygon' };

/**
 * Values of the test database an entry refers to (an existing issue, plan, category, a point in the county, a live
 * Open311 api key of a reporter account).
 */
export interface FuzzContext {
  issueId: number;
  planId: number;
  categoryId: string;
  lon: number;
  lat: number;
  apiKey: string;
}

export interface WriteEndpoint {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'GET';
  /** With `:name` parameters. */
  path: string;
  /** Each path parameter and the existing value a body case uses (a DELETE never gets one: it would delete). */
  params?: Record<string, (c: FuzzContext) => string | number>;
  /** A valid JSON body and its fields; absent: the fuzzer only sends hostile path parameters (and bodies anyway). */
  body?: { valid: (c: FuzzContext) => Record<string, unknown>; fields: Record<string, Field> };
  /** An absent or empty body is valid (e.g. logout): never send a case that would parse as one. */
  emptyBodyValid?: boolean;
  /** multipart/form-data upload: broken multipart, wrong files, oversized files. */
  multipart?: boolean;
  /** The body may also come form-encoded (application/x-www-form-urlencoded): form cases too (tests/fuzz/form-cases.ts). */
  form?: boolean;
  /** Errors come in Open311's format, `[{code, description}]`, instead of `{error: {code, message, details}}`. */
  errors?: 'open311';
}

const code: Field = { kind: 'code' };
const longitude: Field = { kind: 'number', min: -180, max: 180 };
const latitude: Field = { kind: 'number', min: -90, max: 90 };
const text: Field = { kind: 'text' };
const id = (c: FuzzContext) => c.issueId;

export const WRITE_ENDPOINTS: WriteEndpoint[] = [
  {
    method: 'POST',
    path: '/api/auth/login',
    body: { valid: () => ({ username: 'fuzz', password: 'fuzz' }), fields: { username: text, password: text } },
  },
  { method: 'POST', path: '/api/auth/logout', emptyBodyValid: true },
  {
    method: 'POST',
    path: '/api/admin/display-tokens',
    body: { valid: () => ({ screen: '大屏' }), fields: { screen: text } },
  },
  { method: 'DELETE', path: '/api/admin/display-tokens/:id', params: { id: () => 1 } },
  // Open311 api keys: the valid body names no user, so even it is refused (404) and nothing is written.
  {
    method: 'POST',
    path: '/api/admin/api-keys',
    body: {
      valid: () => ({ user_id: 999_999_999, name: '311 应用' }),
      fields: { user_id: { kind: 'number', min: 1, max: Number.MAX_SAFE_INTEGER, int: true }, name: text },
    },
  },
  { method: 'DELETE', path: '/api/admin/api-keys/:id', params: { id: () => 999_999_999 } },
  {
    method: 'PUT',
    path: '/api/admin/categories/:id',
    params: { id: (c) => c.categoryId },
    body: {
      valid: () => ({ time_limit_hours: 24 }),
      fields: { time_limit_hours: { kind: 'number', min: 0.001, max: 2000 } },
    },
  },
  {
    method: 'POST',
    path: '/api/issues',
    body: {
      valid: (c) => ({ category: c.categoryId, description: '楼道堆物', lon: c.lon, lat: c.lat }),
      fields: {
        category: code,
        description: text,
        lon: longitude,
        lat: latitude,
        source: code,
        idempotency_key: code,
        join: { kind: 'boolean' },
        duplicate_of: { kind: 'number', min: 1, max: Number.MAX_SAFE_INTEGER, int: true },
      },
    },
  },
  {
    method: 'POST',
    path: '/api/issues/:id/transitions',
    params: { id },
    body: {
      valid: () => ({ to: 'accepted' }),
      fields: {
        to: code,
        reason: text,
        note: text,
        result: code,
        severity: { kind: 'number', min: 1, max: 3, int: true },
        duplicate_of: { kind: 'number', min: 1, max: Number.MAX_SAFE_INTEGER, int: true },
      },
    },
  },
  {
    method: 'POST',
    path: '/api/issues/:id/rating',
    params: { id },
    body: { valid: () => ({ rating: 'satisfied' }), fields: { rating: code, comment: text } },
  },
  { method: 'POST', path: '/api/issues/:id/photos', params: { id }, multipart: true },
  { method: 'POST', path: '/api/plans', body: { valid: () => ({ name: '方案' }), fields: { name: text } } },
  {
    method: 'PUT',
    path: '/api/plans/:id/assignments',
    params: { id: (c) => c.planId },
    body: { valid: () => ({ assignments: { fuzz: 'G001' } }), fields: { assignments: { kind: 'record' } } },
  },
  { method: 'DELETE', path: '/api/plans/:id', params: { id: (c) => c.planId } },
  // The community workforce: a full-time worker of the demo data (P00054) and a cell of the allowance table.
  {
    method: 'PATCH',
    path: '/api/workforce/staff/:personId',
    params: { personId: () => 'P00054' },
    body: {
      valid: () => ({ level: 5 }),
      fields: { post: code, rank_class: code, level: { kind: 'number', min: 1, max: 18, int: true } },
    },
  },
  {
    method: 'PUT',
    path: '/api/workforce/staff/:personId/mentor',
    params: { personId: () => 'P00054' },
    body: { valid: () => ({ mentor_id: null }), fields: { mentor_id: { kind: 'code', nullable: true } } },
  },
  {
    method: 'PUT',
    path: '/api/workforce/allowances/:rankClass/:level',
    params: { rankClass: () => 'member', level: () => 5 },
    body: {
      valid: () => ({ monthly_yuan: 5100 }),
      fields: { monthly_yuan: { kind: 'number', min: 0, max: 100000, int: true } },
    },
  },
  // Open311 GeoReport v2 POST: form-encoded as the spec posts it, or JSON; the api_key (of a reporter account) in the
  // body, so that the admin's cookie the fuzzer sends is not what lets a case through.
  {
    method: 'POST',
    path: '/open311/v2/requests.json',
    form: true,
    errors: 'open311',
    body: {
      valid: (c) => ({
        api_key: c.apiKey,
        service_code: c.categoryId,
        lat: c.lat,
        long: c.lon,
        description: '路灯不亮',
      }),
      fields: {
        api_key: code,
        service_code: code,
        lat: latitude,
        long: longitude,
        jurisdiction_id: code,
        description: text,
        // Only an http(s) address is accepted, and no hostile string is one.
        media_url: code,
        first_name: text,
        last_name: text,
        phone: text,
        email: text,
        device_id: text,
        account_id: text,
        address_string: text,
        address_id: text,
      },
    },
  },
  // Not a write, but the busiest address of all: absurd tile coordinates.
  {
    method: 'GET',
    path: '/tiles/:layer/:z/:x/:y.mvt',
    params: { layer: () => 'grids', z: () => 14, x: () => 13323, y: () => 6261 },
  },
];
