import { describe, expect, it } from 'vitest';
import {
  PASSWORD_DIGEST_TYPE,
  PASSWORD_TEXT_TYPE,
  buildSecurityHeader,
  passwordDigest,
  verifyUsernameToken,
} from './ws-security';
import { child, find, parseXml } from './xml';

/** Reads the UsernameToken back out of a header, as a device does. */
function readToken(header: string) {
  const token = find(
    parseXml(`<s:Envelope xmlns:s="urn:s"><s:Header>${header}</s:Header></s:Envelope>`),
    'UsernameToken',
  )!;
  const pw = child(token, 'Password')!;
  return {
    username: child(token, 'Username')!.text,
    password: pw.text,
    ...(pw.attrs.Type ? { passwordType: pw.attrs.Type } : {}),
    ...(child(token, 'Nonce') ? { nonceBase64: child(token, 'Nonce')!.text } : {}),
    created: child(token, 'Created')!.text,
  };
}

const T0 = Date.parse('2030-01-02T03:04:05Z');
const device = {
  username: 'admin',
  password: 'pässwörd<&>',
  nowMs: T0,
  maxSkewMs: 5 * 60_000,
  accept: ['digest', 'text'] as const,
};

describe('WS-Security UsernameToken', () => {
  it('digest matches the ONVIF Application Programmer’s Guide example', () => {
    expect(
      passwordDigest(
        Buffer.from('LKqI6G/AikKCQrN0zqZFlg==', 'base64'),
        '2010-09-16T07:50:45Z',
        'userpassword',
      ),
    ).toBe('tuOSpGlFlIXsozq4HFNeeGeFLEI=');
  });

  it('a digest header round-trips through a device check (UTF-8 password, escaped XML)', () => {
    const t = readToken(
      buildSecurityHeader({
        username: 'admin',
        password: device.password,
        mode: 'digest',
        createdMs: T0,
      }),
    );
    expect(t.passwordType).toBe(PASSWORD_DIGEST_TYPE);
    expect(t.created).toBe('2030-01-02T03:04:05Z');
    expect(t.password).not.toContain('pässwörd');
    expect(Buffer.from(t.password, 'base64')).toHaveLength(20); // SHA-1
    expect(verifyUsernameToken(t, { ...device, accept: [...device.accept] })).toEqual({
      ok: true,
      mode: 'digest',
    });
    expect(
      verifyUsernameToken(t, { ...device, accept: [...device.accept], password: 'other' }),
    ).toEqual({ ok: false, reason: 'wrong password' });
  });

  it('a token made with a clock 10 minutes off is refused; corrected by the skew it passes', () => {
    const deviceAhead = { ...device, accept: [...device.accept], nowMs: T0 + 10 * 60_000 };
    const naive = readToken(
      buildSecurityHeader({
        username: 'admin',
        password: device.password,
        mode: 'digest',
        createdMs: T0,
      }),
    );
    expect(verifyUsernameToken(naive, deviceAhead)).toEqual({
      ok: false,
      reason: 'Created outside the clock window',
    });
    const corrected = readToken(
      buildSecurityHeader({
        username: 'admin',
        password: device.password,
        mode: 'digest',
        createdMs: T0 + 10 * 60_000,
      }),
    );
    expect(verifyUsernameToken(corrected, deviceAhead)).toEqual({ ok: true, mode: 'digest' });
  });

  it('PasswordText is sent as is and accepted only where the device allows it', () => {
    const t = readToken(
      buildSecurityHeader({
        username: 'admin',
        password: device.password,
        mode: 'text',
        createdMs: T0,
      }),
    );
    expect(t).toMatchObject({ passwordType: PASSWORD_TEXT_TYPE, password: device.password });
    expect(verifyUsernameToken(t, { ...device, accept: ['text'] })).toEqual({
      ok: true,
      mode: 'text',
    });
    expect(verifyUsernameToken(t, { ...device, accept: ['digest'] })).toEqual({
      ok: false,
      reason: 'PasswordText not accepted',
    });
    expect(
      verifyUsernameToken({ ...t, username: 'root' }, { ...device, accept: ['text'] }),
    ).toEqual({ ok: false, reason: 'unknown user' });
  });
});
