// Shapes of GET /api/wall/figures, declared once where the server builds them (server/db/wall-repo.ts).
// Type-only: no server code reaches the bundle.
export type {
  CategoryTrend as WallCategoryTrend,
  IssueFigures as WallIssueFigures,
  IssueTickerItem as WallTickerItem,
  MemberUnitRank as WallMemberUnitRank,
  StaticFigures as WallRegisters,
  WallCommunity,
  WallFigure,
  WallFigures,
} from '../../server/db/wall-repo.ts';
export type { WallGridMetric, WallGridMetrics, WallIssuePoints, WallMetric } from '../../server/db/wall-map-repo.ts';
