/**
 * A local Secrets Manager for what the functions call: GetSecretValue and DescribeSecret, in the
 * JSON 1.1 protocol (POST /, `X-Amz-Target: secretsmanager.<Operation>`), so the real
 * `@aws-sdk/client-secrets-manager` works against it with only `endpoint` changed. A SecretId is
 * matched as AWS matches it: the name, the full ARN, or the ARN without its random 6-character
 * suffix. Each secret has one version, AWSCURRENT; `put` replaces it with a new one.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalSecret {
  readonly name: string;
  /** arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters> */
  readonly arn: string;
  readonly value: string;
}

export interface SecretsManagerEmulator {
  readonly url: string;
  /** Adds a secret, or gives an existing one (same name) a new current version. */
  put(secret: LocalSecret): void;
  stop(): Promise<void>;
}

export interface SecretsManagerEmulatorOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly secrets?: readonly LocalSecret[];
}

interface StoredSecret extends LocalSecret {
  readonly versionId: string;
  /** Epoch seconds, as the JSON protocol carries timestamps. */
  readonly createdDate: number;
  readonly versionCreatedDate: number;
}

/** A protocol error: HTTP 400 with `__type`, which the SDK turns into its typed exception. */
class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const notFound = () => new ApiError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
/** The random suffix Secrets Manager appends to a secret's name in its ARN. */
const arnSuffix = /-[A-Za-z0-9]{6}$/;

export async function startSecretsManagerEmulator(options: SecretsManagerEmulatorOptions = {}): Promise<SecretsManagerEmulator> {
  const secrets = new Map<string, StoredSecret>();
  const put = (secret: LocalSecret): void => {
    const now = Date.now() / 1000;
    const previous = secrets.get(secret.name);
    secrets.set(secret.name, {
      name: secret.name,
      arn: secret.arn,
      value: secret.value,
      versionId: randomUUID(),
      createdDate: previous?.createdDate ?? now,
      versionCreatedDate: now,
    });
  };
  for (const secret of options.secrets ?? []) put(secret);

  const find = (secretId: unknown): StoredSecret => {
    if (typeof secretId !== 'string' || secretId.length === 0) {
      throw new ApiError('ValidationException', "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null");
    }
    for (const secret of secrets.values()) {
      if (secret.name === secretId || secret.arn === secretId || (arnSuffix.test(secret.arn) && secret.arn.replace(arnSuffix, '') === secretId)) return secret;
    }
    throw notFound();
  };

  const operations: Record<string, (params: Record<string, unknown>) => object> = {
    GetSecretValue: (params) => {
      const secret = find(params.SecretId);
      if (params.VersionId !== undefined && params.VersionId !== secret.versionId) {
        throw new ApiError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for VersionId: ${String(params.VersionId)}`);
      }
      if (params.VersionStage !== undefined && params.VersionStage !== 'AWSCURRENT') {
        throw new ApiError(
          'ResourceNotFoundException',
          `Secrets Manager can't find the specified secret value for staging label: ${String(params.VersionStage)}`,
        );
      }
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: secret.versionId,
        SecretString: secret.value,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: secret.versionCreatedDate,
      };
    },
    DescribeSecret: (params) => {
      const secret = find(params.SecretId);
      return {
        ARN: secret.arn,
        Name: secret.name,
        CreatedDate: secret.createdDate,
        LastChangedDate: secret.versionCreatedDate,
        VersionIdsToStages: { [secret.versionId]: ['AWSCURRENT'] },
      };
    },
  };

  const server = createServer((request, response) => {
    answer(request, operations)
      .then((body) => send(response, 200, body))
      .catch((error: unknown) => {
        if (error instanceof ApiError) send(response, 400, { __type: error.type, message: error.message });
        else send(response, 500, { __type: 'InternalServiceError', message: error instanceof Error ? error.message : String(error) });
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    put,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK keeps connections alive; close would otherwise wait for them.
        server.closeAllConnections();
      }),
  };
}

async function answer(request: IncomingMessage, operations: Record<string, (params: Record<string, unknown>) => object>): Promise<object> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const target = request.headers['x-amz-target'];
  const operation = typeof target === 'string' && target.startsWith('secretsmanager.') ? target.slice('secretsmanager.'.length) : undefined;
  if (request.method !== 'POST' || operation === undefined) {
    throw new ApiError('UnknownOperationException', 'Expected POST / with an X-Amz-Target header secretsmanager.<Operation>');
  }
  const run = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
  if (run === undefined) {
    throw new ApiError(
      'UnknownOperationException',
      `The local Secrets Manager does not support ${operation}; it answers ${Object.keys(operations).join(' and ')}`,
    );
  }
  let params: unknown;
  try {
    params = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new ApiError('SerializationException', 'The request body is not valid JSON');
  }
  if (typeof params !== 'object' || params === null || Array.isArray(params))
    throw new ApiError('SerializationException', 'The request body is not a JSON object');
  return run(params as Record<string, unknown>);
}

function send(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  response.end(JSON.stringify(body));
}
