/**
 * The runtimes the real engine runs containers with: the bare OCI runtimes (an OCI bundle, run.ts)
 * or the daemons users run, started privately by the lab (daemon.ts). Kept apart so the CLI can
 * check `--runtime` without loading the lab.
 */
export const LAB_RUNTIMES = ['runc', 'crun', 'docker', 'podman'] as const;
export type LabRuntime = (typeof LAB_RUNTIMES)[number];
