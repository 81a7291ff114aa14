// What a service subscribes to, said by message kind: the filters for some kinds in some organisations
// (every organisation on the broker when none is named). filterFor throws on a bad org, so a service
// built from a typo fails before it connects.
import { filterFor, type Kind, orgFilter } from '../protocol/index.js';

/** Every kind of the named organisations (or all of them). */
export function orgFilters(orgs: readonly string[] | undefined): string[] {
  return (orgs?.length ? orgs : ['+']).map((org) => orgFilter(org));
}

/** Some kinds of the named organisations (or all of them). */
export function kindFilters(kinds: readonly Kind[], orgs: readonly string[] | undefined): string[] {
  return (orgs?.length ? orgs : ['+']).flatMap((org) => kinds.map((kind) => filterFor(kind, org)));
}
