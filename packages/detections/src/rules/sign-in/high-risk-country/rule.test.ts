import { describeRule } from '../../../testing/describe-rule.ts';
import { highRiskCountry } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(highRiskCountry, scenarios);
