import { Field, Float, ObjectType } from 'type-graphql';
import type { TrafficRates, TrafficSample } from '../../server/broker/index';
import { DateTimeScalar, SafeIntScalar } from '../scalars/index';

@ObjectType('TrafficRates', { simpleResolvers: true, description: 'Records and bytes per second, counted by the node in 1-second buckets' })
export class TrafficRatesType {
  constructor(protected readonly rates: TrafficRates) {}

  @Field(() => Float, { description: 'Records produced per second' })
  get produceRate(): number {
    return this.rates.produceRate;
  }
  @Field(() => Float, { description: 'Record batch bytes appended per second' })
  get produceBytesRate(): number {
    return this.rates.produceBytesRate;
  }
  @Field(() => Float, {
    description: 'Records delivered to consumer-group members per second (subscriptions and pollRecords with a group)',
  })
  get consumeRate(): number {
    return this.rates.consumeRate;
  }
}

@ObjectType('TrafficSample', { simpleResolvers: true, description: 'The rates over one interval of a rate history' })
export class TrafficSampleType extends TrafficRatesType {
  constructor(private readonly sample: TrafficSample) {
    super(sample);
  }

  @Field(() => DateTimeScalar, { description: 'Start of the interval' })
  get at(): Date {
    return new Date(this.sample.atMs);
  }
  @Field(() => SafeIntScalar, { description: 'Start of the interval, ms since the epoch' })
  get atMs(): number {
    return this.sample.atMs;
  }
}
