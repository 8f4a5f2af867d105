/** Public face of the fact extractors: what the writer, the search module and the CLI use. */
export { EXTRACTOR_VERSION, extractAll, extractFacts, initialState, type ExtractorState, type ExtractResult } from './extract.js';
export { FACT_KINDS, type ExtractContext, type Fact, type FactKind, type FactMessage } from './types.js';
