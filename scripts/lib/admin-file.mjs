// Where `npm start` leaves the admin API's address and token for the admin CLI: .local/admin.json (0600), written
// at every start with the edge's base URL; the token is created once and kept across restarts.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { infra } from './infra-config.mjs';

export const adminFile = join(infra.home, 'admin.json');

/** The file's {baseUrl, adminToken}; {} when there is none. Throws on a file that is not JSON. */
export function readAdminFile() {
  let text;
  try {
    text = readFileSync(adminFile, 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT') return {};
    throw error;
  }
  try {
    const parsed = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    throw new Error(`${adminFile} is not JSON: delete it and run \`npm start\` again`);
  }
}

/** The token of the previous start, or a new one (32 random bytes, base64url). */
export function adminTokenForStart() {
  const previous = readAdminFile().adminToken;
  return typeof previous === 'string' && previous.length >= 32 ? previous : randomBytes(32).toString('base64url');
}

/** Write-then-rename with mode 0600: never half a file, never readable by others. */
export function writeAdminFile({ baseUrl, adminToken }) {
  mkdirSync(dirname(adminFile), { recursive: true, mode: 0o700 });
  const temporary = `${adminFile}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify({ baseUrl, adminToken }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    renameSync(temporary, adminFile);
  } finally {
    rmSync(temporary, { force: true });
  }
}
