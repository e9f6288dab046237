// In-memory model of one synthetic town, in local metres. Converted to GeoJSON only when written.
import type { Rect, Ring } from './geo.js';

export type CompoundType = 'commercial_residential' | 'old' | 'transitional' | 'work_unit';
export type RoadClass = 'primary' | 'secondary' | 'residential';
export type Form = 'slab' | 'tower' | 'low';

export interface Road {
  name: string;
  name_en: string;
  cls: RoadClass;
  halfWidth: number;
  from: [number, number];
  to: [number, number];
}

export interface Cell {
  i: number;
  j: number;
  cell: Rect; // to road centrelines
  block: Rect; // inside the kerbs
  streetIdx: number;
  communityIdx: number;
  paired: boolean; // holds two grids and one split compound
  portion: 'none' | 'landmark' | 'park';
}

export interface Grid {
  idx: number;
  cell: Cell;
  rect: Rect; // grid polygon (cell, or a strip of a paired cell)
  households: number;
  communityIdx: number;
}

export interface Compound {
  idx: number;
  type: CompoundType;
  rect: Rect;
  households: number;
  gridIdx: number | null; // null when split
  communityIdx: number;
  parts: { gridIdx: number; households: number; area: Rect }[]; // where its buildings go
  name: string;
  name_en: string;
  era: string;
  builtYear: number;
  facility: string;
  residentType: string;
  needs: string[];
  property: string;
  deputy: boolean;
  popFactor: number;
}

export interface Building {
  idx: number;
  compoundIdx: number;
  gridIdx: number;
  rect: Rect;
  form: Form;
  floors: number;
  households: number;
  population: number;
  no: number;
}

export interface BaseFeature {
  kind: 'road' | 'block' | 'water' | 'green' | 'landmark' | 'boundary';
  cls: string;
  name: string | null;
  name_en: string | null;
  ring?: Ring;
  line?: [number, number][];
  point?: [number, number];
  width?: number;
}
