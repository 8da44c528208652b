import { byRule } from '../../context.js';
import { RUNTIME_SOCKETS } from '../../probes.js';
import { at, type Check } from '../../types.js';

export const runtimeSocketReachable: Check<'socket'> = {
  meta: {
    id: 'runtime-socket-reachable',
    description:
      "A container runtime's API socket (docker, containerd, CRI-O, podman, buildkit) can be connected to.",
    severity: 'critical',
    remediation:
      'Deny the sockets: `deny /{,var/}run/{docker,containerd/containerd,crio/crio,podman/podman,buildkit/buildkitd}.sock* rw,` — and do not mount them into containers.',
    messages: {
      socket:
        "{{paths}} reachable through `{{rule}}` (connecting to a path socket needs file write): whoever talks to the runtime API starts a privileged container with the host's / mounted",
    },
  },
  run(ctx, report) {
    for (const g of byRule(RUNTIME_SOCKETS.map((p) => ctx.fileAllows(p, 'w')))) {
      const paths = g.allowed.map((a) => (a.query as { path: string }).path).join(', ');
      report({ messageId: 'socket', data: { rule: g.rule.text, paths }, pos: at(g.rule) });
    }
  },
};
