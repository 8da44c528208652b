export async function run(): Promise<void> {
  throw new Error('lint: not wired yet');
}
