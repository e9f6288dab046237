/**
 * Search of places by name, code or the pinyin initials of the name (振兴社区 → zxsq). The few hundred
 * searchable names are read once per data version; their initials are computed with pinyin-pro then.
 */
import { pinyin } from 'pinyin-pro';
import type { Pool } from '../postgres/pool.ts';
import { queryDataVersion } from './tiles-repo.ts';
import type { SearchHit, SearchKind } from '../../shared/api/inspect.ts';

export type { SearchHit, SearchKind };

interface Entry extends Omit<SearchHit, 'matched'> {
  initials: string;
}

const PLACES_SQL = `
  select 'community' as kind, c.id, c.code, c.name, c.name_en, s.name as context, null as grid_id
    from communities c left join streets s on s.county_code = c.county_code and s.id = c.street_id where c.county_code = $1
  union all
  select 'grid', g.id, g.code, g.name, g.name_en, c.name, g.id
    from grids g left join communities c on c.county_code = g.county_code and c.id = g.community_id where g.county_code = $1
  union all
  select 'compound', q.id, q.id, q.name, q.name_en, c.name, q.grid_id
    from compounds q left join communities c on c.county_code = q.county_code and c.id = q.community_id where q.county_code = $1
  union all
  select 'station', t.id, t.id, t.name, t.name_en, g.name, t.grid_id
    from stations t left join grids g on g.county_code = t.county_code and g.id = t.grid_id where t.county_code = $1`;

const KIND_ORDER: SearchKind[] = ['community', 'grid', 'compound', 'station'];

/** Lower-case first letters of the pinyin of each character; letters and digits in the name are kept. */
export function pinyinInitials(name: string): string {
  return pinyin(name, { pattern: 'first', toneType: 'none', type: 'array' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

export class PlaceSearch {
  private cached: { version: number; entries: Entry[] } | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly countyCode: string,
  ) {}

  private async entries(): Promise<Entry[]> {
    const version = await queryDataVersion(this.pool, this.countyCode);
    if (this.cached?.version === version) return this.cached.entries;
    const { rows } = await this.pool.query(PLACES_SQL, [this.countyCode]);
    const entries: Entry[] = rows.map((r) => ({
      kind: r.kind,
      id: r.id,
      code: r.code,
      name: r.name,
      nameEn: r.name_en,
      context: r.context,
      gridId: r.grid_id,
      initials: pinyinInitials(r.name),
    }));
    this.cached = { version, entries };
    return entries;
  }

  /** Places matching `q`, best first: exact, then prefix, then substring; communities before grids etc. */
  async search(q: string, limit: number): Promise<SearchHit[]> {
    const needle = q.trim().toLowerCase();
    const letters = needle.replace(/\s+/g, '');
    const scored: { hit: SearchHit; score: number }[] = [];
    for (const e of await this.entries()) {
      const name = e.name.toLowerCase();
      const nameEn = (e.nameEn ?? '').toLowerCase();
      let matched: SearchHit['matched'] | undefined;
      let rank = 9;
      const rate = (text: string, kind: SearchHit['matched']) => {
        const at = text.indexOf(kind === 'initials' ? letters : needle);
        if (at < 0 || (kind === 'initials' && letters.length < 2)) return;
        const r = text.length === (kind === 'initials' ? letters : needle).length ? 0 : at === 0 ? 1 : 2;
        if (r < rank) [rank, matched] = [r, kind];
      };
      rate(name, 'name');
      rate(nameEn, 'name');
      // Codes start with the county code (640323-C01-02): a query for a digit must not match every code.
      rate(e.code.toLowerCase().replace(/^\d{6}-/, ''), 'code');
      if (needle.length >= 6) rate(e.code.toLowerCase(), 'code');
      rate(e.id.toLowerCase(), 'code');
      if (/^[a-z0-9]+$/.test(letters)) rate(e.initials, 'initials');
      if (!matched) continue;
      const { initials: _initials, ...rest } = e;
      scored.push({ hit: { ...rest, matched }, score: rank * 10 + KIND_ORDER.indexOf(e.kind) });
    }
    scored.sort((a, b) => a.score - b.score || a.hit.id.localeCompare(b.hit.id));
    return scored.slice(0, limit).map((s) => s.hit);
  }
}
