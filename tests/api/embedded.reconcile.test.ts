import { describeReconciliation } from './reconcile.suite.ts';

describeReconciliation('the embedded store');
