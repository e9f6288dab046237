// Shapes of GET /api/wall/figures and of the /api/stream events (server/db/wall-repo.ts is the source).

/** A figure of two periods: count, or a share 0–1 for rates (null: nothing to divide by). */
export interface WallFigure {
  value: number | null;
  previous: number | null;
}

export interface WallRegisters {
  compounds: number;
  compoundsByType: Record<string, number>;
  grids: number;
  redStewards: number;
  stations: number;
  stationsByKind: Record<string, number>;
  partyMembers: number;
  inServiceMembers: number;
  memberUnits: number;
  socialOrganisations: number;
  communityStaff: number;
  auxiliaryWorkers: number;
  riderWorkers: number;
}

export interface WallIssueFigures {
  riderReports: { total: number; recent: number; previousRecent: number };
  reports: WallFigure;
  openIssues: WallFigure;
  overdueIssues: WallFigure;
  onTimeClosureRate: WallFigure;
  responseRate: WallFigure;
  resolutionRate: WallFigure;
  satisfactionRate: WallFigure;
}

export interface WallMemberUnitRank {
  id: string;
  name: string;
  nameEn: string | null;
  solved: number;
  assigned: number;
}

export interface WallCategoryTrend {
  days: string[];
  series: { id: string; name: string; nameEn: string; counts: number[] }[];
}

/** One line of the ticker: an issue that changed state. Never a person. */
export interface WallTickerItem {
  id: number;
  code: string | null;
  state: string;
  source: string | null;
  categoryId: string | null;
  categoryName: string | null;
  categoryNameEn: string | null;
  communityId: string | null;
  communityName: string | null;
  communityNameEn: string | null;
  gridId: string | null;
  at: string;
}

export interface WallCommunity {
  id: string;
  name: string;
  nameEn: string | null;
  bbox: [number, number, number, number];
}

export interface WallFigures {
  generatedAt: string;
  periodDays: number;
  synthetic: true;
  registers: WallRegisters;
  issues: WallIssueFigures | null;
  memberUnitRanking: WallMemberUnitRank[] | null;
  issuesByCategory: WallCategoryTrend | null;
  recentEvents: WallTickerItem[];
  communities: WallCommunity[];
}
