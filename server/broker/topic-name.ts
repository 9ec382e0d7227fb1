/**
 * Topic names follow Kafka's rules (`org.apache.kafka.common.internals.Topic.validate`): 1 to 249
 * characters of ASCII letters, digits, '.', '_' and '-', and not "." or "..". Names starting with
 * "__" are reserved for internal topics. Because metrics names fold '.' into '_', two topics
 * whose names differ only there collide, and the second is refused.
 */
import { InvalidTopicError } from '../errors';

export const TOPIC_NAME_LENGTH_MAX = 249;
const LEGAL = /^[a-zA-Z0-9._-]+$/;

export function validateTopicName(name: string): void {
  if (name.length === 0) throw new InvalidTopicError('topic name is empty', name);
  if (name === '.' || name === '..') throw new InvalidTopicError(`topic name cannot be "${name}"`, name);
  if (name.length > TOPIC_NAME_LENGTH_MAX) {
    throw new InvalidTopicError(`topic name is longer than ${TOPIC_NAME_LENGTH_MAX} characters`, name.slice(0, 64));
  }
  if (!LEGAL.test(name)) {
    throw new InvalidTopicError('topic names use only ASCII letters, digits, ".", "_" and "-"', name);
  }
}

export function isInternalTopicName(name: string): boolean {
  return name.startsWith('__');
}

/** The form under which '.' and '_' collide (Kafka: `Topic.unifyCollisionChars`). */
export function collisionKey(name: string): string {
  return name.replace(/\./g, '_');
}
