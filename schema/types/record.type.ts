import { Field, Int, ObjectType } from 'type-graphql';
import type { ConsumedRecord } from '../../server/broker/index';
import { DateTimeScalar, JSONScalar, SafeIntScalar } from '../scalars/index';
import { base64OrNull, jsonOrNull, utf8OrNull } from './bytes-view';
import { HeaderType } from './header.type';

/** A record as read from the log. Fields are computed from the bytes only when a client asks. */
@ObjectType('Record', { simpleResolvers: true, description: "A record as stored in a partition's log (Kafka's ConsumerRecord)" })
export class LogRecord {
  @Field(() => String, { description: 'The topic it was read from' }) readonly topic: string;
  @Field(() => Int, { description: 'The partition it was read from' }) readonly partition: number;

  constructor(
    private readonly record: ConsumedRecord,
    topic: string,
    partition: number,
  ) {
    this.topic = topic;
    this.partition = partition;
  }

  @Field(() => SafeIntScalar, { description: 'Its offset: its position in the partition, from 0' }) get offset(): number {
    return this.record.offset;
  }
  @Field(() => DateTimeScalar, { description: 'Its timestamp as a date-time (see timestampMs)' }) get timestamp(): Date {
    return new Date(this.record.timestampMs);
  }
  @Field(() => SafeIntScalar, {
    description:
      "Its timestamp in ms since the epoch: the producer's (CreateTime; the node's clock when none was given) or the append time with message.timestamp.type=LogAppendTime",
  })
  get timestampMs(): number {
    return this.record.timestampMs;
  }

  @Field(() => String, { nullable: true, description: 'The key as UTF-8 text; null when absent or not UTF-8' })
  get key(): string | null {
    return utf8OrNull(this.record.key);
  }

  @Field(() => String, { nullable: true, description: 'The exact key bytes, base64; null when absent' })
  get keyBase64(): string | null {
    return base64OrNull(this.record.key);
  }

  @Field(() => String, { nullable: true, description: 'The value as UTF-8 text; null when absent (a tombstone) or not UTF-8' })
  get value(): string | null {
    return utf8OrNull(this.record.value);
  }

  @Field(() => String, { nullable: true, description: 'The exact value bytes, base64; null when absent (a tombstone)' })
  get valueBase64(): string | null {
    return base64OrNull(this.record.value);
  }

  @Field(() => JSONScalar, { nullable: true, description: 'The value parsed as JSON, when it is JSON' })
  get json(): unknown {
    return jsonOrNull(this.record.value);
  }

  @Field(() => SafeIntScalar, { description: 'Size of key plus value in bytes' })
  get sizeBytes(): number {
    return (this.record.key?.length ?? 0) + (this.record.value?.length ?? 0);
  }

  @Field(() => [HeaderType], { description: 'Its headers, in the order they were produced' })
  get headers(): HeaderType[] {
    return this.record.headers.map((h) => new HeaderType(h));
  }
}
