// ClientAuthenticator and the client's URL handling: Digest answers recomputed per request (method,
// URI, nc), stale nonces, Basic, unsupported schemes; credentials never left in the request URL.
import { describe, expect, it } from 'vitest';
import { ServerAuthenticator, parseAuthorization } from './auth';
import { ClientAuthenticator } from './client-auth';
import { parseRtspUrl } from './client-url';

describe('ClientAuthenticator', () => {
  const server = new ServerAuthenticator({
    users: [{ username: 'admin', password: 'pa:ss' }],
    scheme: 'digest',
    realm: 'cam',
  });

  it('answers a Digest challenge afresh for every request, and the server accepts each', () => {
    const auth = new ClientAuthenticator('admin', 'pa:ss');
    expect(auth.authorization('DESCRIBE', 'rtsp://h/x')).toBeUndefined();
    expect(auth.onChallenge(server.challenges())).toBe('retry');
    const describe = auth.authorization('DESCRIBE', 'rtsp://h/x')!;
    const setup = auth.authorization('SETUP', 'rtsp://h/x/track1')!;
    expect(describe).not.toBe(setup);
    expect(parseAuthorization(setup)?.params.uri).toBe('rtsp://h/x/track1');
    expect(server.verify('DESCRIBE', describe)).toMatchObject({ ok: true });
    expect(server.verify('SETUP', setup)).toMatchObject({ ok: true });
    expect(server.verify('PLAY', setup)).toMatchObject({ ok: false });
  });

  it('counts nc per nonce when the server asks for qop=auth', () => {
    const auth = new ClientAuthenticator('admin', 'pw');
    auth.onChallenge(['Digest realm="r", nonce="n1", qop="auth"']);
    const nc = (v: string): string | undefined => parseAuthorization(v)?.params.nc;
    expect(nc(auth.authorization('OPTIONS', 'rtsp://h/')!)).toBe('00000001');
    expect(nc(auth.authorization('DESCRIBE', 'rtsp://h/')!)).toBe('00000002');
    expect(auth.onChallenge(['Digest realm="r", nonce="n2", qop="auth", stale=true'])).toBe(
      'stale',
    );
    expect(nc(auth.authorization('DESCRIBE', 'rtsp://h/')!)).toBe('00000001');
  });

  it('prefers Digest over Basic, answers Basic alone, refuses unknown schemes', () => {
    const auth = new ClientAuthenticator('u', 'p');
    auth.onChallenge(['Basic realm="r"', 'Digest realm="r", nonce="n"']);
    expect(auth.authorization('OPTIONS', 'rtsp://h/')).toMatch(/^Digest /);
    const basic = new ClientAuthenticator('u', 'p');
    basic.onChallenge(['Basic realm="r"']);
    expect(basic.authorization('OPTIONS', 'rtsp://h/')).toBe(
      `Basic ${Buffer.from('u:p').toString('base64')}`,
    );
    expect(new ClientAuthenticator('u', 'p').onChallenge(['Negotiate abc'])).toBe('unsupported');
    expect(new ClientAuthenticator(undefined, undefined).hasCredentials).toBe(false);
  });
});

describe('parseRtspUrl', () => {
  it('splits credentials off (percent-decoded) and defaults the port to 554', () => {
    expect(parseRtspUrl('rtsp://ad%40min:p%3Ass@cam.local/ch1?x=1')).toEqual({
      url: 'rtsp://cam.local/ch1?x=1',
      host: 'cam.local',
      port: 554,
      tls: false,
      username: 'ad@min',
      password: 'p:ss',
    });
    expect(parseRtspUrl('rtsp://[::1]:8554/a')).toMatchObject({
      host: '::1',
      port: 8554,
      url: 'rtsp://[::1]:8554/a',
    });
  });

  it.each(['http://cam/x', 'not a url', 'rtsp://'])('rejects %s with bad_request', (url) => {
    expect(() => parseRtspUrl(url)).toThrow(expect.objectContaining({ kind: 'bad_request' }));
  });
});
