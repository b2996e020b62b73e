// mnist_with_summaries.py for 101 steps (npm run test:slow): as the reduced run in
// classic_mnist_tutorials.test.ts, plus step 99 traced with RunOptions(FULL_TRACE) and written with
// train_writer.add_run_metadata(run_metadata, 'step099').
import { checkMnistWithSummaries } from './mnist_with_summaries_check';

test('mnist_with_summaries.py, 101 steps: names, tags, traced step 099, final test summaries replayed', () => {
  checkMnistWithSummaries(101);
});
