// Shapes of the wall's API (/api/wall/*): the API contract in shared/api/wall.ts (type-only here).
export type {
  CategoryTrend as WallCategoryTrend,
  IssueFigures as WallIssueFigures,
  IssueTickerItem as WallTickerItem,
  MemberUnitRank as WallMemberUnitRank,
  StaticFigures as WallRegisters,
  WallCommunity,
  WallFigure,
  WallFigures,
  WallGridMetric,
  WallGridMetrics,
  WallIssuePoints,
  WallMetric,
} from '../../shared/api/wall.ts';
