import { eventTopicName, eventTopicSpecs, type EventKind } from '@nightjar/events';
import type { TopicSpec } from '@nightjar/bus';

export interface TopicNaming {
  readonly prefix: string;
  readonly partitions: number;
}

export function topicFor(naming: TopicNaming, kind: EventKind): string {
  return eventTopicName(naming.prefix, kind);
}

export function checkpointTopic(naming: TopicNaming): string {
  return `${naming.prefix}collector-checkpoints`;
}

/** The event topics plus the compacted topic of the collectors' checkpoints. */
export function collectorTopics(naming: TopicNaming): TopicSpec[] {
  return [
    ...eventTopicSpecs(naming.prefix, naming.partitions),
    { name: checkpointTopic(naming), partitions: naming.partitions, compacted: true },
  ];
}
