import { describeRule } from '../../../testing/describe-rule.ts';
import { impossibleTravel } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(impossibleTravel, scenarios);
