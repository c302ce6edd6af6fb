// autocannon ships no types; the bench uses only its promise API and the 'response' event.
declare module 'autocannon' {
  const autocannon: (
    options: Record<string, unknown>,
  ) => Promise<any> & { on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, responseTime: number) => void): void };
  export default autocannon;
}
