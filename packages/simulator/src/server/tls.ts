import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import selfsigned from 'selfsigned';

export interface SimulatorCertificates {
  readonly caCertPem: string;
  readonly caCertPath: string;
  readonly key: string;
  readonly cert: string;
}

/**
 * A CA made at start-up and a server certificate it signs for localhost and
 * 127.0.0.1, so clients verify TLS exactly as they would against Microsoft,
 * trusting only the CA (NODE_EXTRA_CA_CERTS or an explicit `ca`).
 */
export async function createCertificates(directory: string): Promise<SimulatorCertificates> {
  const notBeforeDate = new Date(Date.now() - 3_600_000);
  const notAfterDate = new Date(Date.now() + 30 * 24 * 3_600_000);
  const ca = await selfsigned.generate([{ name: 'commonName', value: 'Nightjar Microsoft 365 Simulator CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const server = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  await mkdir(directory, { recursive: true });
  const caCertPath = join(directory, 'simulator-ca.pem');
  await writeFile(caCertPath, ca.cert);
  return { caCertPem: ca.cert, caCertPath, key: server.private, cert: server.cert };
}
