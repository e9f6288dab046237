// Web Worker: runs the balancing engine (server/balance) off the main thread, reporting progress; a 'cancel'
// message aborts it.
import { balance, type BalanceProgress, type BalanceUnit } from '../../server/balance/index';
import type { MultiPolygon, Polygon } from 'geojson';

export type BalanceRequest =
  | {
      type: 'run';
      units: BalanceUnit[];
      parents: Record<string, Polygon | MultiPolygon>;
      /** The county's households per grid. */
      bounds: { min: number; max: number };
      timeBudgetMs: number;
      /** Rebalance mode: the current labels; the engine fixes only broken grids, moving as few households as it can. */
      assignment?: Record<string, string | null>;
    }
  | { type: 'cancel' };

export type BalanceReply =
  | { type: 'progress'; progress: BalanceProgress }
  | {
      type: 'done';
      assignment: Record<string, string | null>;
      valid: boolean;
      violations: string[];
      grids: number;
      householdsMoved: number;
    }
  | { type: 'cancelled' }
  | { type: 'error'; message: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;
let running: AbortController | null = null;

const reply = (message: BalanceReply): void => scope.postMessage(message);

scope.onmessage = async (event: MessageEvent<BalanceRequest>) => {
  const request = event.data;
  if (request.type === 'cancel') {
    running?.abort();
    return;
  }
  running?.abort();
  const controller = new AbortController();
  running = controller;
  try {
    const result = await balance(
      request.units,
      { ...request.bounds, parents: request.parents, assignment: request.assignment },
      {
        signal: controller.signal,
        timeBudgetMs: request.timeBudgetMs,
        onProgress: (progress) => reply({ type: 'progress', progress }),
      },
    );
    reply({
      type: 'done',
      assignment: result.assignment,
      valid: result.valid,
      violations: result.violations.map((v) => v.message),
      grids: result.grids.length,
      householdsMoved: result.householdsMoved,
    });
  } catch (error) {
    if (controller.signal.aborted) reply({ type: 'cancelled' });
    else reply({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  } finally {
    if (running === controller) running = null;
  }
};
