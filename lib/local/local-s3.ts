/**
 * The local S3: the fauxqs emulator, reachable from this machine only, behind an endpoint that
 * answers only validly signed calls, as S3 does. fauxqs itself checks no signature (anyone who
 * reaches it could list and read every export); its own port is never handed out.
 */
import { Server } from 'node:net';
import { startFauxqs } from 'fauxqs';
import { startIamProxy } from './deployed/iam-proxy.ts';
import { checkS3Signature, signatureDecision } from './sigv4-check.ts';

export interface LocalS3Options {
  /** The signed endpoint's port (presigned links point here); 0 picks a free one. */
  readonly port: number;
  /** Where objects persist; undefined keeps them in memory. */
  readonly dataDir?: string;
  /** The credentials whose signatures the endpoint accepts: access key id to secret. */
  readonly credentials: Readonly<Record<string, string>>;
}

export interface LocalS3 {
  /** The signed endpoint: the S3 URL of the stack. */
  readonly url: string;
  /** fauxqs itself, unsigned: only for a front that checks signatures itself (the deployed mode's IAM proxy). */
  readonly emulatorUrl: string;
  stop(): Promise<void>;
}

export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  const emulator = await onLoopbackOnly(() =>
    startFauxqs({ port: 0, host: 'localhost', logger: false, ...(options.dataDir ? { dataDir: options.dataDir } : {}) }),
  );
  try {
    // Fail closed should a later fauxqs listen some other way.
    const bound = new URL(emulator.address).hostname;
    if (bound !== '127.0.0.1') throw new Error(`The S3 emulator listens on ${bound}, not on 127.0.0.1 only`);
    const emulatorUrl = `http://127.0.0.1:${emulator.port}`;
    const front = await startIamProxy({
      service: 's3',
      target: emulatorUrl,
      port: options.port,
      // Own keys only: "constructor" must not find Object's, a secret anyone can print.
      authorize: async (call) =>
        signatureDecision(
          checkS3Signature(call, (accessKeyId) => (Object.hasOwn(options.credentials, accessKeyId) ? options.credentials[accessKeyId] : undefined)),
        ),
    });
    return {
      url: `http://localhost:${new URL(front.url).port}`,
      emulatorUrl,
      stop: async () => {
        await front.stop().catch(() => undefined);
        await emulator.stop();
      },
    };
  } catch (error) {
    await emulator.stop().catch(() => undefined);
    throw error;
  }
}

const everyInterface = new Set(['0.0.0.0', '::', '']);

/**
 * fauxqs 2.4.1 listens on 0.0.0.0 whatever its `host` option says (dist/app.js). While `start`
 * runs, a listen on every interface (the only kind fauxqs makes) becomes one on 127.0.0.1.
 */
async function onLoopbackOnly<T>(start: () => Promise<T>): Promise<T> {
  const listen = Server.prototype.listen;
  Server.prototype.listen = function (this: Server, ...args: unknown[]) {
    const [first, second] = args;
    if (first !== null && typeof first === 'object' && 'port' in first && everyInterface.has(String((first as { host?: string }).host ?? ''))) {
      args[0] = { ...first, host: '127.0.0.1' };
    } else if (typeof first === 'number' && (typeof second !== 'string' || everyInterface.has(second))) {
      args.splice(1, typeof second === 'string' ? 1 : 0, '127.0.0.1');
    }
    return listen.apply(this, args as Parameters<typeof listen>);
  } as typeof listen;
  try {
    return await start();
  } finally {
    Server.prototype.listen = listen;
  }
}
