package input_data

import "testing"

// BenchmarkReadDataSets reads the real MNIST files (gzipped, from the
// GoMNIST module).
func BenchmarkReadDataSets(b *testing.B) {
	dir, err := DefaultDir()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := ReadDataSets(dir); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNextBatch150 takes the chapter's batches of 150 from the real
// training set, epochs and reshuffles included.
func BenchmarkNextBatch150(b *testing.B) {
	dir, err := DefaultDir()
	if err != nil {
		b.Fatal(err)
	}
	ds, err := ReadDataSets(dir, Seed(1))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := ds.Train.NextBatch(150); err != nil {
			b.Fatal(err)
		}
	}
}
