// Certificates for TLS tests, made with openssl in a directory the test owns: a CA, and a server key and
// certificate it signed (subjectAltName DNS:<name> and IP:127.0.0.1), valid two days.
//
//   makeCa(dir, 'right', 'localhost');   // right-ca.pem, server.pem, server.key
//   makeCa(dir, 'wrong');                 // wrong-ca.pem: a CA that signed nothing of the server's
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

function openssl(cwd: string, args: string[]): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function makeCa(dir: string, prefix: string, serverName?: string): void {
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${prefix}-ca.key`, '-out', `${prefix}-ca.pem`,
    '-days', '2', '-subj', `/CN=db_sentinel test CA ${prefix}`]);
  if (serverName === undefined) return;
  writeFileSync(join(dir, 'san.ext'), `subjectAltName=DNS:${serverName},IP:127.0.0.1\n`);
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${serverName}`]);
  openssl(dir, ['x509', '-req', '-in', 'server.csr', '-CA', `${prefix}-ca.pem`, '-CAkey', `${prefix}-ca.key`, '-CAcreateserial',
    '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext']);
}
