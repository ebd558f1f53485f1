/**
 * JMH benchmarks of the admission pipeline's hot stages, run by hand from the shaded jar (see
 * the module's README). Start at {@link org.optline.benchmarks.PipelineBenchmark} for the cost
 * of a whole message; {@link org.optline.benchmarks.ConsentLookupBenchmark} and
 * {@link org.optline.benchmarks.ClassificationBenchmark} take apart its two largest stages.
 */
package org.optline.benchmarks;
