export type {
  BusMessage,
  EventBus,
  HandlerContext,
  MessageBatch,
  OutgoingMessage,
  Publisher,
  ReadTopicOptions,
  SubscribeOptions,
  Subscription,
  TopicMessages,
  TopicSpec,
} from './port.ts';
export { BARRIER_KEY } from './port.ts';
