import { hostMounts, normalizeHostPath, RUNTIME_SOCKETS, within } from '../registry-helpers.js';
import { type AuditCheck, eachContainer } from '../types.js';

export const runtimeSocketMount: AuditCheck<'socket' | 'socketDir'> = {
  meta: {
    id: 'runtime-socket-mount',
    description:
      "A container runtime's API socket (or the directory holding it) is mounted into the container.",
    severity: 'critical',
    remediation:
      'Do not mount runtime sockets; give the workload a narrower API (a socket proxy allowing only the calls it needs) or run it outside the container platform.',
    techniques: [
      'docker-socket-mounted',
      'containerd-socket-mounted',
      'crio-socket-mounted',
      'podman-socket-mounted',
      'moby-authz-zero-length-bypass',
    ],
    messages: {
      socket:
        '{{label}} mounts {{path}}, the {{runtime}} API: anyone in the container starts a privileged container with the host root mounted',
      socketDir:
        '{{label}} mounts {{path}}, which holds the {{runtime}} API socket ({{socket}}): the same as mounting the socket',
    },
  },
  run(ctx, report) {
    for (const { c, label } of eachContainer(ctx.workload))
      for (const m of hostMounts(c)) {
        const pos = m.source?.pos ?? m.target.pos;
        const exact = RUNTIME_SOCKETS.find(([s]) => normalizeHostPath(s) === m.host);
        if (exact) {
          report({ messageId: 'socket', data: { label, path: m.host, runtime: exact[1] }, pos });
          continue;
        }
        // a directory that contains a socket (but not `/`, which host-root-mount reports)
        const inside = m.host !== '/' ? RUNTIME_SOCKETS.find(([s]) => within(s, m.host)) : undefined;
        if (inside)
          report({
            messageId: 'socketDir',
            data: { label, path: m.host, runtime: inside[1], socket: inside[0] },
            pos,
          });
      }
  },
};
