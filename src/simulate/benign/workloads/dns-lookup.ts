import type { BenignWorkload } from '../schema.js';

/** `getent ahosts db.internal`: the glibc resolver path every program's getaddrinfo takes. */
export const workload = {
  id: 'dns-lookup',
  title: 'DNS lookup through the glibc resolver',
  description:
    'getaddrinfo() as glibc performs it: read nsswitch.conf, /etc/hosts and resolv.conf, then ' +
    "query the container's name server (Docker's embedded DNS) over UDP port 53 and read the answer.",
  steps: [
    {
      why: 'The shell runs getent.',
      primitive: { kind: 'syscall', name: 'execve' },
    },
    {
      why: 'Executing getent.',
      primitive: { kind: 'file', path: '/usr/bin/getent', access: 'x' },
    },
    {
      why: 'glibc reads the name service order.',
      primitive: { kind: 'file', path: '/etc/nsswitch.conf', access: 'r' },
    },
    {
      why: 'glibc reads the resolver options (multi on).',
      primitive: { kind: 'file', path: '/etc/host.conf', access: 'r' },
    },
    {
      why: 'The files service looks in /etc/hosts first.',
      primitive: { kind: 'file', path: '/etc/hosts', access: 'r' },
    },
    {
      why: 'The dns service reads the name servers and search domains.',
      primitive: { kind: 'file', path: '/etc/resolv.conf', access: 'r' },
    },
    {
      why: 'glibc checks resolv.conf for changes before each query.',
      primitive: { kind: 'syscall', name: 'newfstatat' },
    },
    {
      why: 'The query goes over UDP.',
      primitive: { kind: 'network', domain: 'inet', type: 'dgram' },
    },
    {
      why: 'glibc res_send: socket(AF_INET, SOCK_DGRAM|SOCK_NONBLOCK|SOCK_CLOEXEC, 0).',
      primitive: { kind: 'syscall', name: 'socket', args: [2n, 0x80802n] },
    },
    {
      why: 'connect() the UDP socket to 127.0.0.11:53.',
      primitive: { kind: 'syscall', name: 'connect' },
    },
    {
      why: 'The A and AAAA queries are sent (single-request mode sends them one at a time).',
      primitive: { kind: 'syscall', name: 'sendto' },
    },
    {
      why: 'glibc waits for the answer with a timeout.',
      primitive: { kind: 'syscall', name: 'poll' },
    },
    {
      why: 'The answers are read.',
      primitive: { kind: 'syscall', name: 'recvfrom' },
    },
    {
      why: 'The socket is closed.',
      primitive: { kind: 'syscall', name: 'close' },
    },
    {
      why: 'getent prints the addresses.',
      primitive: { kind: 'syscall', name: 'write' },
    },
    {
      why: 'getent exits.',
      primitive: { kind: 'syscall', name: 'exit_group', args: [0n] },
    },
  ],
} satisfies BenignWorkload;
