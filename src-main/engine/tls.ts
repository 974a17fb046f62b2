// TLS material for the HTTP server: PEM files given by the user, or a self-signed certificate made with
// the openssl CLI on first run and kept in `<dataDir>/tls` (0600). Reports the SHA-256 fingerprint.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { NvrError } from '../base';

const run = promisify(execFile);

export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  /** `AA:BB:...` SHA-256 of the certificate (what browsers show). */
  fingerprint: string;
  /** True when made by this call (first run). */
  generated: boolean;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

function fingerprintOf(cert: Buffer): string {
  try {
    return new X509Certificate(cert).fingerprint256;
  } catch (err) {
    throw new NvrError('bad_request', 'the TLS certificate is not a PEM X.509 certificate', {
      cause: String(err),
    });
  }
}

export async function loadTlsFiles(certFile: string, keyFile: string): Promise<TlsMaterial> {
  const [cert, key] = await Promise.all([readFile(certFile), readFile(keyFile)]);
  return { cert, key, fingerprint: fingerprintOf(cert), generated: false };
}

/** The self-signed pair in `<dataDir>/tls`, created (EC P-256, 10 years, SAN localhost + host name) if missing. */
export async function selfSignedTls(
  dataDir: string,
  opts: { openssl?: string; hostNames?: string[] } = {},
): Promise<TlsMaterial> {
  const dir = path.join(dataDir, 'tls');
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  let generated = false;
  if (!(await exists(certFile)) || !(await exists(keyFile))) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const names = ['localhost', os.hostname(), ...(opts.hostNames ?? [])].filter(
      (n, i, all) => /^[A-Za-z0-9.-]+$/.test(n) && all.indexOf(n) === i,
    );
    const san = [...names.map((n) => `DNS:${n}`), 'IP:127.0.0.1', 'IP:::1'].join(',');
    try {
      await run(
        opts.openssl ?? 'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-days',
          '3650',
          '-subj',
          '/CN=NVR',
          '-addext',
          `subjectAltName=${san}`,
          '-keyout',
          keyFile,
          '-out',
          certFile,
        ],
        { timeout: 30_000 },
      );
    } catch (err) {
      throw new NvrError(
        'unavailable',
        'cannot make a self-signed certificate (is openssl installed?)',
        {
          cause: String(err),
        },
      );
    }
    generated = true;
  }
  await chmod(keyFile, 0o600);
  await chmod(certFile, 0o600);
  const material = await loadTlsFiles(certFile, keyFile);
  return { ...material, generated };
}
