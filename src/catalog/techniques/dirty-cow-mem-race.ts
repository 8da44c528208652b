import { MADV_DONTNEED, PTRACE_POKETEXT } from '../constants.js';
import type { Technique } from '../schema.js';

/**
 * CVE-2016-5195 ("Dirty COW"). A race between a copy-on-write fault taken through
 * /proc/<pid>/mem or ptrace and madvise(MADV_DONTNEED) let the write reach the original read-only
 * page. From a container the classic escape patches the vDSO, which host processes share.
 */
export const technique = {
  id: 'dirty-cow-mem-race',
  title: 'Dirty COW: write read-only memory through a copy-on-write race (CVE-2016-5195)',
  class: 'kernel',
  severity: 'high',
  cves: ['CVE-2016-5195'],
  summary:
    'One thread writes a private read-only mapping through /proc/self/mem (or ptrace POKETEXT) while ' +
    'another discards the copied page with madvise(MADV_DONTNEED); the retried fault writes the original ' +
    'page. Containers use it to patch the vDSO page, shared with every host process, so the next host ' +
    'root process that calls into the vDSO runs a payload outside the container.',
  affected: [
    {
      component: 'kernel',
      // Introduced in 2.6.22-rc1 (0a27a14a), fixed by 19be0eaf in 4.9-rc2; stable fixes 3.12.66,
      // 3.16.38, 3.18.44, 4.1.35, 4.4.26, 4.7.9, 4.8.3 (nluedtke/linux_kernel_cves stream data).
      // unverified: 3.2.83 and 3.10.104 are reported as fixed elsewhere but that data set has no fix
      // for them, so the 3.2 and 3.10 branches stay inside the first range (treated as affected).
      ranges: [
        { introduced: '2.6.22-rc1', fixed: '3.12.66', lastAffected: '3.12.65' },
        { introduced: '3.13', fixed: '3.16.38', lastAffected: '3.16.37' },
        { introduced: '3.17', fixed: '3.18.44', lastAffected: '3.18.43' },
        { introduced: '3.19', fixed: '4.1.35', lastAffected: '4.1.34' },
        { introduced: '4.2', fixed: '4.4.26', lastAffected: '4.4.25' },
        { introduced: '4.5', fixed: '4.7.9', lastAffected: '4.7.8' },
        { introduced: '4.8', fixed: '4.8.3', lastAffected: '4.8.2' },
        { introduced: '4.9-rc1', fixed: '4.9-rc2', lastAffected: '4.9-rc1' },
      ],
      fixReference:
        'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=19be0eaffa3ac7d8eb6784ad9bdbc7d67ed8e619',
    },
  ],
  preconditions: {},
  chains: [
    {
      id: 'proc-mem',
      description: 'Race writes through /proc/self/mem against madvise(MADV_DONTNEED).',
      steps: [
        {
          why: 'Discard the private copy in a tight loop so the write fault is retried on the original page.',
          primitive: { kind: 'syscall', name: 'madvise', args: [0n, 0n, MADV_DONTNEED] },
        },
        {
          why: 'Write the mapping through the process own mem file; the kernel checks /proc/<pid>/mem, here the container init (pid 1), owned by the caller.',
          primitive: { kind: 'file', path: '/proc/1/mem', access: 'w', owner: true },
        },
      ],
    },
    {
      id: 'ptrace-poke',
      description: 'Race PTRACE_POKETEXT on a traced child against madvise(MADV_DONTNEED).',
      steps: [
        {
          why: 'Discard the private copy in a loop.',
          primitive: { kind: 'syscall', name: 'madvise', args: [0n, 0n, MADV_DONTNEED] },
        },
        {
          why: 'Poke the read-only page of a child that called PTRACE_TRACEME.',
          primitive: { kind: 'syscall', name: 'ptrace', args: [PTRACE_POKETEXT] },
        },
        {
          why: 'Tracing a process of the same container.',
          primitive: { kind: 'ptrace', access: 'trace', peer: 'container' },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade the kernel (4.8.3, 4.7.9, 4.4.26 or the fixed release of the branch).',
    'Denying ptrace and writes to /proc/*/mem in the container profile breaks both chains, though not the madvise race itself.',
  ],
  references: [
    'https://dirtycow.ninja/',
    'https://github.com/scumjr/dirtycow-vdso',
    'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=19be0eaffa3ac7d8eb6784ad9bdbc7d67ed8e619',
    'https://nvd.nist.gov/vuln/detail/CVE-2016-5195',
  ],
} satisfies Technique;
