import type { BenignWorkload } from '../schema.js';

/** A static Go binary calling an HTTPS API (net/http, crypto/tls, the pure-Go resolver). */
export const workload = {
  id: 'tls-client',
  title: 'TLS client (Go HTTPS request)',
  description:
    'A Go program makes an HTTPS request: the runtime starts its threads and netpoller, reads the ' +
    'transparent huge page size, resolves the name over UDP, connects over TCP, loads the system CA ' +
    'certificates from /etc/ssl/certs, and draws TLS randomness from getrandom.',
  steps: [
    {
      why: 'The runtime starts the binary.',
      primitive: { kind: 'syscall', name: 'execve' },
    },
    {
      why: 'Executing the application binary.',
      primitive: { kind: 'file', path: '/usr/local/bin/api-client', access: 'x' },
    },
    {
      why: 'The Go runtime sizes its scheduler from the CPU affinity mask.',
      primitive: { kind: 'syscall', name: 'sched_getaffinity' },
    },
    {
      why: 'The Go runtime reads the huge page size to align its heap.',
      primitive: { kind: 'file', path: '/sys/kernel/mm/transparent_hugepage/hpage_pmd_size', access: 'r' },
    },
    {
      why: 'The runtime installs its signal handlers (preemption uses SIGURG).',
      primitive: { kind: 'syscall', name: 'rt_sigaction' },
    },
    {
      why: 'Every thread gets an alternate signal stack.',
      primitive: { kind: 'syscall', name: 'sigaltstack' },
    },
    {
      why: 'The heap arenas are reserved with mmap.',
      primitive: { kind: 'syscall', name: 'mmap' },
    },
    {
      why: "New Ms (OS threads): Go's clone(CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_SYSVSEM|CLONE_THREAD).",
      primitive: { kind: 'syscall', name: 'clone', args: [0x50f00n] },
    },
    {
      why: 'Parked threads wait on futexes.',
      primitive: { kind: 'syscall', name: 'futex' },
    },
    {
      why: 'The netpoller is an epoll instance (EPOLL_CLOEXEC).',
      primitive: { kind: 'syscall', name: 'epoll_create1', args: [0x80000n] },
    },
    {
      why: 'The netpoller is woken through an eventfd (EFD_CLOEXEC|EFD_NONBLOCK).',
      primitive: { kind: 'syscall', name: 'eventfd2', args: [0n, 0x80800n] },
    },
    {
      why: 'The pure-Go resolver reads the name server list.',
      primitive: { kind: 'file', path: '/etc/resolv.conf', access: 'r' },
    },
    {
      why: 'It checks /etc/hosts first.',
      primitive: { kind: 'file', path: '/etc/hosts', access: 'r' },
    },
    {
      why: 'DNS goes over UDP.',
      primitive: { kind: 'network', domain: 'inet', type: 'dgram' },
    },
    {
      why: 'socket(AF_INET, SOCK_DGRAM|SOCK_NONBLOCK|SOCK_CLOEXEC, 0).',
      primitive: { kind: 'syscall', name: 'socket', args: [2n, 0x80802n] },
    },
    {
      why: 'The HTTPS connection is an IPv4 TCP socket.',
      primitive: { kind: 'network', domain: 'inet', type: 'stream' },
    },
    {
      why: 'socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC, IPPROTO_IP).',
      primitive: { kind: 'syscall', name: 'socket', args: [2n, 0x80801n] },
    },
    {
      why: 'Non-blocking connect() to port 443 (EINPROGRESS).',
      primitive: { kind: 'syscall', name: 'connect' },
    },
    {
      why: 'The netpoller waits for the connection.',
      primitive: { kind: 'syscall', name: 'epoll_pwait' },
    },
    {
      why: 'getsockopt(SO_ERROR) reports the connect result.',
      primitive: { kind: 'syscall', name: 'getsockopt', args: [7n, 1n, 4n] },
    },
    {
      why: 'crypto/x509 loads the system roots from the Debian bundle.',
      primitive: { kind: 'file', path: '/etc/ssl/certs/ca-certificates.crt', access: 'r' },
    },
    {
      why: 'The client random and the key share come from getrandom.',
      primitive: { kind: 'syscall', name: 'getrandom' },
    },
    {
      why: 'TLS records are written to the connection.',
      primitive: { kind: 'syscall', name: 'write' },
    },
    {
      why: 'TLS records are read from the connection.',
      primitive: { kind: 'syscall', name: 'read' },
    },
    {
      why: 'The program exits.',
      primitive: { kind: 'syscall', name: 'exit_group', args: [0n] },
    },
  ],
} satisfies BenignWorkload;
