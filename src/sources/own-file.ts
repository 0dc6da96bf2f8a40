// Reading a state file that decides what the agent reports (serve's last report, the cron commands' digest texts):
// only a regular file of this user or root that nobody else may write, opened without following a symbolic link.
// Whoever could plant such a file would choose our metrics, events or query texts.
import { constants, promises as fsPromises } from 'node:fs';
import { DbSentinelError } from '../core/errors';

/** Why a state file was refused or could not be read (its message names the file). */
export class OwnFileError extends DbSentinelError {}

/** The text of `file`; undefined when there is none; an OwnFileError when it is not ours alone or cannot be read. */
export async function readOwnFile(file: string): Promise<string | undefined> {
  let handle: fsPromises.FileHandle;
  try {
    handle = await fsPromises.open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error: unknown) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') return undefined;
    throw new OwnFileError(`cannot read ${file}: ${code ?? String(error)}`, { cause: error });
  }
  try {
    const stat = await handle.stat();
    const uid = process.getuid?.() ?? 0;
    if (!stat.isFile()) throw new OwnFileError(`${file} is not a regular file`);
    if (stat.uid !== uid && stat.uid !== 0) throw new OwnFileError(`${file} belongs to uid ${stat.uid}, not to this user or root`);
    if ((stat.mode & 0o022) !== 0) {
      throw new OwnFileError(`${file} may be written by others (mode ${(stat.mode & 0o777).toString(8)})`);
    }
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}
