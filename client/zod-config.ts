// Zod compiles object parsers with `new Function` unless told not to; the page's CSP forbids eval,
// so the probe alone would report a violation. Imported first by main.ts, before any schema exists.
import { z } from 'zod';

z.config({ jitless: true });
