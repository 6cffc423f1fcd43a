/**
 * The console's plan gate on plan trees shaped like the driver's `summary.plan` from Neo4j 5.26 (operatorType
 * `Name@database`, `arguments.Details` holding the printed expressions). The real server's plans are tested in
 * tests/neo4j/cypher-console.test.ts; these cover what that server cannot show: calls of user-defined functions
 * and procedures (no plugin is installed there), quoted names, plans with no database.
 */
import { describe, expect, it } from 'vitest';
import { Invalid } from '../../../server/domain/errors.ts';
import { checkConsolePlan, type PlanNode } from '../../../server/store/neo4j/neo4j.console-plan.ts';

const op = (operatorType: string, details?: string, children: PlanNode[] = []): PlanNode => ({
  operatorType,
  arguments: details === undefined ? {} : { Details: details },
  identifiers: [],
  children,
});
const top = (...children: PlanNode[]) => op('ProduceResults@neo4j', 'x', children);

function refusal(plan: PlanNode | false | undefined): string {
  try {
    checkConsolePlan(plan, 'neo4j');
  } catch (error) {
    expect(error).toBeInstanceOf(Invalid);
    expect((error as Invalid).code).toBe('cypher_refused');
    return (error as Error).message;
  }
  throw new Error('the plan was allowed');
}

describe("the console's plan gate", () => {
  it('allows a plain read with built-in functions, index names and the planner\'s own expressions', () => {
    const plan = top(
      op('Projection@neo4j', 'toUpper(a.name_en) AS n, point.distance(point({x: $autoint_0, y: $autoint_1}), $p) AS d, `n.id`', [
        op('Filter@neo4j', 'getDegree((a)-[:SUCCEEDS]->()) > $autoint_2 AND RuntimeConstant(date()) > a.start AND isRepeatTrailUnique(r)', [
          op('NodeUniqueIndexSeek@neo4j', 'UNIQUE a:Entity(id) WHERE id = $autostring_0, cache[a.id]'),
        ]),
      ]),
      op('ProcedureCall@neo4j', 'db.index.fulltext.queryNodes($autostring_1, toLower($q)) :: (node :: NODE, score :: FLOAT)'),
      op('DirectedRelationshipUniqueIndexSeek@neo4j', 'RANGE INDEX (anon_0)-[r:SUCCEEDS(id)]->(anon_1) WHERE id = $autostring_2'),
    );
    expect(() => checkConsolePlan(plan, 'neo4j')).not.toThrow();
    expect(() => checkConsolePlan(plan, 'NEO4J')).not.toThrow();
  });

  it.each([
    ['a LoadCSV operator', top(op('LoadCSV@neo4j', 'r')), /LOAD CSV/],
    ['a LoadCSV deep in a subquery', top(op('Apply@neo4j', undefined, [op('Argument@neo4j', 'a'), op('Projection@neo4j', 'r AS r', [op('LoadCSV@neo4j', 'r')])])), /LOAD CSV/],
    ['a dbms procedure', top(op('ProcedureCall@neo4j', 'dbms.listConfig() :: (name :: STRING)')), /dbms\.listConfig/],
    ['a db procedure off the list', top(op('ProcedureCall@neo4j', 'db.createLabel($autostring_0) :: ()')), /db\.createLabel/],
    ['an APOC procedure', top(op('ProcedureCall@neo4j', 'apoc.load.json($autostring_0) :: (value :: MAP)')), /apoc\.load\.json/],
    ['a procedure call with no Details', top(op('ProcedureCall@neo4j')), /does not name the procedure/],
    ['a user-defined function', top(op('Projection@neo4j', 'apoc.text.join($autolist_0, $autostring_1) AS s')), /apoc\.text\.join/],
    ['a user-defined function inside an allowed one', top(op('Filter@neo4j', 'toUpper(my.fn(a)) = $x')), /my\.fn/],
    ['a function in an allowed procedure\'s arguments', top(op('ProcedureCall@neo4j', 'db.index.fulltext.queryNodes(apoc.x($a), $b) :: (node :: NODE)')), /apoc\.x/],
    ['a quoted function name', top(op('Projection@neo4j', '`apoc`.`text`.`join`($l) AS s')), /quoted name/],
    ['a function named like an allowed one with a prefix', top(op('Projection@neo4j', 'xabs($a) AS s')), /xabs/],
    ['a Unicode-named function ending like an allowed one', top(op('Projection@neo4j', 'fünabs($a) AS s')), /fünabs/],
    ['file() and linenumber()', top(op('Projection@neo4j', 'file() AS f')), /file\(\)/],
    ['graph.byName()', top(op('Projection@neo4j', 'graph.byName($g) AS g')), /graph\.byName/],
    ['SHOW SETTINGS', top(op('ShowSettings@neo4j', 'allSettings, defaultColumns')), /ShowSettings/],
    ['TERMINATE TRANSACTIONS', top(op('TerminateTransactions@neo4j', 'defaultColumns, transactions(neo4j-transaction-1)')), /TerminateTransactions/],
    ['an administration command on system', op('AdministrationCommand@system'), /database "system"/],
    ['a read of another database', top(op('AllNodesScan@other', 'n')), /database "other"/],
    ['an operator with no database', top(op('AllNodesScan', 'n')), /names no database/],
    ['a write operator', top(op('Create@neo4j', '(n)')), /only reads/],
    ['CALL … IN TRANSACTIONS', top(op('TransactionForeach@neo4j', 'IN TRANSACTIONS OF $autoint_0 ROWS')), /TransactionForeach/],
    ['an unknown operator', top(op('SomethingNew@neo4j', 'x')), /SomethingNew/],
    ['no plan at all', undefined, /no plan/],
    ['a false plan', false, /no plan/],
  ] as [string, PlanNode | false | undefined, RegExp][])('refuses %s', (_what, plan, why) => {
    expect(refusal(plan)).toMatch(why);
  });

  it('refuses a plan too large to check', () => {
    let plan = op('Argument@neo4j', 'a');
    for (let i = 0; i < 10_001; i++) plan = op('Filter@neo4j', 'a.x = $p', [plan]);
    expect(refusal(plan)).toMatch(/too large/);
  });
});
