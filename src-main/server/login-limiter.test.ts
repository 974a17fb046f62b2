import { describe, expect, it } from 'vitest';
import { LoginLimiter } from './login-limiter';

function limiter() {
  let now = 1_000_000;
  const l = new LoginLimiter({ nowMs: () => now });
  return { l, advance: (ms: number) => (now += ms) };
}

const fail = (l: LoginLimiter, address: string, user: string) => {
  const a = l.admit(address, user);
  if (!a.ok) return a;
  a.ticket.failed();
  return a;
};

describe('LoginLimiter', () => {
  it('backs a username off across addresses (a distributed guess at one account)', () => {
    const { l } = limiter();
    for (let i = 0; i < 5; i++) expect(fail(l, `10.0.0.${i}`, 'admin').ok).toBe(true);
    const r = l.admit('10.0.0.99', 'Admin');
    expect(r).toMatchObject({ ok: false, key: 'username' });
    expect(l.admit('10.0.0.99', 'bob').ok).toBe(true);
  });

  it('counts attempts in flight, then lets one through at a time after each backoff', () => {
    const { l, advance } = limiter();
    const tickets = Array.from({ length: 5 }, () => l.admit('a', 'u'));
    expect(tickets.every((t) => t.ok)).toBe(true);
    expect(l.admit('a', 'u')).toMatchObject({ ok: false, retryAfterMs: 1000 });
    for (const t of tickets) if (t.ok) t.ticket.failed();
    advance(1000);
    const next = l.admit('a', 'u');
    expect(next.ok).toBe(true);
    expect(l.admit('a', 'u').ok).toBe(false); // the one attempt is in flight
    if (next.ok) next.ticket.failed();
    expect(l.admit('a', 'u')).toMatchObject({ ok: false, retryAfterMs: 2000 });
  });

  it("a success takes back only that user's failures at the address", () => {
    const { l } = limiter();
    for (let i = 0; i < 2; i++) fail(l, 'a', 'viewer');
    for (let i = 0; i < 2; i++) fail(l, 'a', 'admin');
    const ok = l.admit('a', 'viewer');
    expect(ok.ok).toBe(true);
    if (ok.ok) ok.ticket.succeeded();
    // The address still holds admin's 2: three more attempts, then backoff.
    for (const u of ['carol', 'dave', 'erin']) expect(fail(l, 'a', u).ok).toBe(true);
    expect(l.admit('a', 'frank')).toMatchObject({ ok: false, key: 'address' });
  });
});
