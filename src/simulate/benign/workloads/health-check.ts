import type { BenignWorkload } from '../schema.js';

/** Docker HEALTHCHECK `CMD curl -fsS http://127.0.0.1:8080/healthz && grep -q '^State:.[RS]' /proc/1/status`. */
export const workload = {
  id: 'health-check',
  title: 'Health check (curl to localhost)',
  description:
    'A HEALTHCHECK command run in the container: /bin/sh -c runs curl against the application on ' +
    '127.0.0.1:8080, then checks the main process state in /proc/1/status.',
  steps: [
    {
      why: 'The runtime execs the check command: sh -c "...".',
      primitive: { kind: 'syscall', name: 'execve' },
    },
    {
      why: 'Executing /bin/sh (dash).',
      primitive: { kind: 'file', path: '/usr/bin/dash', access: 'x' },
    },
    {
      why: 'The shell forks curl.',
      primitive: { kind: 'syscall', name: 'clone', args: [0x1200011n] },
    },
    {
      why: 'Executing curl.',
      primitive: { kind: 'file', path: '/usr/bin/curl', access: 'x' },
    },
    {
      why: 'The loader maps libcurl executable.',
      primitive: { kind: 'file', path: '/usr/lib/x86_64-linux-gnu/libcurl.so.4.8.0', access: 'rm' },
    },
    {
      why: 'Resolving 127.0.0.1 still reads the hosts file.',
      primitive: { kind: 'file', path: '/etc/hosts', access: 'r' },
    },
    {
      why: 'The request is an IPv4 TCP connection.',
      primitive: { kind: 'network', domain: 'inet', type: 'stream' },
    },
    {
      why: 'socket(AF_INET, SOCK_STREAM, IPPROTO_TCP).',
      primitive: { kind: 'syscall', name: 'socket', args: [2n, 1n, 6n] },
    },
    {
      why: 'curl sets TCP_NODELAY (IPPROTO_TCP, TCP_NODELAY).',
      primitive: { kind: 'syscall', name: 'setsockopt', args: [3n, 6n, 1n] },
    },
    {
      why: 'connect() to 127.0.0.1:8080.',
      primitive: { kind: 'syscall', name: 'connect' },
    },
    {
      why: 'curl waits for the socket.',
      primitive: { kind: 'syscall', name: 'poll' },
    },
    {
      why: 'The HTTP request is sent.',
      primitive: { kind: 'syscall', name: 'sendto' },
    },
    {
      why: 'The response is read.',
      primitive: { kind: 'syscall', name: 'recvfrom' },
    },
    {
      why: 'The shell waits for curl.',
      primitive: { kind: 'syscall', name: 'wait4' },
    },
    {
      why: 'The shell then runs grep.',
      primitive: { kind: 'file', path: '/usr/bin/grep', access: 'x' },
    },
    {
      why: 'grep reads the main process state.',
      primitive: { kind: 'file', path: '/proc/1/status', access: 'r' },
    },
    {
      why: 'The check exits 0 (healthy).',
      primitive: { kind: 'syscall', name: 'exit_group', args: [0n] },
    },
  ],
} satisfies BenignWorkload;
