// Pieces the API schemas share: the paging of a list's query and of its answer, a thing named in Chinese and
// English, and the head of a community-service item.
import { z } from 'zod';

/** `limit` and `offset` of a paged list's query: at most `max` rows a page, `byDefault` when not given. */
export const pageQuery = (max: number, byDefault: number) => ({
  limit: z.coerce.number().int().min(1).max(max).default(byDefault),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** A place, unit or category: its id, its Chinese name and its English one when it has one. */
export const NamedThing = z.object({ id: z.string(), name: z.string(), nameEn: z.string().nullable() });
export type NamedThing = z.infer<typeof NamedThing>;

/** The head of a community-service item (a micro-wish, an activity, a deliberation item): its id and its grid. */
export const GridItem = z.object({ id: z.number(), gridId: z.string(), communityId: z.string() });

/** A page of a list: how many rows match in all, and this page's rows under `key`. */
export function pageOf<K extends string, T extends z.ZodType>(key: K, item: T) {
  return z.object({ total: z.number(), ...({ [key]: z.array(item) } as { [P in K]: z.ZodArray<T> }) });
}
