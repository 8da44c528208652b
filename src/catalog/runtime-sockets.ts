/**
 * Where container runtimes serve their APIs on the host. One list for the audit (a mounted socket),
 * the AppArmor lint (a profile that lets a container reach one) and the simulation model (a socket
 * is only there when mounted).
 */
export type SocketRuntime = 'docker' | 'containerd' | 'cri-o' | 'podman' | 'buildkit';

export const RUNTIME_SOCKET_PATHS: ReadonlyArray<{ path: string; runtime: SocketRuntime }> = [
  { path: '/var/run/docker.sock', runtime: 'docker' },
  { path: '/run/docker.sock', runtime: 'docker' },
  { path: '/run/containerd/containerd.sock', runtime: 'containerd' },
  { path: '/run/containerd/containerd.sock.ttrpc', runtime: 'containerd' },
  { path: '/var/run/containerd/containerd.sock', runtime: 'containerd' },
  { path: '/run/crio/crio.sock', runtime: 'cri-o' },
  { path: '/var/run/crio/crio.sock', runtime: 'cri-o' },
  { path: '/run/podman/podman.sock', runtime: 'podman' },
  { path: '/var/run/podman/podman.sock', runtime: 'podman' },
  { path: '/run/buildkit/buildkitd.sock', runtime: 'buildkit' },
];
