/**
 * Kafka topics, versioned: a breaking change to an event gets a new topic, never a silent reshape.
 * A deployment may prefix every name (KAFKA_TOPIC_PREFIX) to share one cluster between environments.
 */
export const topics = {
  usageEvents: 'usage.events.v1',
  mediaJobUpdates: 'media.job-updates.v1',
} as const;

export type TopicName = (typeof topics)[keyof typeof topics];

export function topicName(topic: TopicName, prefix = ''): string {
  return `${prefix}${topic}`;
}
