// GET /api/health: for anyone, no file-system path in it. `stream`: this process's database listener.
import { z } from 'zod';

const stream = z.enum(['listening', 'reconnecting']).optional();

export const Health = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok'), db: z.literal('ok'), postgis: z.string(), stream }),
  z.object({ status: z.literal('error'), db: z.literal('down'), stream, reason: z.string() }),
]);
export type Health = z.infer<typeof Health>;
