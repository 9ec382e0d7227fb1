/**
 * Test hook: a named step at which the node SIGKILLs itself, so a test can crash it exactly
 * there (kill -9 at a step no outside signal could hit reliably). Set once at start from
 * LOGWAY_FAILPOINT (read by server/config.ts); unset in production, where `hit` does nothing.
 *
 * Steps (server/coordinators/transactions/README.md "What is written when"):
 *   txn.after-prepare         PREPARE_* is in the catalog, no marker written yet
 *   txn.after-first-marker    one marker written (of a transaction touching two or more partitions)
 *   txn.before-complete       every marker written and the offsets committed, COMPLETE_* not yet
 */
export const FAILPOINTS = ['txn.after-prepare', 'txn.after-first-marker', 'txn.before-complete'] as const;
export type Failpoint = (typeof FAILPOINTS)[number];

export type FailpointHook = (name: Failpoint) => void;

export const NO_FAILPOINT: FailpointHook = () => undefined;

/** The hook for the configured failpoint: SIGKILLs this process when that step is reached. */
export function failpointFor(configured: string | null): FailpointHook {
  if (configured === null) return NO_FAILPOINT;
  return (name) => {
    if (name === configured) process.kill(process.pid, 'SIGKILL');
  };
}
