// Prints the suite's closing line in the plain form CI reads: "N passed, N failed" (skips in brackets).
import { readFileSync } from 'node:fs';

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  success: boolean;
}

const [file = 'test-results/vitest.json'] = process.argv.slice(2);
try {
  const report = JSON.parse(readFileSync(file, 'utf8')) as VitestJson;
  console.log(
    `${report.numPassedTests} passed, ${report.numFailedTests} failed (${report.numPendingTests + report.numTodoTests} skipped)`,
  );
} catch (error) {
  console.log(`0 passed, 1 failed (no report at ${file}: ${(error as Error).message})`);
}
