// The people serving an area on the inspection card (community leader, grid heads, grid workers): names and
// phones masked (张*, 138****1234) unless the caller's role needs them in full — admins, and dispatchers
// inside their own area — and then every person shown unmasked is written to the audit log.
import { Router } from 'express';
import type { Pool } from '../postgres/pool.ts';
import type { Auth } from '../auth/gate.ts';
import { auditUnmaskedViews } from '../auth/audit.ts';
import { contactFor } from '../auth/masking.ts';
import { COUNTY_WIDE } from '../../shared/roles.ts';
import { HttpError, noQuery, validate } from '../http-error.ts';
import { queryServingPeople, type ShownPerson } from '../db/inspect-people-repo.ts';
import { PeopleParams } from '../../shared/api/inspect.ts';

export function inspectPeopleRoutes(pool: Pool, countyCode: string, auth: Auth): Router {
  const router = Router();

  router.get(
    '/api/areas/:level/:id/people',
    auth.requirePermission('people:read-masked'),
    noQuery,
    async (req, res) => {
      const { level, id } = validate(PeopleParams, req.params, 'params');
      const principal = await auth.principalOf(req);
      const scope = principal.kind === 'user' ? principal.scope : COUNTY_WIDE;
      const people = await queryServingPeople(pool, countyCode, level, id, scope);
      if (!people) throw new HttpError(404, `no ${level} "${id}"`);
      const shown = people.map((p): ShownPerson => {
        // A dispatcher sees in full only the people of their own area; outside it, like everyone else.
        const contact = p.inScope
          ? contactFor(principal, p)
          : { ...contactFor({ kind: 'anonymous' }, p), masked: true };
        return {
          id: p.id,
          role: p.role,
          gridId: p.gridId,
          name: contact.name,
          phone: contact.phone,
          masked: contact.masked,
        };
      });
      const unmasked = shown.filter((p) => !p.masked).map((p) => p.id);
      await auditUnmaskedViews(pool, countyCode, principal, unmasked, ['name', 'phone'], req.ip);
      res.set('Cache-Control', 'no-store').json({ level, id, masked: unmasked.length === 0, people: shown });
    },
  );

  return router;
}
