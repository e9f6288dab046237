// The county whose data the server holds (GET /api/county): its name, its grid bounds and whether the data is
// made up — the planner's bounds and the demo badge come from here, never from a constant.
import { z } from 'zod';
import { GridBounds } from '../county-manifest.ts';

export const CountyAnswer = z.object({
  code: z.string(),
  name: z.string(),
  name_en: z.string().nullable(),
  bounds: GridBounds,
  /** True only when the loaded data set's manifest says so: only then is the demo badge shown. */
  synthetic: z.boolean(),
});
export type CountyAnswer = z.infer<typeof CountyAnswer>;
