// County packages uploaded on the admin data page: written under a fresh private folder of DATA_DIR, checked as
// `npm run county -- check` checks a folder, kept for a bounded time (and a bounded number at once) so that a
// re-check with another mapping and the apply read the very files checked, and removed after the import, on an
// error or when they expire. The apply is `npm run county -- import` with its progress lines passed on.
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import type { CountyManifest } from '../../shared/county-manifest.ts';
import { IMPORT_STEPS, type ApplyLine, type CountyCheckAnswer } from '../../shared/api/county-data.ts';
import { countyRecords } from '../db/county-import-repo.ts';
import { inRolledBackTransaction } from '../postgres/pool.ts';
import { CountyHasRecords, importPackage } from './import.ts';
import type { PackageFile } from './upload-files.ts';
import { checkPackage } from './validate.ts';

/** How long an upload is kept for apply, and how many at once (the oldest goes first). */
export const UPLOAD_TTL_MS = 60 * 60 * 1000;
export const MAX_UPLOADS = 4;

interface Upload {
  id: string;
  dir: string;
  files: PackageFile['name'][];
  manifest: CountyManifest;
  expires: number;
  timer: NodeJS.Timeout;
  /** The last check found something blocking: no apply until a check passes. */
  blocking: boolean;
}

export class UploadGone extends Error {
  constructor() {
    super('no such upload: it was applied, replaced by newer uploads or expired; upload the files again');
  }
}
export class UploadBlocked extends Error {
  constructor() {
    super('the package has blocking problems: correct them and check again before applying');
  }
}

export class CountyUploads {
  private readonly uploads = new Map<string, Upload>();

  private swept = false;

  /** `root`: the uploads' folder in DATA_DIR. */
  constructor(private readonly root: string) {}

  /** Folders a previous process left, once they are older than an upload is kept. */
  private async sweep(): Promise<void> {
    this.swept = true;
    for (const name of await readdir(this.root)) {
      const dir = path.join(this.root, name);
      if (Date.now() - (await stat(dir)).mtimeMs > UPLOAD_TTL_MS) await rm(dir, { recursive: true, force: true });
    }
  }

  /** Writes the files and the manifest into a new private folder; the oldest upload goes when too many are kept. */
  async create(manifest: CountyManifest, files: PackageFile[]): Promise<Upload> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    if (!this.swept) await this.sweep();
    const dir = await mkdtemp(path.join(this.root, 'upload-'));
    try {
      for (const f of files) await writeFile(path.join(dir, f.name), f.bytes, { flag: 'wx', mode: 0o600 });
      await writeFile(path.join(dir, 'county.json'), JSON.stringify(manifest), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    while (this.uploads.size >= MAX_UPLOADS) await this.remove(this.uploads.keys().next().value!);
    const id = randomUUID();
    const timer = setTimeout(() => void this.remove(id), UPLOAD_TTL_MS).unref();
    const upload: Upload = {
      id,
      dir,
      files: files.map((f) => f.name),
      manifest,
      expires: Date.now() + UPLOAD_TTL_MS,
      timer,
      blocking: true,
    };
    this.uploads.set(id, upload);
    return upload;
  }

  get(id: string): Upload {
    const upload = this.uploads.get(id);
    if (!upload) throw new UploadGone();
    return upload;
  }

  /** A new manifest for the files kept (another mapping): written over the old. */
  async remanifest(upload: Upload, manifest: CountyManifest): Promise<void> {
    await writeFile(path.join(upload.dir, 'county.json'), JSON.stringify(manifest), { mode: 0o600 });
    upload.manifest = manifest;
  }

  async remove(id: string): Promise<void> {
    const upload = this.uploads.get(id);
    if (!upload) return;
    this.uploads.delete(id);
    clearTimeout(upload.timer);
    await rm(upload.dir, { recursive: true, force: true });
  }

  /** Checks the upload's folder; on a failure the upload is removed. */
  async check(pool: pg.Pool, upload: Upload): Promise<CountyCheckAnswer> {
    try {
      const report = await checkPackage(pool, upload.dir);
      upload.blocking = report.blocking;
      return {
        uploadId: upload.id,
        expiresAt: new Date(upload.expires).toISOString(),
        manifest: upload.manifest,
        report,
      };
    } catch (error) {
      await this.remove(upload.id);
      throw error;
    }
  }

  /** Refuses before anything is written: a blocking check, or a county whose records an import would strand. */
  async readyToApply(pool: pg.Pool, upload: Upload): Promise<void> {
    if (upload.blocking) throw new UploadBlocked();
    const code = upload.manifest.code;
    const records = await inRolledBackTransaction(pool, (client) => countyRecords(client, code));
    if (Object.keys(records).length) throw new CountyHasRecords(code, records);
  }

  /** Imports the upload in one transaction, a line per step; the upload is removed afterwards, whatever happens. */
  async apply(pool: pg.Pool, upload: Upload, actor: string, line: (l: ApplyLine) => void): Promise<void> {
    let done = 0;
    const progress = (text: string) => {
      const step = /^\s*([a-z ]+):/.exec(text)?.[1];
      const at = IMPORT_STEPS.indexOf(step as (typeof IMPORT_STEPS)[number]);
      if (at < 0) return;
      done = Math.max(done, at + 1);
      line({ stage: 'progress', step: step!, done, total: IMPORT_STEPS.length });
    };
    try {
      const { report, imported } = await importPackage(pool, upload.dir, { actor, progress });
      if (imported) {
        const { code, name, rows, seconds } = imported;
        line({ stage: 'done', summary: { code, name, rows, seconds } });
      } else line({ stage: 'blocked', report });
    } catch (error) {
      const status = error instanceof CountyHasRecords ? 409 : 500;
      line({ stage: 'failed', status, message: error instanceof Error ? error.message : String(error) });
    } finally {
      await this.remove(upload.id);
    }
  }
}
