/**
 * @file The benchmark's words (bench/template/): the report's prose and the targets' titles and
 * reasons, as templates the code fills with a run's figures.
 */
import reportText from '../../bench/template/report.md?raw';
import targetsText from '../../bench/template/targets.md?raw';
import { Template } from './template';

export const REPORT_WORDS = new Template('bench/template/report.md', reportText);
export const TARGET_WORDS = new Template('bench/template/targets.md', targetsText);
