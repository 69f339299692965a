import { FlagError } from '../flags/flag-error.js';
import { flagEnvVar, type ArgParser } from '../flags/arg-parsers.js';

/** 'lease': client-go's Lease election (the default). 'for-life': operator-lib's ConfigMap lock owned by this Pod. */
export type LeaderElectionStrategy = 'lease' | 'for-life';
export const LEADER_ELECTION_STRATEGIES: readonly LeaderElectionStrategy[] = ['lease', 'for-life'];

/** Value parser of --leader-election-strategy for a generated src/flags.ts: 'lease' or 'for-life'. */
export function leaderElectionStrategyArg(flag: string): ArgParser<LeaderElectionStrategy> {
  return (value) => {
    const v = value.trim();
    if (!(LEADER_ELECTION_STRATEGIES as readonly string[]).includes(v)) {
      throw new FlagError(
        flag,
        `${flag} '${value}' is not a leader election strategy (${LEADER_ELECTION_STRATEGIES.join(' or ')})`,
        `use e.g. ${flag}=for-life (the value comes from ${flag} or, without it, from ${flagEnvVar(flag)})`,
      );
    }
    return v as LeaderElectionStrategy;
  };
}
