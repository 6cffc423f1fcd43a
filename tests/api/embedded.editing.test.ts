import { describeEditingApi } from './editing.suite.ts';

describeEditingApi('the embedded store');
