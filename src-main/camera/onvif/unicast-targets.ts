// Expands the unicast discovery targets a user typed (a host, host:port, or an IPv4 CIDR range) into
// addresses, with a cap so a typo like /8 cannot flood a network. Pure.
import { NvrError } from '../../base';

export interface UnicastTarget {
  host: string;
  port: number;
}

export const DEFAULT_MAX_UNICAST_TARGETS = 256;

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

const intToIpv4 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/**
 * `192.168.1.20`, `cam.local`, `192.168.1.20:3702` or `192.168.1.0/24` (host addresses only: the
 * network and broadcast addresses of ranges wider than /31 are skipped). Duplicates are dropped.
 */
export function expandUnicastTargets(
  specs: readonly string[],
  defaultPort: number,
  maxTargets = DEFAULT_MAX_UNICAST_TARGETS,
): UnicastTarget[] {
  const out = new Map<string, UnicastTarget>();
  const add = (host: string, port: number) => {
    out.set(`${host}:${port}`, { host, port });
    if (out.size > maxTargets)
      throw new NvrError('bad_request', `unicast discovery is capped at ${maxTargets} addresses`, {
        field: 'unicastHosts',
      });
  };
  for (const raw of specs) {
    const spec = raw.trim();
    const cidr = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(spec);
    if (cidr) {
      const base = ipv4ToInt(cidr[1] as string);
      const bits = Number(cidr[2]);
      if (base === undefined || bits > 32)
        throw new NvrError('bad_request', `not an IPv4 range: ${spec}`, { field: 'unicastHosts' });
      const size = 2 ** (32 - bits);
      const hostCount = bits >= 31 ? size : size - 2;
      if (hostCount > maxTargets)
        throw new NvrError(
          'bad_request',
          `${spec} has ${hostCount} addresses; unicast discovery is capped at ${maxTargets}`,
          {
            field: 'unicastHosts',
          },
        );
      const network = bits === 0 ? 0 : (base & ~(size - 1)) >>> 0;
      const first = bits >= 31 ? network : network + 1;
      for (let i = 0; i < hostCount; i++) add(intToIpv4(first + i), defaultPort);
      continue;
    }
    const hostPort = /^([A-Za-z0-9._-]+)(?::(\d{1,5}))?$/.exec(spec);
    if (!hostPort)
      throw new NvrError('bad_request', `not a host, host:port or IPv4 range: ${spec}`, {
        field: 'unicastHosts',
      });
    const port = hostPort[2] === undefined ? defaultPort : Number(hostPort[2]);
    if (port < 1 || port > 65535)
      throw new NvrError('bad_request', `bad port in ${spec}`, { field: 'unicastHosts' });
    add(hostPort[1] as string, port);
  }
  return [...out.values()];
}
