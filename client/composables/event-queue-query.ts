// The work queue's filters and selected case in the URL (?state=filed,dispatched&category=…&area=…&overdue=1&issue=12),
// so a link reproduces the view. Pure: parse and format only.
import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import { ISSUE_STATES, type IssueState } from '../../shared/issue-states.ts';
import type { QueueFilter } from '../api/events';

const ID = /^[A-Za-z0-9_-]{1,40}$/;

function first(value: LocationQuery[string]): string {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v : '';
}

export function parseQueueQuery(query: LocationQuery): { filter: QueueFilter; issueId: number | null } {
  const states = first(query.state)
    .split(',')
    .filter((s): s is IssueState => (ISSUE_STATES as readonly string[]).includes(s));
  const category = first(query.category);
  const area = first(query.area);
  const issue = Number(first(query.issue));
  return {
    filter: {
      states,
      category: ID.test(category) ? category : '',
      area: ID.test(area) ? area : '',
      overdue: first(query.overdue) === '1',
    },
    issueId: Number.isSafeInteger(issue) && issue > 0 ? issue : null,
  };
}

/** The query for a filter and selection, keeping other parameters (lang) as they are. */
export function toQueueQuery(filter: QueueFilter, issueId: number | null, keep: LocationQuery): LocationQueryRaw {
  const out: LocationQueryRaw = { ...keep };
  for (const key of ['state', 'category', 'area', 'overdue', 'issue']) delete out[key];
  if (filter.states.length) out.state = filter.states.join(',');
  if (filter.category) out.category = filter.category;
  if (filter.area) out.area = filter.area;
  if (filter.overdue) out.overdue = '1';
  if (issueId !== null) out.issue = String(issueId);
  return out;
}
