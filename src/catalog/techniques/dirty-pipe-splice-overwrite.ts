import type { Technique } from '../schema.js';

/**
 * CVE-2022-0847 ("Dirty Pipe"). Pipe buffers spliced from the page cache kept a stale
 * PIPE_BUF_FLAG_CAN_MERGE, so data written to the pipe went into the cached page of a file the
 * writer could only read.
 */
export const technique = {
  id: 'dirty-pipe-splice-overwrite',
  title: 'Dirty Pipe: overwrite read-only files through splice (CVE-2022-0847)',
  class: 'kernel',
  severity: 'high',
  cves: ['CVE-2022-0847'],
  summary:
    'After splicing one byte of a file into a pipe whose buffers were primed with the CAN_MERGE flag, ' +
    'writes to the pipe land in the page cache of that file, even though it was opened read-only. From ' +
    'a container this overwrites the host runc binary while `runc exec` runs it in the container (the ' +
    'CVE-2019-5736 trick without needing write access), or any root-owned file the container can read.',
  affected: [
    {
      component: 'kernel',
      // Introduced in 5.8-rc1 (f6dd9755), fixed by 9d2231c5 in 5.17-rc6; stable fixes 5.10.102,
      // 5.15.25, 5.16.11 (nluedtke/linux_kernel_cves stream data; 5.11-5.14 never got a fix).
      ranges: [
        { introduced: '5.8-rc1', fixed: '5.10.102', lastAffected: '5.10.101' },
        { introduced: '5.11', fixed: '5.15.25', lastAffected: '5.15.24' },
        { introduced: '5.16', fixed: '5.16.11', lastAffected: '5.16.10' },
        { introduced: '5.17-rc1', fixed: '5.17-rc6', lastAffected: '5.17-rc5' },
      ],
      fixReference:
        'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=9d2231c5d74e13b2a0546fee6737ee4446017903',
    },
  ],
  preconditions: {},
  chains: [
    {
      id: 'runc-binary',
      description: 'Make runc exec run the host runc in the container, then overwrite its page cache.',
      steps: [
        {
          why: 'Replace a binary runc exec will run with `#!/proc/self/exe`, so the host runc binary runs inside the container.',
          primitive: { kind: 'file', path: '/bin/sh', access: 'w' },
        },
        {
          why: 'An operator runs runc exec; the kernel executes the host runc binary in the container.',
          primitive: {
            kind: 'runtime',
            component: 'runc',
            action: 'executes its own host binary inside the container during runc exec',
          },
        },
        {
          why: 'Opening /proc/<pid>/exe is a ptrace read check on that (container-labelled) process.',
          primitive: { kind: 'ptrace', access: 'read', peer: 'container' },
        },
        {
          why: 'A read-only open is enough: AppArmor checks the resolved host binary for r.',
          primitive: { kind: 'file', path: '/usr/bin/runc', access: 'r' },
        },
        {
          why: 'Create the pipe and fill then drain it so every buffer carries CAN_MERGE.',
          primitive: { kind: 'syscall', name: 'pipe2' },
        },
        {
          why: 'Splice one byte of the binary into the pipe; the next write() goes into its page cache.',
          primitive: { kind: 'syscall', name: 'splice' },
        },
      ],
    },
    {
      id: 'readonly-root-file',
      description:
        'Overwrite a root-owned file the container can only read (container root from a non-root user).',
      steps: [
        {
          why: 'Open the root-owned file read-only.',
          primitive: { kind: 'file', path: '/etc/passwd', access: 'r' },
        },
        {
          why: 'Prime a pipe.',
          primitive: { kind: 'syscall', name: 'pipe2' },
        },
        {
          why: 'Splice from the file and write the new contents into its page cache.',
          primitive: { kind: 'syscall', name: 'splice' },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade the kernel (5.16.11, 5.15.25, 5.10.102 or later).',
    'A seccomp profile that denies splice breaks the technique (Docker default allows it).',
  ],
  references: [
    'https://dirtypipe.cm4all.com/',
    'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=9d2231c5d74e13b2a0546fee6737ee4446017903',
    'https://nvd.nist.gov/vuln/detail/CVE-2022-0847',
  ],
} satisfies Technique;
