package kernels

import (
	"reflect"
	"testing"
)

// Worked by hand: x = [[[1 2] [3 4] [5 6]] [[7 8] [9 10] [11 12]]], shape
// [2, 3, 2].
func TestReverse(t *testing.T) {
	x := []float32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	s := []int{2, 3, 2}
	tests := []struct {
		rev  []bool
		want []float32
	}{
		{[]bool{false, false, false}, []float32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}},
		{[]bool{true, false, false}, []float32{7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6}},
		{[]bool{false, true, false}, []float32{5, 6, 3, 4, 1, 2, 11, 12, 9, 10, 7, 8}},
		{[]bool{false, false, true}, []float32{2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11}},
		{[]bool{true, true, true}, []float32{12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}},
	}
	for _, tc := range tests {
		out := make([]float32, len(x))
		Reverse(out, x, s, tc.rev)
		if !reflect.DeepEqual(out, tc.want) {
			t.Errorf("Reverse %v = %v, want %v", tc.rev, out, tc.want)
		}
	}
}

func TestReverseSequence(t *testing.T) {
	// Batch axis 0, time axis 1, lengths 2 and 3.
	x := []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	out := make([]int64, len(x))
	ReverseSequence(out, x, []int{2, 3, 2}, 1, 0, []int{2, 3})
	if want := []int64{3, 4, 1, 2, 5, 6, 11, 12, 9, 10, 7, 8}; !reflect.DeepEqual(out, want) {
		t.Errorf("batch 0, time 1: %v, want %v", out, want)
	}
	// Time axis 0, batch axis 1 (time-major [3, 2, 2]), lengths 3 and 0.
	ReverseSequence(out, x, []int{3, 2, 2}, 0, 1, []int{3, 0})
	if want := []int64{9, 10, 3, 4, 5, 6, 7, 8, 1, 2, 11, 12}; !reflect.DeepEqual(out, want) {
		t.Errorf("time 0, batch 1: %v, want %v", out, want)
	}
	// Batch axis after the time axis, an axis between: [3, 2, 2], time
	// 0, batch 2, lengths 2 and 1.
	xi := []int32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	outi := make([]int32, len(xi))
	ReverseSequence(outi, xi, []int{3, 2, 2}, 0, 2, []int{2, 1})
	if want := []int32{5, 2, 7, 4, 1, 6, 3, 8, 9, 10, 11, 12}; !reflect.DeepEqual(outi, want) {
		t.Errorf("time 0, batch 2: %v, want %v", outi, want)
	}
}
