import { describe, expect, it } from 'vitest';
import { ApiError } from '../../client/api/http.ts';
import { useBusyAction, type Outcome } from '../../client/composables/use-busy-action.ts';

describe('a form write: busy while it runs, then its outcome as a message key', () => {
  it('is busy until the call and what follows it are done, then says what was done', async () => {
    const { busy, message, run } = useBusyAction('admin.failed');
    message.value = { ok: false, key: 'earlier', params: {} };
    const seen: string[] = [];
    let finish!: (outcome: Outcome) => void;
    const running = run(
      () => new Promise<Outcome>((resolve) => (finish = resolve)),
      () => void seen.push(`then: busy ${busy.value}, ${message.value?.key}`),
    );
    expect(busy.value).toBe(true);
    expect(message.value).toBeNull();
    finish(['admin.users.saved', { username: 'wang' }]);
    await running;
    expect(seen).toEqual(['then: busy true, admin.users.saved']);
    expect(busy.value).toBe(false);
    expect(message.value).toEqual({ ok: true, key: 'admin.users.saved', params: { username: 'wang' } });
  });

  it("gives a refusal the server's own words, or the caller's reading of it", async () => {
    const refused = new ApiError('http', '/api/x', 'PATCH /api/x: HTTP 400 the password is too short', 400);
    const plain = useBusyAction('workforce.failed');
    await plain.run(
      () => Promise.reject(refused),
      () => expect.unreachable(),
    );
    expect(plain.message.value).toEqual({
      ok: false,
      key: 'workforce.failed',
      params: { message: 'the password is too short' },
    });
    expect(plain.busy.value).toBe(false);

    const byStatus = useBusyAction((e) => (e instanceof ApiError && e.status === 403 ? ['account.wrong'] : ['other']));
    await byStatus.run(() => Promise.reject(new ApiError('http', '/api/me', 'HTTP 403 no', 403)));
    expect(byStatus.message.value).toEqual({ ok: false, key: 'account.wrong', params: {} });
    await byStatus.run(() => Promise.resolve(['account.changed', { sessions: 2 }]));
    expect(byStatus.message.value).toEqual({ ok: true, key: 'account.changed', params: { sessions: 2 } });
  });
});
