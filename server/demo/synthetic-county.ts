import type { Config } from '../config.ts';
import type { Queryable } from '../postgres/pool.ts';
import { queryCounty } from '../db/counties-repo.ts';

/**
 * Synthetic history (issues, community service, workforce) is generated only outside production and only for a
 * county whose manifest says its data is synthetic: a real county's screens never show made-up records.
 */
export async function demoHistoryAllowed(db: Queryable, config: Config): Promise<boolean> {
  if (config.auth.production) return false;
  return (await queryCounty(db, config.countyCode))?.synthetic === true;
}
