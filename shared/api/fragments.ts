// Pieces the API schemas share: the paging of a list's query, and a thing named in Chinese and English.
import { z } from 'zod';

/** `limit` and `offset` of a paged list's query: at most `max` rows a page, `byDefault` when not given. */
export const pageQuery = (max: number, byDefault: number) => ({
  limit: z.coerce.number().int().min(1).max(max).default(byDefault),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** A place, unit or category: its id, its Chinese name and its English one when it has one. */
export const NamedThing = z.object({ id: z.string(), name: z.string(), nameEn: z.string().nullable() });
export type NamedThing = z.infer<typeof NamedThing>;
