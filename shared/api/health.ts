// GET /api/health: for anyone, no file-system path in it. `stream`: this process's database listener.
import { z } from 'zod';

const stream = z.enum(['listening', 'reconnecting']).optional();

/** The read replicas (DATABASE_REPLICA_URLS, --replicas N) by their place in the list: no address, no credential. */
export const ReplicasHealth = z.object({
  count: z.number().int().min(0).max(64),
  healthy: z.number().int().min(0).max(64),
  each: z
    .array(
      z.object({
        index: z.number().int().min(0).max(63),
        healthy: z.boolean(),
        /** Replay lag at the last check, whole ms up to a day; null when unknown (down, or nothing replayed yet). */
        lagMs: z.number().int().min(0).max(86_400_000).nullable(),
      }),
    )
    .max(64),
});
export type ReplicasHealth = z.infer<typeof ReplicasHealth>;

export const Health = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok'), db: z.literal('ok'), postgis: z.string(), stream, replicas: ReplicasHealth }),
  z.object({ status: z.literal('error'), db: z.literal('down'), stream, reason: z.string() }),
]);
export type Health = z.infer<typeof Health>;
