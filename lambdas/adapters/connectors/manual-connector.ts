import type { ManualStore } from '../../domain/store-catalog.ts';
import type { AmendResult, CollectResult, EraseResult, Pending, StoreConnector, VerifyResult } from '../../ports/store-connector.ts';

/**
 * A system a person must handle (paper files, a legacy tool with no API): every action becomes a
 * task for an officer, who marks it done with a note; the workflow waits on it.
 */
export class ManualConnector implements StoreConnector {
  constructor(private readonly store: ManualStore) {}

  private task(action: string): Pending {
    return { pending: true, note: `${action}: ${this.store.instructions}` };
  }

  async collect(): Promise<CollectResult | Pending> {
    return this.task('Send the requester a copy');
  }

  async amend(): Promise<AmendResult | Pending> {
    return this.task('Correct the records');
  }

  async erase(): Promise<EraseResult | Pending> {
    return this.task('Erase, or keep under the legal obligation');
  }

  /** The officer's completion note is the verification for a system only a person can read. */
  async verifyErased(): Promise<VerifyResult> {
    return { remaining: 0 };
  }
}
