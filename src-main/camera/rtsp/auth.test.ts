import { describe, expect, it } from 'vitest';
import {
  ServerAuthenticator,
  buildBasicAuthorization,
  buildDigestAuthorization,
  chooseChallenge,
  computeDigestResponse,
  parseAuthorization,
  parseWwwAuthenticate,
} from './auth';

describe('digest computation', () => {
  it('matches RFC 2617 §3.5', () => {
    expect(
      computeDigestResponse({
        username: 'Mufasa',
        password: 'Circle Of Life',
        realm: 'testrealm@host.com',
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        method: 'GET',
        uri: '/dir/index.html',
        qop: 'auth',
        nc: '00000001',
        cnonce: '0a4f113b',
      }),
    ).toBe('6629fae49393a05397450978507c4ef1');
  });

  const rfc7616 = {
    username: 'Mufasa',
    password: 'Circle of Life',
    realm: 'http-auth@example.org',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    method: 'GET',
    uri: '/dir/index.html',
    qop: 'auth',
    nc: '00000001',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  };

  it('matches RFC 7616 §3.9.1 with MD5', () => {
    expect(computeDigestResponse({ ...rfc7616, algorithm: 'MD5' })).toBe(
      '8ca523f5e9506fed4657c9700eebdbec',
    );
  });

  it('matches RFC 7616 §3.9.1 with SHA-256', () => {
    expect(computeDigestResponse({ ...rfc7616, algorithm: 'SHA-256' })).toBe(
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
  });

  it('computes the RFC 2069 form without qop', () => {
    // MD5(MD5(A1):nonce:MD5(A2)) for the RFC 2617 inputs, computed independently.
    const r = computeDigestResponse({
      username: 'Mufasa',
      password: 'Circle Of Life',
      realm: 'testrealm@host.com',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      method: 'GET',
      uri: '/dir/index.html',
    });
    expect(r).toBe('670fd8c2df070c60b045671b8b24ff02');
  });
});

describe('challenge parsing', () => {
  it('parses several challenges in one header, with quoted commas', () => {
    const c = parseWwwAuthenticate(
      'Digest realm="a, b", nonce="xyz", qop="auth,auth-int", algorithm=SHA-256, Basic realm="r"',
    );
    expect(c).toEqual([
      {
        scheme: 'digest',
        params: { realm: 'a, b', nonce: 'xyz', qop: 'auth,auth-int', algorithm: 'SHA-256' },
      },
      { scheme: 'basic', params: { realm: 'r' } },
    ]);
    expect(chooseChallenge(c)?.scheme).toBe('digest');
    expect(chooseChallenge(parseWwwAuthenticate('Basic realm="r"'))?.scheme).toBe('basic');
    expect(chooseChallenge(parseWwwAuthenticate('Negotiate abc'))).toBeUndefined();
  });

  it('builds a Digest Authorization the RFC 7616 way', () => {
    const [challenge] = parseWwwAuthenticate(
      'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
    );
    const header = buildDigestAuthorization(
      challenge!,
      { username: 'Mufasa', password: 'Circle of Life' },
      {
        method: 'GET',
        uri: '/dir/index.html',
        cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
      },
    );
    const parsed = parseAuthorization(header)!;
    expect(parsed.scheme).toBe('digest');
    expect(parsed.params).toMatchObject({
      response: '8ca523f5e9506fed4657c9700eebdbec',
      qop: 'auth',
      nc: '00000001',
      opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
    });
  });
});

describe('ServerAuthenticator', () => {
  const users = [{ username: 'admin', password: 'p@ss word' }];

  it('accepts the right Basic credentials and rejects wrong ones', () => {
    const a = new ServerAuthenticator({ users, scheme: 'basic' });
    expect(a.challenges()).toEqual(['Basic realm="NVR"']);
    expect(a.verify('DESCRIBE', buildBasicAuthorization('admin', 'p@ss word'))).toEqual({
      ok: true,
      username: 'admin',
    });
    expect(a.verify('DESCRIBE', buildBasicAuthorization('admin', 'nope')).ok).toBe(false);
    expect(a.verify('DESCRIBE', undefined).ok).toBe(false);
  });

  for (const algorithm of ['MD5', 'SHA-256', 'MD5-sess'] as const) {
    it(`round-trips Digest ${algorithm} with and without qop`, () => {
      const a = new ServerAuthenticator({ users, scheme: 'digest', algorithms: [algorithm] });
      const [challengeText] = a.challenges();
      const [challenge] = parseWwwAuthenticate(challengeText!);
      const good = buildDigestAuthorization(challenge!, users[0]!, {
        method: 'PLAY',
        uri: 'rtsp://h/door',
      });
      expect(a.verify('PLAY', good)).toEqual({ ok: true, username: 'admin' });
      expect(a.verify('DESCRIBE', good).ok).toBe(false); // the method is covered by the digest
      const noQop = buildDigestAuthorization(
        { ...challenge!, params: { ...challenge!.params, qop: '' } },
        users[0]!,
        { method: 'PLAY', uri: 'x' },
      );
      expect(a.verify('PLAY', noQop).ok).toBe(true);
      const bad = buildDigestAuthorization(
        challenge!,
        { username: 'admin', password: 'wrong' },
        { method: 'PLAY', uri: 'rtsp://h/door' },
      );
      expect(a.verify('PLAY', bad)).toMatchObject({ ok: false });
      expect(a.verify('PLAY', buildBasicAuthorization('admin', 'p@ss word')).ok).toBe(false); // digest only
    });
  }

  it('rejects forged nonces and marks expired ones stale', () => {
    let now = 1_000_000;
    const a = new ServerAuthenticator({
      users,
      scheme: 'digest',
      nonceTtlMs: 1000,
      now: () => now,
    });
    const [challenge] = parseWwwAuthenticate(a.challenges()[0]!);
    const forged = {
      ...challenge!,
      params: { ...challenge!.params, nonce: 'f4240' + '0'.repeat(24) },
    };
    expect(
      a.verify(
        'OPTIONS',
        buildDigestAuthorization(forged, users[0]!, { method: 'OPTIONS', uri: '*' }),
      ),
    ).toMatchObject({ ok: false, reason: 'unknown nonce' });
    const header = buildDigestAuthorization(challenge!, users[0]!, { method: 'OPTIONS', uri: '*' });
    expect(a.verify('OPTIONS', header).ok).toBe(true);
    now += 5000;
    expect(a.verify('OPTIONS', header)).toMatchObject({ ok: false, stale: true });
    expect(a.challenges(true)[0]).toContain('stale=true');
  });

  it('offers Digest before Basic with scheme any, and accepts both', () => {
    const a = new ServerAuthenticator({ users });
    const challenges = a.challenges();
    expect(challenges.map((c) => c.split(' ')[0])).toEqual(['Digest', 'Basic']);
    expect(a.verify('OPTIONS', buildBasicAuthorization('admin', 'p@ss word')).ok).toBe(true);
  });
});
