import { describe, expect, it } from 'vitest';
import { expandUnicastTargets } from './unicast-targets';

describe('expandUnicastTargets', () => {
  it('takes hosts, host:port and ranges (host addresses only), without duplicates', () => {
    expect(expandUnicastTargets(['10.0.0.5', 'cam.local:4000', '10.0.0.5'], 3702)).toEqual([
      { host: '10.0.0.5', port: 3702 },
      { host: 'cam.local', port: 4000 },
    ]);
    expect(expandUnicastTargets(['192.168.1.9/30'], 3702).map((t) => t.host)).toEqual([
      '192.168.1.9',
      '192.168.1.10',
    ]);
    expect(expandUnicastTargets(['10.1.1.1/32', '10.1.1.4/31'], 1).map((t) => t.host)).toEqual([
      '10.1.1.1',
      '10.1.1.4',
      '10.1.1.5',
    ]);
    const c24 = expandUnicastTargets(['192.168.7.0/24'], 3702);
    expect(c24).toHaveLength(254);
    expect([c24[0]!.host, c24.at(-1)!.host]).toEqual(['192.168.7.1', '192.168.7.254']);
  });

  it('refuses ranges above the cap and unreadable input', () => {
    expect(() => expandUnicastTargets(['10.0.0.0/16'], 3702)).toThrow(
      /65534 addresses.*capped at 256/,
    );
    expect(() => expandUnicastTargets(['10.0.0.0/24', '10.0.1.0/25'], 3702)).toThrow(
      /capped at 256/,
    );
    expect(() => expandUnicastTargets(['300.1.1.1/24'], 3702)).toThrow(
      expect.objectContaining({ kind: 'bad_request' }),
    );
    expect(() => expandUnicastTargets(['http://x/'], 3702)).toThrow(/not a host/);
    expect(() => expandUnicastTargets(['x:0'], 3702)).toThrow(/bad port/);
  });
});
