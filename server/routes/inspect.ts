// The leaders' inspection map (/inspect): area cards, place search and station coverage, as JSON.
import { queryDataVersion } from '../db/tiles-repo.ts';
import { limitedPool } from '../postgres/limited-pool.ts';
import { Router } from 'express';
import { HttpError, noQuery, validate } from '../http-error.ts';
import type { Pool } from '../postgres/pool.ts';
import { areaExists, queryAreaCard, type AreaCard, type AreaLevel } from '../db/inspect-repo.ts';
import { PlaceSearch } from '../db/inspect-search-repo.ts';
import { queryCoverage } from '../db/inspect-coverage-repo.ts';
import { buildingPlace, queryAreaIssues } from '../db/inspect-issues-repo.ts';
import type { Auth } from '../auth/gate.ts';
import { isInsideArea } from '../auth/area.ts';
import type { Principal, Role } from '../../shared/roles.ts';
import { queryAreaMetrics } from '../db/inspect-metrics-repo.ts';
import {
  AreaId,
  AreaIssuesQuery,
  CoverageQuery,
  MetricsQuery,
  SearchQuery,
  SubCountyLevel,
} from '../../shared/api/inspect.ts';

/**
 * Who may read the issue figures of a single building: the accounts that read the issues of their area
 * (GET /api/issues), inside that area. Reporters and member units read only their own or assigned cases;
 * walls and anonymous callers see report positions no finer than the compound (docs/domain.md), and a
 * building's per-day figures would place a report on its building.
 */
const BUILDING_ISSUE_READERS: readonly Role[] = ['admin', 'leader', 'dispatcher', 'grid_worker'];

function mayReadBuildingIssues(
  principal: Principal,
  place: { streetId: string; communityId: string; gridId: string },
): boolean {
  return principal.kind === 'user' && BUILDING_ISSUE_READERS.includes(principal.role) && isInsideArea(principal, place);
}

export function inspectRoutes(pool: Pool, countyCode: string, auth: Pick<Auth, 'principalOf'>): Router {
  const router = Router();
  const places = new PlaceSearch(pool, countyCode);

  // The county's card is the same for every caller, sums the whole county and holds registers only (no issue
  // figures), which change with the data version: kept per version, made once (on at most two of the pool's
  // connections) however many ask at once.
  let countyCached: { version: number; card: Promise<AreaCard | undefined> } | undefined;
  async function countyCard(): Promise<AreaCard | undefined> {
    const version = await queryDataVersion(pool, countyCode);
    if (countyCached?.version !== version) {
      const card = queryAreaCard(limitedPool(pool, 2), countyCode, 'county', countyCode);
      countyCached = { version, card };
      card.catch(() => {
        if (countyCached?.card === card) countyCached = undefined;
      });
    }
    return countyCached.card;
  }

  async function sendCard(level: AreaLevel, id: string, res: import('express').Response): Promise<void> {
    const card =
      level === 'county' && id === countyCode ? await countyCard() : await queryAreaCard(pool, countyCode, level, id);
    if (!card) throw new HttpError(404, `no ${level} "${id}"`);
    res.json(card);
  }

  router.get('/api/areas/county', noQuery, async (_req, res) => {
    await sendCard('county', countyCode, res);
  });

  // Before /api/areas/:level/:id, which would take "county" for a level.
  router.get('/api/areas/county/issues', async (req, res) => {
    const { days } = validate(AreaIssuesQuery, req.query, 'query');
    res.json(await queryAreaIssues(pool, countyCode, 'county', countyCode, days));
  });

  router.get('/api/areas/:level/:id', noQuery, async (req, res) => {
    const level = SubCountyLevel.safeParse(req.params.level);
    if (!level.success)
      throw new HttpError(
        404,
        `no area level "${req.params.level}"; levels: county, ${SubCountyLevel.options.join(', ')}`,
      );
    await sendCard(level.data, validate(AreaId, req.params.id, 'params'), res);
  });

  // Issue figures of an area (counts only, open like the card); the card's own query stays unchanged.
  router.get('/api/areas/:level/:id/issues', async (req, res) => {
    const level = SubCountyLevel.safeParse(req.params.level);
    if (!level.success)
      throw new HttpError(
        404,
        `no area level "${req.params.level}"; levels: county, ${SubCountyLevel.options.join(', ')}`,
      );
    const id = validate(AreaId, req.params.id, 'params');
    const { days } = validate(AreaIssuesQuery, req.query, 'query');
    if (level.data === 'building') {
      const place = await buildingPlace(pool, countyCode, id);
      if (!place) throw new HttpError(404, `no building "${id}"`);
      if (!mayReadBuildingIssues(await auth.principalOf(req), place)) {
        throw new HttpError(
          403,
          "issue figures of a single building are for accounts that read the issues of its area; see its compound's figures",
        );
      }
      // Figures differ per caller: no shared cache may keep them.
      res.set('Cache-Control', 'private, no-store');
    } else if (!(await areaExists(pool, countyCode, level.data, id)))
      throw new HttpError(404, `no ${level.data} "${id}"`);
    res.json(await queryAreaIssues(pool, countyCode, level.data, id, days));
  });

  // The choropleth, rankings and comparison: every grid's (or community's) metrics and their class breaks.
  router.get('/api/inspect/metrics', async (req, res) => {
    const { level, days, distance } = validate(MetricsQuery, req.query, 'query');
    res.json(await queryAreaMetrics(pool, countyCode, level, days, distance));
  });

  router.get('/api/search', async (req, res) => {
    const { q, limit } = validate(SearchQuery, req.query, 'query');
    res.json({ q, results: await places.search(q, limit) });
  });

  router.get('/api/coverage', async (req, res) => {
    const { distance } = validate(CoverageQuery, req.query, 'query');
    res.json(await queryCoverage(pool, countyCode, distance));
  });

  return router;
}
