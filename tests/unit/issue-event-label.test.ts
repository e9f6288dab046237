import { describe, expect, it } from 'vitest';
import { i18n } from '../../client/i18n/index.ts';
import { historyLabel, shownState } from '../../client/composables/issue-event-label.ts';

const units: Record<string, string> = { U01: '县住建局', U02: '县市场监管局' };
const unitName = (id: string) => units[id] ?? id;
const say = (label: { key: string; values: Record<string, string> }, locale: 'zh' | 'en') => {
  i18n.global.locale.value = locale;
  return i18n.global.t(label.key, label.values);
};

describe('labels of lifecycle events', () => {
  // The event a late signature writes (tests/integration/issues-member-unit.test.ts checks the row).
  const late = { toState: 'handling', fields: { unitIds: ['U02'], lateSignature: true } };
  const signed = { toState: 'signed', fields: { unitIds: ['U01'] } };
  const handling = { toState: 'handling', fields: {} };

  it('shows a late signature as the unit signing, not as the state it stayed in', () => {
    expect(say(historyLabel(late, unitName), 'zh')).toBe('签收：县市场监管局');
    expect(say(historyLabel(late, unitName), 'en')).toBe('Signed by 县市场监管局');
    expect(say(historyLabel(handling, unitName), 'zh')).toBe('处置中');
    expect(say(historyLabel(late, unitName), 'zh')).not.toBe(say(historyLabel(handling, unitName), 'zh'));
  });

  it('shows transitions by their state, a signing one too', () => {
    expect(say(historyLabel(signed, unitName), 'zh')).toBe('已签收');
    expect(say(historyLabel(handling, unitName), 'en')).toBe(say({ key: 'report.states.handling', values: {} }, 'en'));
    expect(historyLabel({ toState: 'handling', fields: { lateSignature: 'yes' } }, unitName).key).toBe(
      'report.states.handling',
    );
  });

  it('gives the wall ticker the same word', () => {
    expect(shownState('handling', true)).toBe('signed');
    expect(shownState('handling', false)).toBe('handling');
  });
});
