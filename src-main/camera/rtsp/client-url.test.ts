// RTSP URL handling of the client: credentials with reserved characters, redirects.
import { describe, expect, it } from 'vitest';
import { parseRtspUrl, redirectTarget } from './client-url';

describe('parseRtspUrl', () => {
  it('decodes percent-encoded credentials with reserved characters', () => {
    const u = parseRtspUrl('rtsp://ad%40min:p%40ss%3Aw%2Frd%25%231@10.0.0.2:8554/live');
    expect(u).toEqual({
      url: 'rtsp://10.0.0.2:8554/live',
      host: '10.0.0.2',
      port: 8554,
      tls: false,
      username: 'ad@min',
      password: 'p@ss:w/rd%#1',
    });
  });

  it('keeps a bare % and takes the last @ as the end of the credentials', () => {
    const u = parseRtspUrl('rtsp://admin:50%off@P@cam.local/live');
    expect(u.username).toBe('admin');
    expect(u.password).toBe('50%off@P');
    expect(u.host).toBe('cam.local');
    expect(u.url).not.toContain('50');
  });
});

describe('redirectTarget', () => {
  const current = parseRtspUrl('rtsp://10.0.0.2/real/1');
  const creds = { username: 'u', password: 'p' };

  it('keeps the credentials for another port of the same host', () => {
    const r = redirectTarget(current, creds, 'rtsp://10.0.0.2:1554/moved');
    expect(r.target.port).toBe(1554);
    expect(r.credentials).toEqual(creds);
  });

  it('resolves a relative Location against the request URL', () => {
    expect(redirectTarget(current, creds, '/other').target.url).toBe('rtsp://10.0.0.2/other');
  });

  it('does not hand the credentials to another host', () => {
    expect(redirectTarget(current, creds, 'rtsp://10.0.0.9/x').credentials).toEqual({});
    const own = redirectTarget(current, creds, 'rtsp://a:b@10.0.0.9/x');
    expect(own.credentials).toEqual({ username: 'a', password: 'b' });
    expect(own.target.url).toBe('rtsp://10.0.0.9/x');
  });

  it('refuses a Location that is not rtsp:// or rtsps://', () => {
    expect(() => redirectTarget(current, creds, 'http://10.0.0.2/1')).toThrow(/rtsp/);
    expect(redirectTarget(current, creds, 'rtsps://10.0.0.2/1').target).toMatchObject({
      tls: true,
      port: 322,
      url: 'rtsps://10.0.0.2/1',
    });
  });
});
