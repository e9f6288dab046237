// How a lifecycle event is labelled wherever events are listed (the case history of /events, the wall's ticker):
// by the state it moved the case to — except a late signature, a summoned member unit signing after another unit
// moved the case on (server/issues/workflow-service.ts): the state stays, so the event reads as a signature.

/** The event of a unit's late signature: from and to the same state, `fields.lateSignature`. */
export function isLateSignature(fields: Record<string, unknown>): boolean {
  return fields.lateSignature === true;
}

/** The state word an event shows: the state it moved the case to, or "signed" for a late signature. */
export function shownState(state: string, lateSignature: boolean): string {
  return lateSignature ? 'signed' : state;
}

/** An i18n key with its values. */
export interface Label {
  key: string;
  values: Record<string, string>;
}

/** A line of the case history: "处置中" for a transition, "签收：<unit>" for a late signature. */
export function historyLabel(
  event: { toState: string; fields: Record<string, unknown> },
  unitName: (id: string) => string,
): Label {
  if (!isLateSignature(event.fields)) return { key: `report.states.${event.toState}`, values: {} };
  const unitIds = Array.isArray(event.fields.unitIds) ? (event.fields.unitIds as string[]) : [];
  return { key: 'issueEvents.lateSigned', values: { units: unitIds.map(unitName).join('、') } };
}
