import { describeInputRules } from './input-rules.suite.ts';

describeInputRules('the embedded store');
