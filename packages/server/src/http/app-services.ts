/** What the HTTP adapters call: the services, and the config they answer by. */
import type { Config } from '../config.js';
import type { AccessClaims, AccessService } from '../services/access-service.js';
import type { AccountService } from '../services/account-service.js';
import type { ConsentService } from '../services/consent-service.js';
import type { Clock, PlatformEvents } from '../services/context.js';
import type { OperatorService } from '../services/operator-service.js';
import type { TransactionService } from '../services/transaction-service.js';
import type { Store } from '../storage/store.js';

export interface AppServices {
  readonly config: Config;
  readonly store: Store;
  readonly access: AccessService;
  readonly transactions: TransactionService;
  readonly accounts: AccountService;
  readonly consents: ConsentService;
  readonly events: PlatformEvents;
  readonly clock: Clock;
  readonly operator: OperatorService;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The partner whose subscription key the request carries. */
    partnerId: string;
    /** The API user and product of the request's access token. */
    caller: AccessClaims;
  }
}
