import type { Delivery } from '@nightjar/events';
import type { AttemptOutcome } from './attempts.ts';

/** What a delivery attempt went to and for; the provider's part comes from the outcome. */
export interface DeliveryFacts {
  readonly deliveryId: string;
  readonly attempt: number;
  readonly mspId: string;
  readonly tenantIds: readonly string[];
  readonly alertIds: readonly string[];
  readonly ruleIds: readonly string[];
  readonly severity: string;
  readonly channel: string;
  readonly target: string;
  readonly repeated: boolean;
  readonly time: number;
}

/** One attempt as the `delivery` event the API shows: the provider's answer shortened, never a secret. */
export function deliveryRecord(facts: DeliveryFacts, outcome: AttemptOutcome): Delivery {
  const delivered = outcome.status === 'delivered';
  return {
    delivery_id: facts.deliveryId,
    attempt: facts.attempt,
    msp_id: facts.mspId,
    tenant_ids: [...facts.tenantIds],
    alert_ids: [...facts.alertIds],
    rule_ids: [...facts.ruleIds],
    severity: facts.severity,
    channel: facts.channel,
    target: facts.target,
    status: outcome.status,
    provider_status: delivered ? outcome.receipt.status : (outcome.providerStatus ?? null),
    provider_response: (delivered ? outcome.receipt.response : (outcome.response ?? '')).slice(0, 1_000),
    error: delivered ? null : outcome.error,
    repeated: facts.repeated,
    time: facts.time,
  };
}

/** A delivery not attempted on purpose (quiet hours), recorded so the target's history shows why nothing came. */
export function suppressedRecord(facts: Omit<DeliveryFacts, 'attempt' | 'repeated'>, reason: string): Delivery {
  return {
    delivery_id: facts.deliveryId,
    attempt: 0,
    msp_id: facts.mspId,
    tenant_ids: [...facts.tenantIds],
    alert_ids: [...facts.alertIds],
    rule_ids: [...facts.ruleIds],
    severity: facts.severity,
    channel: facts.channel,
    target: facts.target,
    status: 'suppressed',
    provider_status: null,
    provider_response: '',
    error: reason,
    repeated: false,
    time: facts.time,
  };
}
