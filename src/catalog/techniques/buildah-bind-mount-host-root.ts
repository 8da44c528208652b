import type { Technique } from '../schema.js';

/**
 * CVE-2024-1753. Buildah (and podman build) resolved the source of `RUN --mount=type=bind,from=`
 * on the host through a symlink in the "from" image, so a build step could mount the host root.
 */
export const technique = {
  id: 'buildah-bind-mount-host-root',
  title: 'Host filesystem bind-mounted into a build step by buildah (CVE-2024-1753)',
  class: 'runtime',
  severity: 'high',
  cves: ['CVE-2024-1753'],
  summary:
    'A Containerfile uses `RUN --mount=type=bind,from=<image>,source=<link>,rw`, where the named image holds ' +
    'a symlink to /. Buildah resolves the mount source on the host through that symlink and bind-mounts the ' +
    'host root read-write into the RUN step, whose commands then write host files.',
  affected: [
    {
      component: 'buildah',
      // Upstream advisory: fixed in 1.35.1 (OSV "< 1.35.1"). The fix was also released on older
      // branches (containers/buildah tags: 1.24.7, 1.26.7, 1.27.4, 1.29.3, 1.31.5, 1.32.3, 1.33.7,
      // 1.34.2); branches between them (1.25, 1.28, 1.30) got no fix and fall in the next range.
      ranges: [
        { fixed: '1.24.7', lastAffected: '1.24.6' },
        { introduced: '1.25.0', fixed: '1.26.7', lastAffected: '1.26.6' },
        { introduced: '1.27.0', fixed: '1.27.4', lastAffected: '1.27.3' },
        { introduced: '1.28.0', fixed: '1.29.3', lastAffected: '1.29.2' },
        { introduced: '1.30.0', fixed: '1.31.5', lastAffected: '1.31.4' },
        { introduced: '1.32.0', fixed: '1.32.3', lastAffected: '1.32.2' },
        { introduced: '1.33.0', fixed: '1.33.7', lastAffected: '1.33.6' },
        { introduced: '1.34.0', fixed: '1.34.2', lastAffected: '1.34.1' },
        { introduced: '1.35.0', fixed: '1.35.1', lastAffected: '1.35.0' },
      ],
      fixReference: 'https://github.com/containers/buildah/security/advisories/GHSA-pmf3-c36m-g5cf',
    },
    {
      component: 'podman',
      // `podman build` embeds buildah: GHSA-874v-pj72-92f3, fixed in 4.9.4 and 5.0.1.
      ranges: [
        { fixed: '4.9.4', lastAffected: '4.9.3' },
        { introduced: '5.0.0', fixed: '5.0.1', lastAffected: '5.0.0' },
      ],
      fixReference: 'https://github.com/containers/podman/security/advisories/GHSA-874v-pj72-92f3',
    },
  ],
  preconditions: {
    attackerControls: ['dockerfile', 'image'],
  },
  chains: [
    {
      id: 'bind-from-symlink',
      description: 'Mount the host root through a symlink in the "from" image, then write host files.',
      steps: [
        {
          why: 'Buildah resolves the bind source through the image symlink on the host and mounts / read-write at /host in the RUN step.',
          primitive: {
            kind: 'runtime',
            component: 'buildah',
            action: 'bind-mounts a RUN --mount source resolved through an image symlink on the host',
          },
        },
        {
          why: 'The RUN step writes a host file through the mount.',
          primitive: { kind: 'file', path: '/host/etc/cron.d/escape', access: 'w' },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade buildah to 1.35.1 (or the fixed release of its branch) and podman to 4.9.4 / 5.0.1 or later.',
    'Build untrusted Containerfiles only rootless or in a throwaway VM.',
  ],
  references: [
    'https://github.com/containers/buildah/security/advisories/GHSA-pmf3-c36m-g5cf',
    'https://github.com/containers/podman/security/advisories/GHSA-874v-pj72-92f3',
    'https://bugzilla.redhat.com/show_bug.cgi?id=2265513',
    'https://nvd.nist.gov/vuln/detail/CVE-2024-1753',
  ],
} satisfies Technique;
