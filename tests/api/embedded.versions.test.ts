import { describeVersionsApi } from './versions.suite.ts';

describeVersionsApi('the embedded store');
