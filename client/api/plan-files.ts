// The planner's files: export links, and import — a preview of an uploaded file, then apply, whose answer is a
// stream of progress lines (one JSON object per line) ending with the new draft's id.
import { ApiError, isRecord } from './http';

export type ExportFormat = 'geojson' | 'gpkg' | 'shp';

export function exportUrl(planId: number, format: ExportFormat, layer: 'units' | 'grids' = 'units'): string {
  return `/api/plans/${planId}/export?format=${format}${layer === 'grids' ? '&layer=grids' : ''}`;
}

export interface ImportOptions {
  unitField?: string | null;
  labelField?: string | null;
  householdsField?: string | null;
  repair?: boolean;
  gcj02?: boolean;
  name?: string;
}

export interface ImportPreview {
  format: string;
  layer: string;
  crs: string | null;
  features: number;
  fields: { name: string; types: string[] }[];
  sample: Record<string, unknown>[];
  mapping: { unitField: string | null; labelField: string | null; householdsField: string | null };
  problems: {
    missingFields: string[];
    typeErrors: { row: number; field: string; value: unknown; message: string }[];
    duplicates: string[];
    unknown: string[];
    invalid: { unitId: string; reason: string }[];
    misplaced: string[];
    households: { unitId: string; file: number; database: number }[];
    unnamed: number;
  };
}

export interface ImportProgress {
  stage: 'checked' | 'writing' | 'done' | 'failed';
  done?: number;
  total?: number;
  planId?: number;
  error?: { message: string };
}

function form(file: File, options: ImportOptions): FormData {
  const data = new FormData();
  data.append('file', file, file.name);
  for (const [key, value] of Object.entries(options))
    if (value !== undefined && value !== null && value !== '') data.append(key, String(value));
  return data;
}

async function post(url: string, file: File, options: ImportOptions): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', body: form(file, options), headers: { Accept: 'application/json' } });
  } catch (error) {
    throw new ApiError('unreachable', url, `POST ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (response.ok) return response;
  const body = (await response.json().catch(() => null)) as unknown;
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const message = typeof error.message === 'string' ? error.message : response.statusText;
  throw new ApiError(
    'http',
    url,
    message,
    response.status,
    typeof error.code === 'string' ? error.code : undefined,
    error.details,
  );
}

export async function previewImport(file: File, options: ImportOptions): Promise<ImportPreview> {
  const url = '/api/plan-files/preview';
  const body = (await (await post(url, file, options)).json()) as unknown;
  if (!isRecord(body) || !Array.isArray(body.fields) || !isRecord(body.problems))
    throw new ApiError('invalid', url, 'not an import preview');
  return body as unknown as ImportPreview;
}

/** Applies the import, calling `onProgress` for each line; resolves with the new draft's id. */
export async function applyImport(
  file: File,
  options: ImportOptions,
  onProgress: (p: ImportProgress) => void,
): Promise<number> {
  const url = '/api/plan-files/apply';
  const response = await post(url, file, options);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let last: ImportProgress | null = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buffer += value;
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines.filter(Boolean)) {
      last = JSON.parse(line) as ImportProgress;
      onProgress(last);
    }
    if (done) break;
  }
  if (last?.stage === 'done' && typeof last.planId === 'number') return last.planId;
  throw new ApiError('http', url, last?.error?.message ?? 'the import did not finish');
}
