/**
 * `npm run --silent officer-token`: prints a JWT for a demo privacy officer, signed with the local
 * issuer's key (the one the running local stack checks). Use it as `Authorization: Bearer <token>`.
 */
import { resolve } from 'node:path';
import { OfficerIssuer } from '../lib/local/officer-issuer.ts';

const issuer = await OfficerIssuer.open(resolve(import.meta.dirname, '../.local/officer-issuer.json'));
process.stdout.write(`${await issuer.issue({ subject: process.env.OFFICER_ID ?? 'local-officer-1' })}\n`);
