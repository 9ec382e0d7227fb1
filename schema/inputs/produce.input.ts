import { Field, InputType, Int } from 'type-graphql';
import { DateTimeScalar, SafeIntScalar } from '../scalars/index';
import { Acks } from '../types/enums';

@InputType('HeaderInput', { description: 'value (UTF-8 text) or valueBase64 (bytes), not both; neither = null' })
export class HeaderInput {
  @Field(() => String, { description: 'The header key (UTF-8 text; keys may repeat)' }) key!: string;
  @Field(() => String, { nullable: true, description: 'The value as UTF-8 text' }) value?: string | null;
  @Field(() => String, { nullable: true, description: 'The value as canonical base64 bytes' }) valueBase64?: string | null;
}

@InputType('RecordInput', { description: 'key/keyBase64 and value/valueBase64 are each one or the other; absent = null' })
export class RecordInput {
  @Field(() => String, { nullable: true, description: 'The key as UTF-8 text (it picks the partition: murmur2, as Kafka)' }) key?:
    string | null;
  @Field(() => String, { nullable: true, description: 'The key as canonical base64 bytes' }) keyBase64?: string | null;
  @Field(() => String, { nullable: true, description: 'The value as UTF-8 text; no value at all is a tombstone for compaction' }) value?:
    string | null;
  @Field(() => String, { nullable: true, description: 'The value as canonical base64 bytes' }) valueBase64?: string | null;
  @Field(() => [HeaderInput], { nullable: true, description: 'Headers, kept in this order; default none' }) headers?: HeaderInput[] | null;
  @Field(() => Int, { nullable: true, description: 'Explicit partition; else murmur2(key), else sticky' }) partition?: number | null;
  @Field(() => DateTimeScalar, {
    nullable: true,
    description: "The record's timestamp (Kafka's CreateTime); default: the node's clock when it is appended",
  })
  timestamp?: Date | null;
  @Field(() => SafeIntScalar, { nullable: true, description: 'The timestamp in ms since the epoch (instead of timestamp)' })
  timestampMs?: number | null;
}

@InputType('ProducerIdentityInput', {
  description:
    "An idempotent or transactional producer, as initProducer returns it (after each commitTransaction or abortTransaction a transactional producer's epoch is one higher)",
})
export class ProducerIdentityInput {
  @Field(() => SafeIntScalar, { description: "The producer id (Kafka's producer.id)" }) producerId!: number;
  @Field(() => Int, { description: 'The producer epoch; an older one is fenced' }) epoch!: number;
  @Field(() => String, { nullable: true, description: "The transactional id (Kafka's transactional.id); null for an idempotent producer" })
  transactionalId?: string | null;
}

@InputType('ProduceInput', {
  description: 'Records to append to one topic: validated whole before anything is written, one RecordBatch per partition',
})
export class ProduceInput {
  @Field(() => String, { description: 'The topic to produce to' }) topic!: string;
  @Field(() => [RecordInput], { description: 'The records, in order (at most 10,000 per call)' }) records!: RecordInput[];
  @Field(() => Acks, { nullable: true, defaultValue: Acks.ALL, description: 'When the call is answered (default ALL)' }) acks?: Acks | null;
  @Field(() => ProducerIdentityInput, {
    nullable: true,
    description: 'An idempotent producer (from initProducer): with sequence, the call is appended at most once',
  })
  producer?: ProducerIdentityInput | null;
  @Field(() => SafeIntScalar, {
    nullable: true,
    description: "The producer's sequence number of this call: 0, 1, 2, … one per call (wraps to 0 after 2^31-1); a retry repeats it",
  })
  sequence?: number | null;
}
