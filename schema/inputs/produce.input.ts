import { Field, InputType, Int } from 'type-graphql';
import { DateTimeScalar, SafeIntScalar } from '../scalars/index';
import { Acks } from '../types/enums';

@InputType('HeaderInput', { description: 'value (UTF-8 text) or valueBase64 (bytes), not both; neither = null' })
export class HeaderInput {
  @Field(() => String) key!: string;
  @Field(() => String, { nullable: true }) value?: string | null;
  @Field(() => String, { nullable: true }) valueBase64?: string | null;
}

@InputType('RecordInput', { description: 'key/keyBase64 and value/valueBase64 are each one or the other; absent = null' })
export class RecordInput {
  @Field(() => String, { nullable: true }) key?: string | null;
  @Field(() => String, { nullable: true }) keyBase64?: string | null;
  @Field(() => String, { nullable: true }) value?: string | null;
  @Field(() => String, { nullable: true }) valueBase64?: string | null;
  @Field(() => [HeaderInput], { nullable: true }) headers?: HeaderInput[] | null;
  @Field(() => Int, { nullable: true, description: 'Explicit partition; else murmur2(key), else sticky' }) partition?: number | null;
  @Field(() => DateTimeScalar, { nullable: true }) timestamp?: Date | null;
  @Field(() => SafeIntScalar, { nullable: true, description: 'The timestamp in ms since the epoch (instead of timestamp)' })
  timestampMs?: number | null;
}

@InputType('ProducerIdentityInput')
export class ProducerIdentityInput {
  @Field(() => SafeIntScalar) producerId!: number;
  @Field(() => Int) epoch!: number;
  @Field(() => String, { nullable: true }) transactionalId?: string | null;
}

@InputType('ProduceInput')
export class ProduceInput {
  @Field(() => String) topic!: string;
  @Field(() => [RecordInput]) records!: RecordInput[];
  @Field(() => Acks, { nullable: true, defaultValue: Acks.ALL }) acks?: Acks | null;
  @Field(() => ProducerIdentityInput, { nullable: true, description: 'Idempotent/transactional producers: not available yet' })
  producer?: ProducerIdentityInput | null;
  @Field(() => SafeIntScalar, { nullable: true }) sequence?: number | null;
}
