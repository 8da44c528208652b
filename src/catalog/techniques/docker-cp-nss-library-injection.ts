import type { Technique } from '../schema.js';

/**
 * CVE-2019-14271. `docker cp` runs a docker-tar helper that chroots into the container's root and
 * whose glibc then loads libnss_*.so from the container, as root on the host.
 */
export const technique = {
  id: 'docker-cp-nss-library-injection',
  title: 'docker cp loads NSS libraries from the container (CVE-2019-14271)',
  class: 'runtime',
  severity: 'critical',
  cves: ['CVE-2019-14271'],
  summary:
    "`docker cp` runs the daemon's docker-tar helper chrooted into the container filesystem. Its glibc " +
    'loads the NSS modules (libnss_files.so.2...) lazily, after the chroot, so it loads them from the ' +
    'container: a container that replaced those libraries runs code as root on the host, outside any ' +
    'namespace or profile, as soon as someone copies a file out of it.',
  affected: [
    {
      component: 'moby',
      ranges: [
        // The advisory names 19.03.0 only (fixed 19.03.1, fa8dd90c).
        { introduced: '19.03.0', fixed: '19.03.1', lastAffected: '19.03.0' },
        // unverified: the chrooted tar came to 18.09 with the CVE-2018-15664 backport in 18.09.7, and
        // the same NSS fix was backported to 18.09 (moby PR #305 "cve-2019-14271-1809", first tag
        // v18.09.9); the advisory itself does not list 18.09.7-18.09.8.
        { introduced: '18.09.7', fixed: '18.09.9', lastAffected: '18.09.8' },
      ],
      fixReference: 'https://github.com/moby/moby/pull/39612',
    },
  ],
  preconditions: {
    // No noUserNamespace: the daemon's copy helper runs as host root whatever the container's
    // user namespace (measured in the lab: the attack reaches its canary with one).
    attackerControls: ['container-process', 'image'],
    needsHostAction: 'an operator runs `docker cp` from or to the container',
  },
  chains: [
    {
      id: 'nss-module',
      description: 'Plant a malicious NSS module, wait for docker cp.',
      steps: [
        {
          why: 'Replace the NSS module glibc will dlopen with a library whose constructor runs the payload.',
          primitive: { kind: 'file', path: '/lib/x86_64-linux-gnu/libnss_files.so.2', access: 'w' },
        },
        {
          why: 'docker-tar chroots into the container root and its glibc loads the planted module as host root.',
          primitive: {
            kind: 'runtime',
            component: 'moby',
            action: 'docker cp helper loads NSS libraries from the container root',
            // Chrooted, but AppArmor sees the path from the namespace root: the overlay2 directory.
            performs: [
              {
                by: 'cp-helper',
                request: {
                  class: 'file',
                  path: '/var/lib/docker/overlay2/0123abcd/merged/lib/x86_64-linux-gnu/libnss_files.so.2',
                  perms: 'm',
                },
              },
            ],
          },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade Docker Engine to 19.03.1 or later (18.09.9 on the 18.09 branch): NSS is initialised before the chroot.',
    'Do not `docker cp` from untrusted containers; user namespaces (userns-remap) limit the helper.',
  ],
  references: [
    'https://github.com/moby/moby/issues/39449',
    'https://github.com/moby/moby/pull/39612',
    'https://github.com/advisories/GHSA-v2cv-wwxq-qq97',
    'https://unit42.paloaltonetworks.com/docker-patched-the-most-severe-copy-vulnerability-to-date-with-cve-2019-14271/',
    'https://nvd.nist.gov/vuln/detail/CVE-2019-14271',
  ],
} satisfies Technique;
