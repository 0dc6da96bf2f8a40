// Running the OS tools of db_check: a missing tool names the Debian package that provides it, and every command
// is bounded (sampling tools by the sample interval plus check.command_timeout_seconds).
import type { CollectContext } from '../collector';
import type { CheckCommandConfig } from '../../core/check-config';
import { CommandError } from '../../core/errors';
import type { CommandResult } from '../../sources/exec';

export const DEBIAN_PACKAGE: Record<string, string> = {
  vmstat: 'procps',
  free: 'procps',
  iostat: 'sysstat',
  systemctl: 'systemd',
};

export type ToolTimeout = 'sampling' | 'plain';

export function toolTimeoutMs(context: CollectContext<CheckCommandConfig>, kind: ToolTimeout): number {
  const { sample_seconds: sample, command_timeout_seconds: timeout } = context.config.check;
  return Math.round((kind === 'sampling' ? sample + timeout : timeout) * 1000);
}

export async function runTool(
  context: CollectContext<CheckCommandConfig>, command: string, args: readonly string[], kind: ToolTimeout,
  acceptExitCodes?: readonly number[],
): Promise<CommandResult> {
  try {
    return await context.exec(command, args, {
      timeoutMs: toolTimeoutMs(context, kind),
      ...(acceptExitCodes ? { acceptExitCodes } : {}),
    });
  } catch (error: unknown) {
    if (error instanceof CommandError && error.failure === 'not_found') {
      const pkg = DEBIAN_PACKAGE[command] ?? command;
      throw new CommandError(command, 'not_found',
        `${command}: not installed (not found in PATH); install the Debian package ${pkg}`, { cause: error });
    }
    throw error;
  }
}
