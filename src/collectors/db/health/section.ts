// One health section of a database: its failure is recorded under the section's name in health.unavailable (what
// the checks report as unknown) and as a problem of the database, with the GRANT when a privilege is missing.
import type { DatabaseReport } from '../../../core/report';
import { problemFromError } from '../common';

export async function section<T>(report: DatabaseReport, unavailable: Record<string, string>, name: string,
  remedy: string | null, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error: unknown) {
    const problem = problemFromError(name, error);
    const denied = problem.code === 'permission_denied' && remedy !== null;
    if (denied) problem.remedy = remedy;
    report.problems.push(problem);
    unavailable[name] = denied ? `${problem.message} (${remedy})` : problem.message;
    return undefined;
  }
}
