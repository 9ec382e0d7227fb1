/** The assignors by their Kafka protocol names. */
import type { Assignor, AssignorName } from './assignor';
import { cooperativeStickyAssignor } from './cooperative-sticky';
import { rangeAssignor } from './range';
import { roundRobinAssignor } from './round-robin';

export * from './assignor';
export { assignCooperativeSticky } from './cooperative-sticky';
export { assignRange } from './range';
export { assignRoundRobin } from './round-robin';

export const ASSIGNORS: Readonly<Record<AssignorName, Assignor>> = Object.freeze({
  range: rangeAssignor,
  roundrobin: roundRobinAssignor,
  'cooperative-sticky': cooperativeStickyAssignor,
});

export function isAssignorName(name: string): name is AssignorName {
  return Object.prototype.hasOwnProperty.call(ASSIGNORS, name);
}
