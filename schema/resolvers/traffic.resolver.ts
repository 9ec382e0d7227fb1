/**
 * Rates on Cluster (the whole node) and Topic, and the node's rate history, from its own 1-second
 * counters (server/broker/traffic.ts), so the first answer already carries a rate and minutes of
 * history: a client needs no second reading of a counter to show one.
 */
import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { BadUserInputError } from '../../server/errors';
import type { GraphQLContext } from '../context.type';
import { ClusterType } from '../types/cluster.type';
import { TopicType } from '../types/topic.type';
import { TrafficRatesType, TrafficSampleType } from '../types/traffic.type';

const HISTORY_SECONDS_MAX = 300;
const RATES_DESCRIPTION = 'Over the last 10 s';
const HISTORY_DESCRIPTION =
  "The node's last `seconds` (at most 300) in samples of `stepSeconds`, oldest first, up to the last complete second";

function history(ctx: GraphQLContext, seconds: number, stepSeconds: number): TrafficSampleType[] {
  if (seconds < 1 || seconds > HISTORY_SECONDS_MAX)
    throw new BadUserInputError(`seconds must be between 1 and ${HISTORY_SECONDS_MAX}`, { max: HISTORY_SECONDS_MAX });
  if (stepSeconds < 1 || stepSeconds > seconds) throw new BadUserInputError('stepSeconds must be between 1 and seconds');
  return ctx.broker.trafficHistory(seconds, stepSeconds).map((s) => new TrafficSampleType(s));
}

@Resolver(() => ClusterType)
export class ClusterTrafficResolver {
  @FieldResolver(() => TrafficRatesType, { description: `The whole node's rates. ${RATES_DESCRIPTION}` })
  rates(@Ctx() ctx: GraphQLContext): TrafficRatesType {
    return new TrafficRatesType(ctx.broker.trafficRates(null));
  }

  @FieldResolver(() => [TrafficSampleType], { description: HISTORY_DESCRIPTION })
  rateHistory(
    @Ctx() ctx: GraphQLContext,
    @Arg('seconds', () => Int, { defaultValue: 300, description: 'How far back, in seconds (at most 300: the node keeps 5 minutes).' })
    seconds: number,
    @Arg('stepSeconds', () => Int, {
      defaultValue: 5,
      description: 'The width of each sample, in seconds; each sample is the rate over its step.',
    })
    stepSeconds: number,
  ): TrafficSampleType[] {
    return history(ctx, seconds, stepSeconds);
  }
}

@Resolver(() => TopicType)
export class TopicTrafficResolver {
  @FieldResolver(() => TrafficRatesType, { description: `This topic's rates. ${RATES_DESCRIPTION}` })
  rates(@Root() topic: TopicType, @Ctx() ctx: GraphQLContext): TrafficRatesType {
    return new TrafficRatesType(ctx.broker.trafficRates(topic.name));
  }
}
