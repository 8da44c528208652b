#!/usr/bin/env node
/**
 * The breakwater command line: declares commands and flags, lazily imports one command module
 * per action, and maps errors to exit codes (0 clean, 1 findings at/above --fail-on, 2 usage or
 * parse error, 70 internal error). No logic lives here.
 */
import { Command, CommanderError, Option } from 'commander';
import { BreakwaterError, formatDiagnostic, ParseError, UsageError } from '../errors.js';

const format = (choices: string[], dflt: string) =>
  new Option('--format <format>', 'output format').choices(choices).default(dflt);
const failOn = () =>
  new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity')
    .choices(['none', 'info', 'low', 'medium', 'high', 'critical'])
    .default('high');
const contextOptions = (cmd: Command): Command =>
  cmd
    .option('--host-arch <arch>', 'host (native) architecture the container runs on', 'x86_64')
    .option('--caps <caps>', 'container capability set, comma separated (default: Docker default set)')
    .option('--kernel <version>', 'kernel version for minKernel rules', '6.1')
    .option('--known-syscalls <file>', "names the runtime's libseccomp knows (see `seccomp known`)")
    .addOption(
      new Option('--runtime <runtime>', 'runtime model').choices(['runc', 'libseccomp']).default('runc'),
    )
    .addOption(
      new Option('--profile-format <format>', 'input format')
        .choices(['auto', 'docker', 'oci', 'spo'])
        .default('auto'),
    );

export function buildProgram(): Command {
  const program = new Command('breakwater')
    .description('Defend Linux containers against escape: seccomp and AppArmor, audited and proved.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  const seccomp = program.command('seccomp').description('seccomp profiles: evaluate, lint, diff, tables');

  contextOptions(
    seccomp
      .command('eval')
      .description('decide what the kernel does for a syscall under a profile (runc -> libseccomp -> kernel)')
      .argument(
        '<profile>',
        'profile file (Docker JSON, OCI config.json or linux.seccomp, SPO YAML); - for stdin',
      )
      .option('--arch <arch>', 'architecture of the calling process', 'x86_64')
      .option('--syscall <name|nr>', 'syscall name or number')
      .option('--args <values>', 'up to six comma-separated 64-bit arguments (decimal or 0x..)')
      .option('--queries <file>', 'JSON lines {"arch","syscall","args","caps","kernel"}; - for stdin')
      .addOption(format(['table', 'json'], 'table')),
  ).action(async (profile: string, opts) => (await import('./commands/seccomp-eval.js')).run(profile, opts));

  seccomp
    .command('syscalls')
    .description('print the syscall table of an architecture')
    .requiredOption('--arch <arch>', 'architecture, e.g. x86_64, aarch64, SCMP_ARCH_X32')
    .addOption(format(['table', 'json'], 'table'))
    .action(async (opts) => (await import('./commands/seccomp-syscalls.js')).run(opts));

  contextOptions(
    seccomp
      .command('lint')
      .description('find rules that protect nothing, open escape syscalls, and drift from a baseline')
      .argument('<profile>', 'profile file; - for stdin')
      .option('--baseline <name|file>', 'docker-default, podman-default or a profile file', 'docker-default')
      .addOption(format(['table', 'json', 'sarif'], 'table'))
      .addOption(failOn()),
  ).action(async (profile: string, opts) => (await import('./commands/seccomp-lint.js')).run(profile, opts));

  contextOptions(
    seccomp
      .command('diff')
      .description('which syscalls and argument conditions change decision between two profiles, per arch')
      .argument('<a>', 'profile before')
      .argument('<b>', 'profile after')
      .addOption(format(['table', 'json'], 'table')),
  ).action(async (a: string, b: string, opts) =>
    (await import('./commands/seccomp-diff.js')).run(a, b, opts),
  );

  contextOptions(
    seccomp
      .command('print')
      .description('parse a profile and print it in a format (resolving Docker includes/excludes for OCI)')
      .argument('<profile>', 'profile file; - for stdin')
      .addOption(
        new Option('--to <format>', 'output format').choices(['docker', 'oci', 'spo']).default('docker'),
      ),
  ).action(async (profile: string, opts) => (await import('./commands/seccomp-print.js')).run(profile, opts));

  seccomp
    .command('known')
    .description("write the list of syscall names this host's libseccomp knows (for --known-syscalls)")
    .requiredOption('--from-resolver', 'ask scmp_sys_resolver (Debian package seccomp)')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (opts) => (await import('./commands/seccomp-known.js')).run(opts));

  const include = (help: string) =>
    new Option('-I, --include <dir>', help)
      .argParser((v: string, acc: string[] = []) => [...acc, v])
      .default([]);
  const apparmor = program
    .command('apparmor')
    .description('AppArmor profiles: format, check, evaluate, lint');
  apparmor
    .command('fmt')
    .description('print an AppArmor policy file in canonical form')
    .argument('<file>', 'policy file; - for stdin')
    .addOption(include('include directory (repeatable)'))
    .action(async (file: string, opts) => (await import('./commands/apparmor-fmt.js')).run(file, opts));
  apparmor
    .command('check')
    .description("validate an AppArmor policy file with Breakwater's own parser (exit 2 if invalid)")
    .argument('<file>', 'policy file; - for stdin')
    .addOption(include('include directory (repeatable; default /etc/apparmor.d)'))
    .addOption(format(['table', 'json'], 'table'))
    .action(async (file: string, opts) => (await import('./commands/apparmor-check.js')).run(file, opts));
  apparmor
    .command('eval')
    .description('decide what an AppArmor profile allows: one query from flags, or JSON lines with --queries')
    .argument('<file>', 'policy file; - for stdin')
    .addOption(include('include directory (repeatable; default /etc/apparmor.d)'))
    .option('--profile <name>', 'profile to evaluate when the file has several (parent//child for a child)')
    .option('--path <path>', 'file query: the path AppArmor checks (use with --perm)')
    .option('--perm <perms>', 'file permissions, e.g. r, rw, ix')
    .option('--owner', 'file query: the task owns the file (owner rules apply)')
    .option('--capability <name>', 'capability query, e.g. sys_admin')
    .option('--network <domain[,type]>', 'network query, e.g. alg,seqpacket')
    .option('--mount <spec>', 'mount query: "fstype=cgroup source=cgroup target=/tmp/x options=rw,nosuid"')
    .option('--queries <file>', 'JSON lines of queries ({"class":"file",...}); - for stdin')
    .addOption(format(['table', 'json'], 'table'))
    .action(async (file: string, opts) => (await import('./commands/apparmor-eval.js')).run(file, opts));
  apparmor
    .command('lint')
    .description(
      'find what an AppArmor profile lets through: host control files, mounts, runtime sockets, baseline drift',
    )
    .argument('<file>', 'policy file; - for stdin')
    .addOption(include('include directory (repeatable; default /etc/apparmor.d)'))
    .option('--profile <name>', 'lint only this profile (default: every top-level profile)')
    .option('--baseline <name|file>', 'docker-default or a policy file', 'docker-default')
    .option('--baseline-profile <name>', 'profile of the baseline file, when it has several')
    .option('--checks <ids>', 'run only these checks, comma separated')
    .addOption(format(['table', 'json', 'sarif'], 'table'))
    .addOption(failOn())
    .action(async (file: string, opts) => (await import('./commands/apparmor-lint.js')).run(file, opts));

  program
    .command('audit')
    .description(
      'which catalogued escapes Kubernetes YAML, compose files, docker run lines, docker inspect, OCI config.json and Dockerfiles open, and where',
    )
    .argument('<paths...>', 'files, folders (recursed), or - for stdin')
    .option('--kind <kind>', 'read every input as this kind instead of detecting it')
    .option('--checks <ids>', 'run only these checks, comma separated')
    .addOption(format(['table', 'json', 'sarif'], 'table'))
    .addOption(failOn())
    .action(async (paths: string[], opts) => (await import('./commands/audit.js')).run(paths, opts));

  program
    .command('host')
    .description(
      "which catalogued CVEs this host's runc, containerd, docker, CRI-O, podman, kubelet and kernel versions are exposed to",
    )
    .option(
      '--versions <file>',
      'JSON of versions ({"runc":"1.1.5","kernel":"5.15.0",...}) instead of asking the local binaries',
    )
    .option('--root <dir>', 'filesystem root to read kernel features and /etc/docker/daemon.json from', '/')
    .option(
      '--probe',
      'also ask the installed binaries by behaviour: run harmless re-creations (e.g. does this runc honour a cwd of /proc/self/fd/N?) in throwaway containers; needs root',
    )
    .addOption(format(['table', 'json'], 'table'))
    .addOption(failOn())
    .action(async (opts) => (await import('./commands/host.js')).run(opts));

  program
    .command('simulate')
    .description(
      'every catalogued escape and benign workload under each defence: blocked or not, and by which rule',
    )
    .option(
      '--defence <id>',
      'built-in defence: none, docker-default, breakwater (repeatable; default all)',
      (v: string, acc: string[] = []) => [...acc, v],
      [],
    )
    .option('--seccomp <file>', 'add a custom defence with this seccomp profile')
    .option('--apparmor <file>', 'add a custom defence with this AppArmor profile')
    .option('--apparmor-profile <name>', 'profile of the AppArmor file, when it has several')
    .option('--caps <list>', "custom defence's capabilities, comma separated (default: Docker's)")
    .addOption(format(['table', 'json', 'html'], 'table'))
    .option('--out <dir>', 'where to write report.json and report.html', 'breakwater-report')
    .option('--no-write', 'do not write report files')
    .option(
      '--engine <engine>',
      'model (default), or real: also run every step the lab can perform in real containers and compare',
    )
    .option(
      '--runtime <runtime>',
      'with --engine real: runc (default), crun, or docker / podman (a private dockerd or podman storage, started and removed by the lab)',
    )
    .option(
      '--suite <suite>',
      'techniques (default: every catalogued technique and benign workload), or procedures: the re-created vulnerable management procedures (lab/vulnerable) under none, docker-default, breakwater and breakwater+management; with --engine real they run in an AppArmor VM',
    )
    .action(async (opts) => (await import('./commands/simulate.js')).run(opts));

  program
    .command('harden')
    .description(
      'write the generated defence: for PATH... the patched manifests/compose files/docker run lines with per-workload profiles (and SPO objects); without PATH a generic seccomp.json, apparmor.profile, runtime.json, provenance.json',
    )
    .argument(
      '[paths...]',
      'Kubernetes YAML, compose files, docker run lines (folders recursed, - for stdin)',
    )
    .requiredOption('--out <dir>', 'output directory')
    .option('--name <name>', 'AppArmor profile name', 'breakwater-default')
    .option('--caps <list>', 'capabilities the workload needs, comma separated (default: a generic set)')
    .option('--read-only-rootfs', 'the workload writes only to volumes')
    .option(
      '--deny-setuid-chmod',
      'refuse chmod with setuid/setgid bits (for containers without a user namespace)',
    )
    .action(async (paths: string[], opts) => (await import('./commands/harden.js')).run(opts, paths));

  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const program = buildProgram();
    let code = 0;
    program.hook('postAction', (_this, action) => {
      code = Number(action.getOptionValue('__exitCode') ?? 0);
    });
    await program.parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? code : Number(process.exitCode);
  } catch (e) {
    return reportError(e);
  }
}

function reportError(e: unknown): number {
  if (e instanceof CommanderError) {
    // help and version are not errors; commander already printed them
    return e.exitCode === 0 ? 0 : 2;
  }
  if (e instanceof ParseError) {
    for (const d of e.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    return 2;
  }
  if (e instanceof UsageError || e instanceof BreakwaterError) {
    process.stderr.write(`breakwater: ${e.message}\n`);
    return 2;
  }
  if (e instanceof Error && (e as NodeJS.ErrnoException).code === 'ENOENT') {
    process.stderr.write(`breakwater: ${e.message}\n`);
    return 2;
  }
  process.stderr.write(
    `breakwater: internal error: ${e instanceof Error ? e.message : String(e)} (this is a bug; please report it)\n`,
  );
  if (process.env.BREAKWATER_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  return 70;
}

if (process.argv[1] && /main\.(ts|js)$/.test(process.argv[1])) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
