/**
 * The one rule for where a report is shown to readers who may not read the report itself (anonymous callers,
 * wall displays, aggregate readers): at the centre of its heat cell, never at the reported point, which is
 * often the reporter's home. The cell is the wall's heat cell (shared/map/wall-bins.ts): the XYZ tile of
 * BIN_ZOOM (z18), 152.9 m of web mercator, ≈120 m on the ground at Yanchi's latitude, aligned with the
 * `issues` tile bins, so a public point falls in the cell that the bins count it in. A public point is at most
 * half a cell's diagonal (≈85 m on the ground) from the reported one and says nothing finer than the cell.
 *
 * Exact points only through the routes that check the caller may read the issue in its area (issue detail,
 * the work queue, the OGC `events` collection for its handlers: events-layer.ts).
 */
import { BIN_ZOOM } from '../../shared/map/wall-bins.ts';

/** Half the web-mercator world, as the tile bins use it (tiles-repo.ts). */
const HALF_WORLD = 40075016.686 / 2;
/** Side of a public cell in web-mercator metres. */
export const PUBLIC_CELL_MERCATOR_METRES = (2 * HALF_WORLD) / 2 ** BIN_ZOOM;

const cellCentre = (coordinate: string) =>
  `((floor((${coordinate} + ${HALF_WORLD}) / ${PUBLIC_CELL_MERCATOR_METRES}) + 0.5) * ${PUBLIC_CELL_MERCATOR_METRES} - ${HALF_WORLD})`;

/** SQL: the public point (EPSG:3857) of a point given in EPSG:3857 (an SQL expression). */
export function publicCell3857(point3857: string): string {
  return `st_setsrid(st_makepoint(${cellCentre(`st_x(${point3857})`)}, ${cellCentre(`st_y(${point3857})`)}), 3857)`;
}

/** SQL: the public point (EPSG:4326) of a reported location (an SQL expression in EPSG:4326). */
export function publicPosition(location: string): string {
  return `st_transform(${publicCell3857(`st_transform(${location}, 3857)`)}, 4326)`;
}
