/**
 * A benign workload: what an ordinary containerised program really does, as the same primitive
 * chain a catalogued technique is made of. The simulator runs every workload under every defence:
 * a defence that stops an escape but also stops one of these has broken a real application.
 *
 * Workloads run as root in the container with no capability beyond Docker's default set, and use
 * only what an application needs (no mount, no namespaces, no ptrace, no host processes). Paths are
 * as the kernel names them after resolution (Debian bookworm images: `/bin` is `/usr/bin`,
 * `/var/run` is `/run`, `/bin/sh` is dash; `/proc/1/...` rather than `/proc/self/...`).
 */
import { z } from 'zod';
import { stepSchema } from '../../catalog/schema.js';

export const benignWorkloadSchema = z
  .object({
    /** Stable kebab-case id, also the file name under `workloads/`. */
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
    title: z.string().min(1),
    /** What the program is and does, in a sentence or two. */
    description: z.string().min(1),
    /** The primitives in the order the program performs them; every one must be allowed for it to work. */
    steps: z.array(stepSchema).min(1),
  })
  .strict();
export type BenignWorkload = z.infer<typeof benignWorkloadSchema>;
