package main

import (
	"math/rand"
	"testing"
)

func TestBuildDataset(t *testing.T) {
	words := []string{"a", "b", "a", "c", "a", "b", "d"}
	d := buildDataset(words, 3) // UNK + the 2 most common
	if len(d.reverse) != 3 || d.reverse[1] != "a" || d.reverse[2] != "b" {
		t.Fatalf("vocabulary %v", d.reverse)
	}
	want := []int32{1, 2, 1, 0, 1, 2, 0}
	for i, v := range want {
		if d.data[i] != v {
			t.Fatalf("data %v, want %v", d.data, want)
		}
	}
	if d.counts[0] != 2 || d.counts[1] != 3 || d.counts[2] != 2 {
		t.Errorf("counts %v", d.counts)
	}
}

func TestGenerateBatch(t *testing.T) {
	data := make([]int32, 50)
	for i := range data {
		data[i] = int32(i)
	}
	b := newBatcher(data, rand.New(rand.NewSource(1)))
	x, y := b.generateBatch(8, 2, 1)
	xs, ys := x.Data().([]int32), y.Data().([]int32)
	// Centers 1, 1, 2, 2, 3, 3, 4, 4, each with both neighbours.
	for i := 0; i < 8; i += 2 {
		c := int32(1 + i/2)
		if xs[i] != c || xs[i+1] != c {
			t.Fatalf("centers %v", xs)
		}
		got := map[int32]bool{ys[i]: true, ys[i+1]: true}
		if !got[c-1] || !got[c+1] {
			t.Errorf("center %d: context %v, want %d and %d", c, []int32{ys[i], ys[i+1]}, c-1, c+1)
		}
	}
	// As the notebook's generate_batch, the next batch refills its window
	// from data_index (7, past the last window [4 5 6... 3+4 words read]):
	// its first center is 8.
	x, _ = b.generateBatch(2, 2, 1)
	if x.Data().([]int32)[0] != 8 {
		t.Errorf("second batch centers %v", x.Data())
	}
}
