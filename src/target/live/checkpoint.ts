// Named moments of live operations (the target frozen, coredump_filter changed, the inspector
// open, perf running). Each live operation awaits its checkpoints; normally they do nothing. The
// kill tests set NODESCOPE_TEST_STOP_AT to stop nodescope at one of them and kill it exactly there.

/** Role: awaited at a named moment of a live operation. */
export type Checkpoint = (name: string) => Promise<void>;

/** Role: the checkpoint that does nothing. */
export const NO_CHECKPOINT: Checkpoint = () => Promise.resolve();

/**
 * Role: the checkpoint of a nodescope run: at the moment named by `stopAt` it says so through
 * `say` and never resolves (the process stays alive until killed); elsewhere it does nothing.
 */
export function stoppingCheckpoint(stopAt: string | undefined, say: (line: string) => void): Checkpoint {
  if (stopAt === undefined || stopAt === '') return NO_CHECKPOINT;
  return (name) => {
    if (name !== stopAt) return Promise.resolve();
    say(`nodescope: test stop at ${name}\n`);
    return new Promise(() => {
      setInterval(() => undefined, 1 << 30);
    });
  };
}
