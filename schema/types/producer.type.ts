import { Field, Int, ObjectType } from 'type-graphql';
import type { ProducerStateView } from '../../server/broker/index';
import { DateTimeScalar, SafeIntScalar } from '../scalars/index';

@ObjectType('ProducerIdentity', {
  description: 'A producer id and epoch from initProducer: pass them, with a sequence per call, to produce',
})
export class ProducerIdentityType {
  @Field(() => SafeIntScalar, { description: "The producer id (Kafka's producer.id); never handed out twice" }) producerId!: number;
  @Field(() => Int, { description: 'The producer epoch (0 for an idempotent producer)' }) epoch!: number;
  @Field(() => String, { nullable: true, description: 'The transactional id; null for an idempotent producer' }) transactionalId!:
    string | null;
}

@ObjectType('ProducerState', { description: "What one partition remembers of an idempotent producer (Kafka's DescribeProducers)" })
export class ProducerStateType {
  constructor(private readonly view: ProducerStateView) {}

  @Field(() => SafeIntScalar, { description: 'The producer id' }) get producerId(): number {
    return this.view.producerId;
  }
  @Field(() => Int, { description: 'Its epoch' }) get epoch(): number {
    return this.view.epoch;
  }
  @Field(() => SafeIntScalar, { description: 'The sequence of its newest produce call that wrote to this partition' })
  get lastSequence(): number {
    return this.view.lastSequence;
  }
  @Field(() => SafeIntScalar, { description: 'The offset of the first record of that call in this partition' }) get lastOffset(): number {
    return this.view.lastOffset;
  }
  @Field(() => DateTimeScalar, {
    description:
      "When it last appended here (the node's clock, or its records' newest timestamp if later); producer.id.expiration.ms counts from it",
  })
  get lastTimestamp(): Date {
    return new Date(this.view.lastTimestampMs);
  }
}
