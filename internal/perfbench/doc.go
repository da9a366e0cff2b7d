// Package perfbench holds the benchmarks of the chapter's workloads (issue
// 5) and the memory-growth test: W1 (the MNIST sequence classifier's
// training step), W2 (the time-series model's training step) and the
// 10,000-sequence forward pass. It has no API; see its tests.
package perfbench
