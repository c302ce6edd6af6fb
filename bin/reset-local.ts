/** `npm run reset`: deletes the local data, so the next `npm start` seeds the demo stores afresh. */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';

const dataDir = resolve(import.meta.dirname, '../.local');
for (const part of ['dynamodb', 's3']) rmSync(resolve(dataDir, part), { recursive: true, force: true });
console.log(`Local data deleted from ${dataDir}. The next npm start seeds the demo stores afresh.`);
