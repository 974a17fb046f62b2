import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProbe, parseProbeMatches, parseScopes } from './ws-discovery';
import { parseXml } from './xml';

const fixture = readFileSync(
  path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/probe-matches-two.xml'),
  'utf8',
);

describe('parseProbeMatches', () => {
  it('reads every ProbeMatch: endpoint, types, scopes, XAddrs', () => {
    const r = parseProbeMatches(fixture);
    expect(r).toEqual({
      ok: true,
      relatesTo: 'urn:uuid:11111111-2222-3333-4444-555555555555',
      matches: [
        {
          endpoint: 'urn:uuid:4d454930-0000-1000-8000-bcbac2f1a3c4',
          types: ['dn:NetworkVideoTransmitter', 'tds:Device'],
          scopes: expect.arrayContaining(['onvif://www.onvif.org/name/Front%20Door']),
          xaddrs: [
            'http://192.168.1.64/onvif/device_service',
            'http://[fe80::1]/onvif/device_service',
          ],
        },
        {
          endpoint: 'urn:uuid:second',
          types: ['dn:NetworkVideoTransmitter'],
          scopes: ['onvif://www.onvif.org/mfr/Acme+Corp'],
          xaddrs: ['http://192.168.1.65:8080/onvif/device_service'],
        },
      ],
    });
  });

  it('answers a value, never throws, for truncated and invalid input', () => {
    expect(parseProbeMatches(fixture.slice(0, fixture.length / 2))).toEqual({
      ok: false,
      reason: 'not well-formed XML',
    });
    expect(parseProbeMatches('')).toMatchObject({ ok: false });
    expect(parseProbeMatches('<html><body>hi</body></html>')).toMatchObject({
      ok: false,
      reason: /not a SOAP Envelope/,
    });
    expect(parseProbeMatches(buildProbe('urn:uuid:x'))).toMatchObject({
      ok: false,
      reason: /no ProbeMatches/,
    });
    expect(
      parseProbeMatches(
        fixture.replace(/<d:XAddrs>[^<]*<\/d:XAddrs>/g, '<d:XAddrs>ftp://x</d:XAddrs>'),
      ),
    ).toMatchObject({ ok: false });
    // A billion-laughs style entity bomb is not expanded.
    const defs = [
      '<!ENTITY a "aaaaaaaaaa">',
      ...'bcdef'.split('').map((e, i) => `<!ENTITY ${e} "${`&${'abcdef'[i]};`.repeat(10)}">`),
    ];
    const bomb = `<?xml version="1.0"?><!DOCTYPE l [${defs.join('')}]><Envelope><Body>&f;</Body></Envelope>`;
    expect(parseXml(bomb)!.children[0]!.text.length).toBeLessThan(100);
    expect(parseProbeMatches(bomb).ok).toBe(false);
  });

  it('property: arbitrary text and mutated fixtures never throw', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        expect(typeof parseProbeMatches(s).ok).toBe('boolean');
      }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: fixture.length - 1 }),
        fc.string({ maxLength: 8 }),
        (at, junk) => {
          const r = parseProbeMatches(
            fixture.slice(0, at) + junk + fixture.slice(at + junk.length),
          );
          if (r.ok) for (const m of r.matches) expect(m.xaddrs.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('buildProbe', () => {
  it('is a SOAP envelope with the message id and the ONVIF type', () => {
    const env = parseXml(buildProbe('urn:uuid:a&b'));
    expect(env?.name).toBe('Envelope');
    expect(env?.children.map((c) => c.name)).toEqual(['Header', 'Body']);
    expect(env?.children[0]!.children.find((c) => c.name === 'MessageID')?.text).toBe(
      'urn:uuid:a&b',
    );
    expect(env?.children[1]!.children[0]!.children[0]).toMatchObject({
      name: 'Types',
      text: 'dn:NetworkVideoTransmitter',
    });
  });
});

describe('parseScopes', () => {
  it('decodes name, hardware, manufacturer and location; hardware is the model', () => {
    expect(
      parseScopes(
        parseProbeMatches(fixture).ok
          ? (parseProbeMatches(fixture) as { matches: { scopes: string[] }[] }).matches[0]!.scopes
          : [],
      ),
    ).toEqual({
      name: 'Front Door',
      hardware: 'DS-2CD2043',
      model: 'DS-2CD2043',
      location: 'city/Lisbon',
    });
    expect(
      parseScopes([
        'onvif://www.onvif.org/mfr/Acme+Corp',
        'onvif://www.onvif.org/name/%E0%A4%A',
        'http://x/y/z',
      ]),
    ).toEqual({
      manufacturer: 'Acme Corp',
      name: '%E0%A4%A',
    });
  });
});
