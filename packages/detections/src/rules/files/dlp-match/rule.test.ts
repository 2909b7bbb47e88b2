import { describeRule } from '../../../testing/describe-rule.ts';
import { dlpMatch } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(dlpMatch, scenarios);
