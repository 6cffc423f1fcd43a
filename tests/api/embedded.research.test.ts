import { describeLineageLandscape } from './lineage-landscape.suite.ts';
import { describeResearchApi } from './research.suite.ts';

describeResearchApi('the embedded store');

describeLineageLandscape('the embedded store');
