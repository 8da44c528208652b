import { CLONE_NEWNS, CLONE_NEWUSER, FSCONFIG_SET_STRING } from '../constants.js';
import type { Technique } from '../schema.js';

/**
 * CVE-2022-0185. legacy_parse_param() checked the accumulated option length with an unsigned
 * subtraction that could wrap, so fsconfig() strings overflowed a 4 KiB heap buffer.
 */
export const technique = {
  id: 'fsconfig-heap-overflow',
  title: 'fs_context legacy_parse_param heap overflow via fsconfig (CVE-2022-0185)',
  class: 'kernel',
  severity: 'high',
  cves: ['CVE-2022-0185'],
  summary:
    'fsconfig(FSCONFIG_SET_STRING) on a filesystem context using the legacy parser (e.g. ext4 at the ' +
    'time) appended options to a one-page buffer with a length check that underflowed, giving a heap ' +
    'overflow. CAP_SYS_ADMIN in any user namespace is enough to call fsopen(), so a container that can ' +
    'create a user namespace (or holds CAP_SYS_ADMIN) gets kernel code execution and leaves the container.',
  affected: [
    {
      component: 'kernel',
      // Introduced in 5.1-rc1 (3e1aeb00), fixed by 722d9484 in 5.17-rc1; stable fixes 5.4.173,
      // 5.10.93, 5.15.16, 5.16.2 (nluedtke/linux_kernel_cves stream data).
      ranges: [
        { introduced: '5.1-rc1', fixed: '5.4.173', lastAffected: '5.4.172' },
        { introduced: '5.5', fixed: '5.10.93', lastAffected: '5.10.92' },
        { introduced: '5.11', fixed: '5.15.16', lastAffected: '5.15.15' },
        { introduced: '5.16', fixed: '5.16.2', lastAffected: '5.16.1' },
      ],
      fixReference:
        'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=722d94847de29310e8aa03fcbdb41fc92c521756',
    },
  ],
  preconditions: {},
  chains: [
    {
      id: 'userns-fsopen',
      description: 'Gain CAP_SYS_ADMIN in a new user namespace, then overflow through fsconfig.',
      steps: [
        {
          why: 'A new user and mount namespace give CAP_SYS_ADMIN over the mount namespace fsopen() checks.',
          primitive: { kind: 'syscall', name: 'unshare', args: [CLONE_NEWUSER | CLONE_NEWNS] },
        },
        {
          why: 'Open a filesystem context for a filesystem that still used the legacy option parser.',
          primitive: { kind: 'syscall', name: 'fsopen' },
        },
        {
          why: 'Groom the kmalloc-4k cache with msg_msg objects to turn the overflow into a read/write primitive.',
          primitive: { kind: 'syscall', name: 'msgsnd' },
        },
        {
          why: 'Append option strings until the length check wraps and the copy overflows the buffer (fd 3 is the fsopen context).',
          primitive: { kind: 'syscall', name: 'fsconfig', args: [3n, FSCONFIG_SET_STRING] },
        },
      ],
    },
    {
      id: 'cap-sys-admin-fsopen',
      description: 'A container already granted CAP_SYS_ADMIN calls fsopen directly.',
      steps: [
        {
          why: 'fsopen() requires CAP_SYS_ADMIN over the caller mount namespace.',
          primitive: { kind: 'capability', name: 'sys_admin' },
        },
        {
          why: 'Open a filesystem context using the legacy parser.',
          primitive: { kind: 'syscall', name: 'fsopen' },
        },
        {
          why: 'Overflow the option buffer.',
          primitive: { kind: 'syscall', name: 'fsconfig', args: [3n, FSCONFIG_SET_STRING] },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade the kernel (5.16.2, 5.15.16, 5.10.93, 5.4.173 or later).',
    "Deny unshare(CLONE_NEWUSER) and fsopen/fsconfig in seccomp (Docker's default allows neither without CAP_SYS_ADMIN); disable unprivileged user namespaces (kernel.unprivileged_userns_clone=0).",
  ],
  references: [
    'https://www.willsroot.io/2022/01/cve-2022-0185.html',
    'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=722d94847de29310e8aa03fcbdb41fc92c521756',
    'https://nvd.nist.gov/vuln/detail/CVE-2022-0185',
  ],
} satisfies Technique;
