export * from './types';
export { compareManifests, RULE_GROUPS, patternOf } from './compare';
export { formatText, formatMarkdown } from './report';
export type { MarkdownOptions } from './report';
export { loadDirectory, loadGitRef, loadSource, parseManifests } from './load';
export { acknowledgedIds, parseAcknowledgements, patternMatches } from './acknowledge';
export { objectKey, displayName, holdsData } from './identity';
