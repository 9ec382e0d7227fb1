import { Field, Int, ObjectType } from 'type-graphql';
import type { ConsumedRecord } from '../../server/broker/index';
import { DateTimeScalar, JSONScalar, SafeIntScalar } from '../scalars/index';
import { base64OrNull, jsonOrNull, utf8OrNull } from './bytes-view';
import { HeaderType } from './header.type';

/** A record as read from the log. Fields are computed from the bytes only when a client asks. */
@ObjectType('Record')
export class LogRecord {
  @Field(() => String) readonly topic: string;
  @Field(() => Int) readonly partition: number;

  constructor(private readonly record: ConsumedRecord, topic: string, partition: number) {
    this.topic = topic;
    this.partition = partition;
  }

  @Field(() => SafeIntScalar) get offset(): number { return this.record.offset; }
  @Field(() => DateTimeScalar) get timestamp(): Date { return new Date(this.record.timestampMs); }
  @Field(() => SafeIntScalar) get timestampMs(): number { return this.record.timestampMs; }

  @Field(() => String, { nullable: true, description: 'The key as UTF-8 text; null when absent or not UTF-8' })
  get key(): string | null { return utf8OrNull(this.record.key); }

  @Field(() => String, { nullable: true, description: 'The exact key bytes, base64; null when absent' })
  get keyBase64(): string | null { return base64OrNull(this.record.key); }

  @Field(() => String, { nullable: true, description: 'The value as UTF-8 text; null when absent (a tombstone) or not UTF-8' })
  get value(): string | null { return utf8OrNull(this.record.value); }

  @Field(() => String, { nullable: true, description: 'The exact value bytes, base64' })
  get valueBase64(): string | null { return base64OrNull(this.record.value); }

  @Field(() => JSONScalar, { nullable: true, description: 'The value parsed as JSON, when it is JSON' })
  get json(): unknown { return jsonOrNull(this.record.value); }

  @Field(() => SafeIntScalar, { description: 'Size of key plus value in bytes' })
  get sizeBytes(): number { return (this.record.key?.length ?? 0) + (this.record.value?.length ?? 0); }

  @Field(() => [HeaderType])
  get headers(): HeaderType[] { return this.record.headers.map((h) => new HeaderType(h)); }
}
