// Generated from schemas/avro/dead-letter.avsc by packages/events/scripts/generate-types.ts; do not edit.

/**
 * A record that could not be normalized or processed, kept with its reason so nothing is lost silently
 */
export interface DeadLetter {
  msp_id: string;
  /**
   * Default: null
   */
  tenant_id: null | string;
  source: string;
  /**
   * collector, normalizer, detector, sink
   */
  stage: string;
  reason: string;
  time: number;
  /**
   * The raw input as received
   */
  payload: string;
  /**
   * Where in the input: file and line, content id, topic/partition/offset
   *
   * Default: null
   */
  location: null | string;
}
