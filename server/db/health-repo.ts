import type { Pool } from '../postgres/pool.ts';

export async function queryHealth(pool: Pool): Promise<{ postgis: string }> {
  const { rows } = await pool.query<{ postgis: string }>('select postgis_lib_version() as postgis');
  return rows[0];
}
