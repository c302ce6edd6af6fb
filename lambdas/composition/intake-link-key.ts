/** The intake links' signing key, for the one function that opens them (its own module, so no other bundle carries the Secrets Manager client). */
export { intakeLinkKey } from '../adapters/intake-link-key.ts';
