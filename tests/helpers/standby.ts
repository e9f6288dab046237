import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { inject } from 'vitest';
import { COUNTY } from './db.ts';
import {
  queryOne,
  startStandby as startStandbyIn,
  waitFor,
  type Standby as Running,
} from '../../server/postgres/standby.ts';

export { queryOne, waitFor };

/** A streaming standby of the test cluster, in a temp dir (the product's standby, made afresh). */
export interface Standby extends Running {
  /** Stops it and deletes its folder; may be called more than once. */
  remove(): Promise<void>;
}

const STANDBY_PORT = 5433;

/** pg_basebackup -R of the primary reachable with `primaryAdmin` (its superuser), started; resolves once streaming. */
export async function startStandby(primaryAdmin: pg.ClientConfig): Promise<Standby> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridlink-standby-'));
  try {
    const standby = await startStandbyIn(primaryAdmin, dir, STANDBY_PORT);
    const remove = async () => {
      await standby.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    };
    return { ...standby, remove };
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Resolves once the standby has replayed everything the primary had written when this was called. */
export async function caughtUp(primaryAdmin: pg.ClientConfig, standby: Running): Promise<void> {
  const { lsn } = await queryOne<{ lsn: string }>(primaryAdmin, 'select pg_current_wal_lsn()::text as lsn');
  await waitFor(
    async () =>
      (await queryOne<{ done: boolean }>(standby.admin, 'select pg_last_wal_replay_lsn() >= $1::pg_lsn as done', [lsn]))
        .done,
    `the standby replaying up to ${lsn}`,
  );
}

/** The z14 tile holding a compound's label point, and the compound. */
export async function compoundTile(): Promise<{ id: number; name: string; z: number; x: number; y: number }> {
  const c = await queryOne<{ id: number; name: string; mx: number; my: number }>(
    inject('db'),
    `select id, name, st_x(st_pointonsurface(geom_3857)) mx, st_y(st_pointonsurface(geom_3857)) my
     from compounds where county_code = $1 order by id limit 1`,
    [COUNTY],
  );
  const half = 20037508.342789244;
  const z = 14;
  const side = (2 * half) / 2 ** z;
  return { ...c, z, x: Math.floor((c.mx + half) / side), y: Math.floor((half - c.my) / side) };
}
