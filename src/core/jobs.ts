/**
 * Hooks for long jobs (clustering a data set, a reclaim run, a batch over payment plans): an
 * `AbortSignal` that stops the job, and an `onProgress` callback told how far it got. Both are
 * optional and read once; a callback that throws is ignored (the job goes on), and a job never
 * throws because of its hooks.
 */
import { z } from 'zod';

/** How far a job got: its phase (see `JOB_PHASES`), the units of that phase done, and their total when known. */
export interface JobProgress {
  /** `reading` records, `counting` values, `comparing` blocks, `clustering` pairs, `scanning` a pool, `planning` plans. */
  readonly phase: JobPhase;
  /** Units of the phase done so far (records read, blocks compared, records scanned, plans read). */
  readonly done: number;
  /** Units of the phase in all, when the job knows it. */
  readonly total?: number;
}

/** The phases a job reports. */
export const JOB_PHASES = Object.freeze(['reading', 'counting', 'comparing', 'clustering', 'scanning', 'planning'] as const);
/** A phase of a job. */
export type JobPhase = (typeof JOB_PHASES)[number];

/** The hooks a long job takes in its options. */
export interface JobHooks {
  /** Stops the job once aborted: checked between units of work (a pure job answers `ABORTED`; a job that writes stops and says so). */
  readonly signal?: AbortSignal;
  /** Told how far the job got, at least once per phase and every few hundred units; a callback that throws is ignored. */
  readonly onProgress?: (progress: JobProgress) => void;
}

/** The signal's `aborted`, read once (undefined when it is not a boolean or the read throws). */
function readAborted(signal: object): boolean | undefined {
  try {
    const a: unknown = (signal as { aborted?: unknown }).aborted;
    return typeof a === 'boolean' ? a : undefined;
  } catch {
    return undefined;
  }
}

/** The zod fields of the two hooks, for a job's options schema (internal). */
export const jobHooksShape = {
  signal: z.custom<AbortSignal>((v) => typeof v === 'object' && v !== null && readAborted(v) !== undefined, 'expected an AbortSignal').optional(),
  onProgress: z.custom<(progress: JobProgress) => void>((v) => typeof v === 'function', 'expected a function').optional(),
};

/** A job's view of its hooks: whether to stop, and a safe progress report (internal). */
export interface JobControl {
  /** True once the signal is aborted (read each time; a signal that throws counts as aborted). */
  stopped(): boolean;
  /** Reports progress; a callback that throws is ignored. */
  report(phase: JobPhase, done: number, total?: number): void;
}

/**
 * The control of a job from its parsed hooks (internal).
 *
 * @example
 * const job = jobControl({ signal: controller.signal }); if (job.stopped()) return refuse('ABORTED', { phase: 'reading', done: 0 });
 */
export function jobControl(hooks: { readonly signal?: AbortSignal | undefined; readonly onProgress?: ((p: JobProgress) => void) | undefined }): JobControl {
  const signal = hooks.signal;
  const onProgress = hooks.onProgress;
  return {
    stopped: () => {
      if (signal === undefined) return false;
      const a = readAborted(signal);
      return a !== false;
    },
    report: (phase, done, total) => {
      if (onProgress === undefined) return;
      try {
        onProgress(Object.freeze(total === undefined ? { phase, done } : { phase, done, total }));
      } catch {
        // a host's callback that throws does not stop the job
      }
    },
  };
}
