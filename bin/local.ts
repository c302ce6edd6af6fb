/**
 * `npm start`: the whole product on this machine, no AWS account. Data lives in .local/ (git
 * ignored) and survives restarts; `npm run reset` wipes it and the next start seeds afresh.
 *
 * `npm run start:deployed` (`--deployed`): the same product, but each function runs the bundle
 * `cdk synth` makes, with its template's environment and IAM enforced; slower to start (it
 * synthesizes first), the way to see what a deployment would do. Its tables, buckets and executions
 * are its own (the template's names), beside `npm start`'s in .local/.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalStack } from '../lib/local/local-stack.ts';
import { removeStackFile, writeStackFile } from '../lib/local/stack-file.ts';

const { values: flags } = parseArgs({ options: { deployed: { type: 'boolean', default: false } } });
const dataDir = resolve(import.meta.dirname, '../.local');
const started = Date.now();
if (flags.deployed) console.log('Synthesizing the stack with its bundles (about a minute)...');
const stack = await startLocalStack({
  ...(flags.deployed ? { mode: 'deployed' as const, deployed: { resynthesize: true } } : {}),
  port: Number(process.env.PORT ?? 3000),
  mailPort: Number(process.env.MAIL_PORT ?? 8005),
  s3Port: Number(process.env.S3_PORT ?? 4566),
  partnerPort: Number(process.env.PARTNER_PORT ?? 8010),
  dataDir,
  log: (line) => console.log(`  ${line}`),
});
// Where the API really listens, for `npm run intake-link`; removed again on stop.
writeStackFile(dataDir, stack.apiUrl);

console.log(`
dsr-workflow is running locally (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)${
  flags.deployed ? `\n  Mode                the synthesized bundles (${dataDir}/cdk.out), each with its template environment and IAM enforced` : ''
}

  Request form        ${stack.apiUrl}/   (?lang=fr|de|es)
  Officer console     ${stack.apiUrl}/console  (local sign-in, no password${flags.deployed ? '; the Cognito hosted UI is not emulated' : ''})
  API                 ${stack.apiUrl}  (health: ${stack.apiUrl}/health)
  Mailbox (SES)       ${stack.mailUrl}/  (JSON: ${stack.mailUrl}/store)
  S3 (signed only)    ${stack.s3Url}  (unsigned calls get 403; sign with the key local/local)
  Partner CRM (demo)  ${stack.partner.url}  (a processor reached by signed webhooks)
  Officer token       npm run --silent officer-token
  Data folder         ${dataDir}  (npm run reset to start afresh)

Press Ctrl+C to stop.`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log('\nstopping...');
    removeStackFile(dataDir);
    void stack.stop().then(() => process.exit(0));
  });
}
