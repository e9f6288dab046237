import { describe, expect, it } from 'vitest';
import { contactFor, maskName, maskPhone } from '../../server/auth/masking.ts';

describe('maskName', () => {
  it.each([
    ['张三', '张*'],
    ['欧阳娜娜', '欧***'],
    ['李', '*'],
    ['  王小明 ', '王**'],
    ['', ''],
    ['𠀋一', '𠀋*'],
    ['Anna', 'A***'],
  ])('%s → %s', (name, masked) => expect(maskName(name)).toBe(masked));
});

describe('maskPhone', () => {
  it.each([
    ['13812341234', '138****1234'],
    ['138 1234 1234', '138 **** 1234'],
    ['0953-6012345', '095*-***2345'],
    ['12345', '***45'],
    ['', ''],
  ])('%s → %s', (phone, masked) => expect(maskPhone(phone)).toBe(masked));

  it('never leaves the middle digits of a mobile number', () => {
    for (let i = 0; i < 50; i++) {
      const phone = `1${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`;
      const masked = maskPhone(phone);
      expect(masked.slice(3, 7)).toBe('****');
      expect(masked.slice(0, 3) + masked.slice(7)).toBe(phone.slice(0, 3) + phone.slice(7));
    }
  });
});

describe('contactFor', () => {
  const person = { name: '赵刚平', phone: '17707507944' };
  const as = (role: 'admin' | 'leader' | 'dispatcher' | 'grid_worker') =>
    ({
      kind: 'user',
      userId: 1,
      username: 'u',
      role,
      scope: { streetId: null, communityId: null, gridId: null },
      sessionHash: 'h',
    }) as const;
  it('masks for leaders and grid workers, not for admins and dispatchers', () => {
    expect(contactFor(as('leader'), person)).toEqual({ name: '赵**', phone: '177****7944', masked: true });
    expect(contactFor(as('grid_worker'), person).masked).toBe(true);
    expect(contactFor(as('dispatcher'), person)).toEqual({ ...person, masked: false });
    expect(contactFor(as('admin'), person).masked).toBe(false);
    expect(contactFor({ kind: 'wall', displayTokenId: 1, screen: 's' }, { name: '李四', phone: null })).toEqual({
      name: '李*',
      phone: null,
      masked: true,
    });
  });
});
