/**
 * The `docker run` / `podman run` flag tables: which flags take a value and which are booleans, as
 * the real CLIs define them (docker 28 `docker run --help`, podman 5 `podman run --help`). Getting this
 * right is what makes `docker run -it --rm -v /:/host alpine sh` read `alpine` as the image.
 */

export type Tool = 'docker' | 'podman';

export interface FlagSpec {
  /** Long name without dashes. */
  long: string;
  short?: string;
  takesValue: boolean;
  /** Only this CLI knows the flag (the other rejects it). */
  only?: Tool;
}

/** `name` or `name/s` (short letter), `!docker` / `!podman` suffix: only that CLI. */
function table(takesValue: boolean, spec: string): FlagSpec[] {
  return spec
    .trim()
    .split(/\s+/)
    .map((entry) => {
      const [flag = '', only] = entry.split('!');
      const [long = '', short] = flag.split('/');
      return {
        long,
        takesValue,
        ...(short ? { short } : {}),
        ...(only ? { only: only as Tool } : {}),
      };
    });
}

const RUN_VALUE_FLAGS = table(
  true,
  `
  add-host annotation attach/a blkio-weight blkio-weight-device cap-add cap-drop cgroup-parent cgroupns
  cidfile cpu-count!docker cpu-percent!docker cpu-period cpu-quota cpu-rt-period cpu-rt-runtime
  cpu-shares/c cpus cpuset-cpus cpuset-mems detach-keys device device-cgroup-rule device-read-bps
  device-read-iops device-write-bps device-write-iops dns dns-option dns-opt!docker dns-search
  domainname!docker entrypoint env/e env-file expose gpus group-add health-cmd health-interval
  health-retries health-start-interval!docker health-start-period health-timeout hostname/h
  io-maxbandwidth!docker io-maxiops!docker ip ip6 ipc isolation!docker kernel-memory!docker label/l
  label-file link!docker link-local-ip!docker log-driver log-opt mac-address memory/m
  memory-reservation memory-swap memory-swappiness mount name network net network-alias
  net-alias!docker oom-score-adj pid pids-limit platform publish/p pull restart runtime!docker
  security-opt shm-size stop-signal stop-timeout storage-opt!docker sysctl tmpfs ulimit user/u userns
  uts volume/v volume-driver!docker volumes-from workdir/w

  arch!podman authfile!podman cgroup-conf!podman cgroups!podman chrootdirs!podman
  conmon-pidfile!podman creds!podman decryption-key!podman env-merge!podman gidmap!podman
  group-entry!podman health-log-destination!podman health-max-log-count!podman
  health-max-log-size!podman health-on-failure!podman health-startup-cmd!podman
  health-startup-interval!podman health-startup-retries!podman health-startup-success!podman
  health-startup-timeout!podman hostuser!podman hosts-file!podman image-volume!podman
  init-path!podman os!podman passwd-entry!podman personality!podman pidfile!podman pod!podman
  pod-id-file!podman preserve-fd!podman preserve-fds!podman rdt-class!podman requires!podman
  retry!podman retry-delay!podman sdnotify!podman seccomp-policy!podman secret!podman
  shm-size-systemd!podman subgidname!podman subuidname!podman systemd!podman timeout!podman tz!podman
  uidmap!podman umask!podman unsetenv!podman variant!podman
  `,
);

const RUN_BOOL_FLAGS = table(
  false,
  `
  detach/d disable-content-trust!docker help init interactive/i no-healthcheck oom-kill-disable
  privileged publish-all/P quiet/q read-only rm sig-proxy tty/t use-api-socket!docker

  env-host!podman http-proxy!podman no-hosts!podman passwd!podman read-only-tmpfs!podman
  replace!podman rmi!podman rootfs!podman tls-verify!podman
  `,
);

/** Flags of `docker` / `podman` / `nerdctl` before the subcommand (`docker --context x run`). */
const GLOBAL_VALUE_FLAGS = table(
  true,
  `
  config context/c host/H log-level/l tlscacert tlscert tlskey
  cgroup-manager conmon connection events-backend hooks-dir identity imagestore module
  network-cmd-path network-config-dir out root runroot runtime runtime-flag ssh storage-driver
  storage-opt tmpdir url volumepath
  namespace/n address snapshotter cni-path cni-netconfpath data-root host-gateway-ip hosts-dir
  `,
);
const GLOBAL_BOOL_FLAGS = table(
  false,
  `debug/D tls tlsverify help remote/r syslog noout transient-store insecure-registry debug-full
   experimental`,
);

function index(specs: FlagSpec[]): { long: Map<string, FlagSpec>; short: Map<string, FlagSpec> } {
  const long = new Map<string, FlagSpec>();
  const short = new Map<string, FlagSpec>();
  for (const s of specs) {
    long.set(s.long, s);
    if (s.short) short.set(s.short, s);
  }
  return { long, short };
}

export const RUN_FLAGS = index([...RUN_VALUE_FLAGS, ...RUN_BOOL_FLAGS]);
export const GLOBAL_FLAGS = index([...GLOBAL_VALUE_FLAGS, ...GLOBAL_BOOL_FLAGS]);

/** Go's strconv.ParseBool, which pflag uses for `--flag=value` on a boolean flag. */
export function parseGoBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}
