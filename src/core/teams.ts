/**
 * Teams on a change of owner, one rule for every module that changes an owner (internal to the
 * library: not exported).
 */

/** What an owner change does to a record's team: keep it, clear it, or keep it with the previous owner added. */
export type OwnerChangeTeamRule = 'keep' | 'clear' | 'keepAndAddPreviousOwner';

/**
 * A record's team after its owner changes from `from` to `to`, by the rule: kept, emptied, or
 * kept with the previous owner added (once); the new owner is never in its own team.
 * Shared by the pools' forced owner change and the customers' own.
 *
 * @example
 * teamAfterOwnerChange(['rep-wang'], 'rep-li', 'rep-zhao', 'keepAndAddPreviousOwner') // ['rep-wang', 'rep-li']
 */
export function teamAfterOwnerChange(team: readonly string[], from: string, to: string, rule: OwnerChangeTeamRule): string[] {
  if (rule === 'clear') return [];
  const kept = rule === 'keepAndAddPreviousOwner' ? [...new Set([...team, from])] : team;
  return kept.filter((id) => id !== to);
}

