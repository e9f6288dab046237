// The wall display's figures: GET /api/wall/figures (computed in SQL on the server, counts only).
import { ApiError, getJson, isRecord } from './http';
import type { WallFigures } from './wall-types';

export const WALL_FIGURES_URL = '/api/wall/figures';

export async function fetchWallFigures(signal?: AbortSignal): Promise<WallFigures> {
  const body = await getJson(WALL_FIGURES_URL, signal);
  if (
    !isRecord(body) ||
    typeof body.generatedAt !== 'string' ||
    !isRecord(body.registers) ||
    !Array.isArray(body.recentEvents) ||
    !Array.isArray(body.communities)
  ) {
    throw new ApiError('invalid', WALL_FIGURES_URL, `GET ${WALL_FIGURES_URL}: not the wall figures`);
  }
  return body as unknown as WallFigures;
}
