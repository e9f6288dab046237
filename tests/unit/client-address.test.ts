import { describe, expect, it } from 'vitest';
import { clientAddressKey } from '../../server/client-address.ts';
import { ipKey, pairKey } from '../../server/auth/throttle.ts';

describe('clientAddressKey', () => {
  it('counts an IPv4 address by itself, also when IPv4-mapped', () => {
    expect(clientAddressKey('192.0.2.7')).toBe('192.0.2.7');
    expect(clientAddressKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(clientAddressKey('::FFFF:192.0.2.7')).toBe('192.0.2.7');
  });

  it('counts every address of one IPv6 /64 under one key', () => {
    const key = clientAddressKey('2001:db8:1:2::1');
    expect(key).toBe('2001:db8:1:2::/64');
    for (const other of [
      '2001:db8:1:2:ffff:ffff:ffff:ffff',
      '2001:0db8:0001:0002:abcd::9',
      '2001:DB8:1:2:0:0:0:0',
      '2001:db8:1:2::',
    ]) {
      expect(clientAddressKey(other)).toBe(key);
    }
    expect(clientAddressKey('2001:db8:1:3::1')).not.toBe(key);
  });

  it('expands compressed forms and drops a zone', () => {
    expect(clientAddressKey('::1')).toBe('0:0:0:0::/64');
    expect(clientAddressKey('2001:db8::')).toBe('2001:db8:0:0::/64');
    expect(clientAddressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientAddressKey('2001:db8:aa:bb:cc:dd:192.0.2.1')).toBe('2001:db8:aa:bb::/64');
  });

  it('passes anything else through unchanged (no address: one shared key)', () => {
    expect(clientAddressKey('')).toBe('');
    expect(clientAddressKey('not an address')).toBe('not an address');
  });
});

describe('login throttle keys', () => {
  it('count a whole IPv6 /64 as one address, so fresh addresses of one network give no fresh allowance', () => {
    expect(ipKey('2001:db8:1:2::1')).toBe(ipKey('2001:db8:1:2::beef'));
    expect(pairKey('Demo-Admin', '2001:db8:1:2::1')).toBe(pairKey('demo-admin', '2001:db8:1:2:aaaa::7'));
    expect(ipKey('::ffff:192.0.2.7')).toBe(ipKey('192.0.2.7'));
    expect(ipKey('192.0.2.7')).not.toBe(ipKey('192.0.2.8'));
  });
});
