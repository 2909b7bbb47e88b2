import type { NightjarConfig } from '@nightjar/config';
import type { TopicSpec } from '@nightjar/bus';
import { eventTopicName, eventTopicSpecs as specsOf, type EventKind } from '@nightjar/events';

/** Topic names and sizes from the configuration's prefix and partition count. */
export function eventTopic(config: NightjarConfig, kind: EventKind): string {
  return eventTopicName(config.kafka.topicPrefix, kind);
}

export function eventTopicSpecs(config: NightjarConfig): TopicSpec[] {
  return specsOf(config.kafka.topicPrefix, config.kafka.partitions);
}
