// County packages on the admin data page: upload the files (by role, or the package as one zip) with the
// manifest form, check again with another mapping, and apply — its answer a stream of progress lines (NDJSON).
import { ApplyLine, CountyCheckAnswer, type ManifestForm } from '../../shared/api/county-data';
import { ApiError, isRecord, sendJson } from './http';

const BASE = '/api/admin/county-data';

/** A file and the multipart field it goes in: a role, "package" (a zip of the whole folder) or "county.json". */
export interface PackagePart {
  field: string;
  file: File;
}

async function errorOf(url: string, response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as unknown;
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const message = typeof error.message === 'string' ? error.message : response.statusText;
  const code = typeof error.code === 'string' ? error.code : undefined;
  return new ApiError('http', url, message, response.status, code, error.details);
}

async function post(url: string, body?: FormData): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', body, headers: { Accept: 'application/json' } });
  } catch (error) {
    throw new ApiError('unreachable', url, `POST ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) throw await errorOf(url, response);
  return response;
}

function answerOf(url: string, body: unknown): CountyCheckAnswer {
  const parsed = CountyCheckAnswer.safeParse(body);
  if (!parsed.success) throw new ApiError('invalid', url, 'not a county package report');
  return parsed.data;
}

/** Uploads the files and checks them: the report, and the upload's id for a re-check or the apply. */
export async function uploadPackage(parts: PackagePart[], manifest: ManifestForm | null): Promise<CountyCheckAnswer> {
  const form = new FormData();
  for (const p of parts) form.append(p.field, p.file, p.file.name);
  if (manifest) form.append('manifest', JSON.stringify(manifest));
  return answerOf(BASE, await (await post(BASE, form)).json());
}

/** Checks the kept files again with another manifest (a changed mapping). */
export async function recheckPackage(uploadId: string, manifest: ManifestForm): Promise<CountyCheckAnswer> {
  const url = `${BASE}/${encodeURIComponent(uploadId)}/check`;
  return answerOf(url, await sendJson('POST', url, manifest));
}

/** Applies the upload, calling `onLine` for each progress line; resolves with the last line. */
export async function applyPackage(uploadId: string, onLine: (line: ApplyLine) => void): Promise<ApplyLine> {
  const url = `${BASE}/${encodeURIComponent(uploadId)}/apply`;
  const reader = (await post(url)).body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let last: ApplyLine | null = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buffer += value;
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const text of lines.filter(Boolean)) {
      const parsed = ApplyLine.safeParse(JSON.parse(text));
      if (!parsed.success) throw new ApiError('invalid', url, 'not a progress line');
      last = parsed.data;
      onLine(last);
    }
    if (done) break;
  }
  if (!last) throw new ApiError('invalid', url, 'the import did not answer');
  return last;
}
