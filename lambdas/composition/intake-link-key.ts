/** The intake links' signing key, for the one function that opens them: its own module, so the other factories' bundles do not carry it. */
export { intakeLinkKey } from '../adapters/intake-link-key.ts';
