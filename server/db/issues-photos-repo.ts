import type { Queryable } from '../postgres/pool.ts';
import { firstRow } from './one-row.ts';
import type { IssuePhoto } from '../../shared/api/events.ts';

export type { IssuePhoto };

export interface NewPhoto {
  kind: 'report' | 'after';
  path: string;
  thumbnailPath: string;
  mediaType: string;
  width: number;
  height: number;
  bytes: number;
  uploadedBy: number | null;
  idempotencyKey: string | null;
}

const PHOTO_COLUMNS = `id, kind, media_type as "mediaType", width, height, bytes, created_at as "createdAt"`;

/** The row with its time as the API writes it (pg reads a timestamptz as a Date). */
const withIsoTime = (row: IssuePhoto): IssuePhoto => ({ ...row, createdAt: new Date(row.createdAt).toISOString() });

/** Inserts a photo row; undefined when a photo with the same idempotency key was stored meanwhile. */
export async function insertPhoto(db: Queryable, countyCode: string, issueId: number, p: NewPhoto) {
  const row = await firstRow<IssuePhoto>(
    db,
    `insert into issue_photos (county_code, issue_id, kind, path, thumbnail_path, media_type, width, height, bytes, uploaded_by, idempotency_key)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     on conflict do nothing
     returning ${PHOTO_COLUMNS}`,
    [
      countyCode,
      issueId,
      p.kind,
      p.path,
      p.thumbnailPath,
      p.mediaType,
      p.width,
      p.height,
      p.bytes,
      p.uploadedBy,
      p.idempotencyKey,
    ],
  );
  return row && withIsoTime(row);
}

/** The photo an earlier upload of this issue stored under the key (a retry). */
export async function findPhotoByKey(db: Queryable, countyCode: string, issueId: number, key: string) {
  const row = await firstRow<IssuePhoto>(
    db,
    `select ${PHOTO_COLUMNS} from issue_photos where county_code = $1 and issue_id = $2 and idempotency_key = $3`,
    [countyCode, issueId, key],
  );
  return row && withIsoTime(row);
}

/** Where one photo of an issue is stored (paths relative to the uploads folder). */
export async function findPhotoFile(
  db: Queryable,
  countyCode: string,
  issueId: number,
  photoId: number,
): Promise<{ path: string; thumbnailPath: string; mediaType: string } | undefined> {
  const { rows } = await db.query<{ path: string; thumbnailPath: string; mediaType: string }>(
    `select path, thumbnail_path as "thumbnailPath", media_type as "mediaType" from issue_photos
     where county_code = $1 and issue_id = $2 and id = $3`,
    [countyCode, issueId, photoId],
  );
  return rows[0];
}

export async function listPhotos(db: Queryable, countyCode: string, issueId: number): Promise<IssuePhoto[]> {
  const { rows } = await db.query<IssuePhoto>(
    `select ${PHOTO_COLUMNS}
     from issue_photos where county_code = $1 and issue_id = $2 order by id`,
    [countyCode, issueId],
  );
  return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt).toISOString() }));
}

export async function countPhotos(db: Queryable, countyCode: string, issueId: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n from issue_photos where county_code = $1 and issue_id = $2`,
    [countyCode, issueId],
  );
  return rows[0].n;
}

/** Whether an after photo was uploaded since the issue was last dispatched (feedback needs one). */
export async function hasAfterPhotoSinceDispatch(db: Queryable, countyCode: string, issueId: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `select 1 from issue_photos p
     where p.county_code = $1 and p.issue_id = $2 and p.kind = 'after'
       and p.created_at >= coalesce((select max(e.at) from issue_events e where e.county_code = p.county_code
                                      and e.issue_id = p.issue_id and e.to_state = 'dispatched'), '-infinity')
     limit 1`,
    [countyCode, issueId],
  );
  return (rowCount ?? 0) > 0;
}
