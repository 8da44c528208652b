import type { Technique } from '../schema.js';

/**
 * CVE-2021-21284. With --userns-remap, /var/lib/docker/<uid>.<gid> was owned by the remapped
 * root, so remapped root with access to it could plant files that dockerd, as real root, later
 * wrote or chowned with extended privileges.
 */
export const technique = {
  id: 'moby-userns-remap-root-escalation',
  title: 'Remapped root escalates to real root through the userns-remap data directory (CVE-2021-21284)',
  class: 'runtime',
  severity: 'medium',
  cves: ['CVE-2021-21284'],
  summary:
    'With --userns-remap, dockerd made the remapped root the owner of /var/lib/docker/<uid>.<gid> and its ' +
    'temporary directory. Root in a remapped container that can reach that tree (for example through a ' +
    'bind mount) modifies files there that dockerd, running as real root, later writes with extended ' +
    'privileges, turning remapped root into host root.',
  affected: [
    {
      component: 'moby',
      // Fixed in 19.03.15 and 20.10.3 ("Use real root with 0701 perms", 67de83e7 in v19.03.15 and
      // e908cc39 in v20.10.3). unverified: the advisory gives no first affected version.
      ranges: [
        { fixed: '19.03.15', lastAffected: '19.03.14' },
        { introduced: '20.10.0', fixed: '20.10.3', lastAffected: '20.10.2' },
      ],
      fixReference: 'https://github.com/moby/moby/pull/41964',
    },
  ],
  preconditions: {
    // The remapped data directory bind-mounted into the container (e.g. for a CI runner).
    hostPaths: ['/var/lib/docker'],
    attackerControls: ['container-process'],
  },
  chains: [
    {
      id: 'plant-in-remap-root',
      description: 'Modify the remapped data directory dockerd trusts, then let dockerd act on it.',
      steps: [
        {
          why: 'Remapped root owns /var/lib/docker/165536.165536, so it can replace entries there (seen in the container at its bind mount, /host-docker).',
          primitive: { kind: 'file', path: '/host-docker/165536.165536/tmp/payload', access: 'w' },
        },
        {
          why: 'dockerd, as real root, writes or chowns through the planted entry with extended privileges.',
          primitive: {
            kind: 'runtime',
            component: 'moby',
            action:
              'dockerd writes files as real root through entries planted in the userns-remap data directory',
          },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade Docker Engine to 19.03.15, 20.10.3 or later: the remap directory is owned by real root with mode 0701.',
    'Never bind-mount the Docker data directory into containers.',
  ],
  references: [
    'https://github.com/moby/moby/security/advisories/GHSA-7452-xqpj-6rpc',
    'https://github.com/moby/moby/pull/41964',
    'https://nvd.nist.gov/vuln/detail/CVE-2021-21284',
  ],
} satisfies Technique;
