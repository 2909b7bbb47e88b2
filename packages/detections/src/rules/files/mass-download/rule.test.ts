import { describeRule } from '../../../testing/describe-rule.ts';
import { massDownload } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(massDownload, scenarios);
