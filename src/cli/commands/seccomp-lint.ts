export async function run(_p: string, _o: unknown): Promise<void> {
  throw new Error('lint: not wired yet');
}
