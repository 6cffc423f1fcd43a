/**
 * The Cypher console's real gate: what Neo4j PLANS for a query (its EXPLAIN, from the driver's ResultSummary),
 * not how the query is spelled. Text can be dressed in whitespace Neo4j accepts and JavaScript does not, comments
 * between name parts, backticks or a CYPHER prefix; the plan is what the database will run. Refused:
 *   - any operator not on the allow-list of read operators below (LoadCSV, Show…, Terminate…, administration and
 *     system commands, writes, CALL … IN TRANSACTIONS are not on it);
 *   - any operator planned on another database than the configured one (`operatorType` is `Name@database` in
 *     Neo4j 5: USE of another database, and system commands, which run `@system`);
 *   - any ProcedureCall whose procedure is not one of ALLOWED_DB_PROCEDURES (its `Details` argument starts with
 *     the procedure's resolved name: `db.labels() :: (label :: STRING)`, whatever spelling the query used);
 *   - any function call not on ALLOWED_FUNCTIONS. The plan has no structured list of functions: Neo4j prints each
 *     operator's expressions into its `Details` argument (`toUpper($autostring_0) AS x`, literals replaced by
 *     parameters), so every string argument of every operator is read for `name(`; a quoted name before `(` is
 *     refused too. This relies on Neo4j 5.26 printing every expression an operator evaluates (checked by
 *     tests/neo4j/cypher-console.test.ts with a function outside the list in each place an expression can sit).
 *     It fails closed: a string or name that merely looks like a call (`'f(x)'` kept as text) is refused too.
 */
import { Invalid } from '../../domain/errors.ts';
import { ALLOWED_DB_PROCEDURES } from '../../services/cypher-guard.ts';

/** The shape of the driver's `summary.plan` (neo4j-driver's Plan). */
export interface PlanNode {
  operatorType: string;
  arguments: Record<string, unknown>;
  identifiers: string[];
  children: PlanNode[];
}

/** Read operators of Neo4j 5.26 the console runs (names without `@database`). */
const ALLOWED_OPERATORS = new Set([
  'ProduceResults',
  'Argument',
  'ArgumentTracker',
  'EmptyRow',
  'EmptyResult',
  'DropResult',
  'Filter',
  'Projection',
  'CacheProperties',
  'Unwind',
  'PartitionedUnwind',
  'Optional',
  'Eager',
  'Distinct',
  'OrderedDistinct',
  'Aggregation',
  'EagerAggregation',
  'OrderedAggregation',
  'Sort',
  'PartialSort',
  'Top',
  'Top1',
  'PartialTop',
  'Limit',
  'ExhaustiveLimit',
  'Skip',
  'Union',
  'OrderedUnion',
  'CartesianProduct',
  'NodeHashJoin',
  'ValueHashJoin',
  'NodeLeftOuterHashJoin',
  'NodeRightOuterHashJoin',
  'TriadicSelection',
  'TriadicBuild',
  'TriadicFilter',
  'ProjectEndpoints',
  'NodeCountFromCountStore',
  'RelationshipCountFromCountStore',
  'ShortestPath',
  'LegacyFindShortestPaths',
  'Trail',
  'NullifyMetadata',
  'Anti',
  'Apply',
  'SemiApply',
  'AntiSemiApply',
  'LetSemiApply',
  'LetAntiSemiApply',
  'SelectOrSemiApply',
  'SelectOrAntiSemiApply',
  'LetSelectOrSemiApply',
  'LetSelectOrAntiSemiApply',
  'ConditionalApply',
  'AntiConditionalApply',
  'RollUpApply',
  'ProcedureCall', // only the allowed procedures: checked by name below
]);

/** Families of read operators whose names carry a variant: scans and seeks, expands, path finders. */
const ALLOWED_OPERATOR_FAMILIES = [
  /^(Partitioned)?(Node|AllNodes|UnionNode|IntersectionNode|SubtractionNode|MultiNode|AssertingMultiNode|Relationship|DirectedRelationship|UndirectedRelationship|AllRelationships|DirectedAllRelationships|UndirectedAllRelationships|DirectedRelationshipType|UndirectedRelationshipType|DirectedUnionRelationshipTypes|UndirectedUnionRelationshipTypes)\w*(Scan|Seek|SeekByRange)$/,
  /^(Optional)?Expand\((All|Into)\)$/,
  /^(VarLength|BFSPruningVarLength|PruningVarLength)Expand(\((All|Into|Pruning|ExhaustivePruning)\))?$/,
  /^StatefulShortestPath(\((All|Into)\))?$/,
  /^Repeat\((Trail|Walk)\)$/,
];

/**
 * Neo4j 5.26's built-in functions (SHOW FUNCTIONS, all `isBuiltIn`), lower case, minus `file()` and
 * `linenumber()` (LOAD CSV's) and `graph.byName()` / `graph.byElementId()` (other graphs). Everything here only
 * computes from its arguments and the graph the query already reads.
 */
export const ALLOWED_FUNCTIONS: ReadonlySet<string> = new Set(
  [
    'abs', 'acos', 'all', 'any', 'asin', 'atan', 'atan2', 'avg', 'btrim', 'ceil', 'char_length', 'character_length',
    'coalesce', 'collect', 'cos', 'cot', 'count', 'date', 'date.realtime', 'date.statement', 'date.transaction',
    'date.truncate', 'datetime', 'datetime.fromepoch', 'datetime.fromepochmillis', 'datetime.realtime',
    'datetime.statement', 'datetime.transaction', 'datetime.truncate', 'degrees', 'duration', 'duration.between',
    'duration.indays', 'duration.inmonths', 'duration.inseconds', 'e', 'elementid', 'endnode', 'exists', 'exp',
    'floor', 'haversin', 'head', 'id', 'isempty', 'isnan', 'keys', 'labels', 'last', 'left', 'length',
    'localdatetime', 'localdatetime.realtime', 'localdatetime.statement', 'localdatetime.transaction',
    'localdatetime.truncate', 'localtime', 'localtime.realtime', 'localtime.statement', 'localtime.transaction',
    'localtime.truncate', 'log', 'log10', 'lower', 'ltrim', 'max', 'min', 'nodes', 'none', 'normalize', 'nullif',
    'percentilecont', 'percentiledisc', 'pi', 'point', 'point.distance', 'point.withinbbox', 'properties', 'radians',
    'rand', 'randomuuid', 'range', 'reduce', 'relationships', 'replace', 'reverse', 'right', 'round', 'rtrim',
    'sign', 'sin', 'single', 'size', 'split', 'sqrt', 'startnode', 'stdev', 'stdevp', 'substring', 'sum', 'tail',
    'tan', 'time', 'time.realtime', 'time.statement', 'time.transaction', 'time.truncate', 'timestamp', 'toboolean',
    'tobooleanlist', 'tobooleanornull', 'tofloat', 'tofloatlist', 'tofloatornull', 'tointeger', 'tointegerlist',
    'tointegerornull', 'tolower', 'tostring', 'tostringlist', 'tostringornull', 'toupper', 'trim', 'type', 'upper',
    'valuetype', 'vector.similarity.cosine', 'vector.similarity.euclidean',
  ],
);

/**
 * Words Neo4j prints directly before `(` in Details that are not function calls a query can make: syntax (the
 * path functions of MATCH, boolean operators and `IN` when glued to a parenthesis) and the planner's own
 * expressions (`getDegree(a, BOTH) > 0` for a degree check, `RuntimeConstant(date())`, `CoerceToPredicate(…)`,
 * `assertIsNode(…)`, `isRepeatTrailUnique(r)` in a quantified path).
 */
const NOT_FUNCTIONS = new Set([
  'shortestpath', 'allshortestpaths', 'not', 'and', 'or', 'xor', 'in', 'is', 'case', 'when', 'then', 'else', 'where',
  'getdegree', 'coercetopredicate', 'assertisnode', 'runtimeconstant', 'isrepeattrailunique',
]);

/**
 * A name directly followed by `(` (Neo4j prints a call as `namespace.name(args)`, no spaces): plain
 * (`toUpper(`), dotted (`point.distance(`) or quoted (`` `f`( ``); whole names only (Unicode letters and
 * digits, as Cypher allows them unquoted), so `xabs(` is never read as `abs(`.
 */
const CALL = /(?<![\p{L}\p{N}\p{Mn}\p{Mc}\p{Pc}$.])((?:`[^`]*`|[\p{L}\p{Pc}][\p{L}\p{N}\p{Mn}\p{Mc}\p{Pc}$]*)(?:\.(?:`[^`]*`|[\p{L}\p{Pc}][\p{L}\p{N}\p{Mn}\p{Mc}\p{Pc}$]*))*)\(/gu;

/**
 * An index's label or type and properties as a seek or scan prints them (`UNIQUE a:Entity(id) WHERE id = …`,
 * `TEXT INDEX n:Entity(search) …`): a name after `:` with a plain list of names in parentheses. Read out of the
 * Details of scan and seek operators only, before looking for calls.
 */
const INDEX_NAME = /:(`[^`]*`|[A-Za-z_]\w*)\(\s*(?:`[^`]*`|[A-Za-z_]\w*)\s*(?:,\s*(?:`[^`]*`|[A-Za-z_]\w*)\s*)*\)/g;

/** Throws Invalid (400, cypher_refused) saying what in the plan is not allowed; returns when all of it is. */
export function checkConsolePlan(plan: PlanNode | false | null | undefined, database: string): void {
  const refuse = (why: string): never => {
    throw new Invalid(`refused: ${why}`, { parameter: 'query' }, 'cypher_refused');
  };
  if (!plan || typeof plan !== 'object') refuse('Neo4j gave no plan for this query, so the console cannot check it');
  const stack: PlanNode[] = [plan as PlanNode];
  let seen = 0;
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (++seen > 10_000) refuse('the plan is too large to check');
    const [name = '', db, ...rest] = String(node.operatorType ?? '').split('@');
    if (db === undefined || rest.length > 0) refuse(`Neo4j's plan names no database for operator "${name}"`);
    if (db!.toLowerCase() !== database.toLowerCase()) {
      refuse(`the query would run on database "${db}"; the console reads the configured database only (USE and system commands are not allowed)`);
    }
    if (name === 'LoadCSV') refuse('LOAD CSV reads files and URLs; the console only reads the graph');
    const texts = Object.entries(node.arguments ?? {}).flatMap(([key, value]) => {
      if (typeof value !== 'string') return [];
      if (name !== 'ProcedureCall' || key !== 'Details') return [value];
      const open = value.indexOf('(');
      const procedure = open > 0 ? value.slice(0, open).trim() : '';
      if (!ALLOWED_DB_PROCEDURES.has(procedure.toLowerCase())) {
        refuse(`procedure ${procedure || '(unnamed)'} is not one the console allows (${[...ALLOWED_DB_PROCEDURES].join(', ')})`);
      }
      return [value.slice(open + 1)]; // its arguments are expressions too; its own name is not a function
    });
    if (name === 'ProcedureCall' && typeof node.arguments?.Details !== 'string') refuse('Neo4j\'s plan does not name the procedure called');
    if (!ALLOWED_OPERATORS.has(name) && !ALLOWED_OPERATOR_FAMILIES.some((family) => family.test(name))) {
      refuse(`the plan has an operator the console does not run (${name}); the console only reads the graph (no LOAD CSV, SHOW, TERMINATE, administration or writes)`);
    }
    const indexed = /(Scan|Seek|SeekByRange)$/.test(name);
    for (const text of texts) {
      for (const match of (indexed ? text.replace(INDEX_NAME, ':$1') : text).matchAll(CALL)) {
        const fn = match[1]!;
        if (fn.includes('`')) refuse(`a call of a quoted name (${fn}) is not allowed in the console`);
        const key = fn.toLowerCase();
        if (!ALLOWED_FUNCTIONS.has(key) && !NOT_FUNCTIONS.has(key)) refuse(`function ${fn}() is not one the console allows`);
      }
    }
    for (const child of node.children ?? []) stack.push(child);
  }
}
