package tf_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// refReverse is element-by-element reversal: out[idx] = in[idx with the
// reversed axes' indices i replaced by n-1-i].
func refReverse(in []float64, shape []int, axes []int) []float64 {
	rev := make([]bool, len(shape))
	for _, a := range axes {
		if a < 0 {
			a += len(shape)
		}
		rev[a] = true
	}
	out := make([]float64, len(in))
	for i := range out {
		idx := unravel(i, shape)
		for d := range idx {
			if rev[d] {
				idx[d] = shape[d] - 1 - idx[d]
			}
		}
		out[i] = in[ravel(idx, shape)]
	}
	return out
}

// refReverseSequence: out[idx] = in[idx with its seq index i < n replaced
// by n-1-i], n the length of idx's batch entry.
func refReverseSequence(in []float64, shape []int, seqAxis, batchAxis int, lens []int) []float64 {
	out := make([]float64, len(in))
	for i := range out {
		idx := unravel(i, shape)
		if n := lens[idx[batchAxis]]; idx[seqAxis] < n {
			idx[seqAxis] = n - 1 - idx[seqAxis]
		}
		out[i] = in[ravel(idx, shape)]
	}
	return out
}

func TestReverse(t *testing.T) {
	// Worked by hand.
	newGraph(t)
	x := tf.Constant([][]float32{{1, 2, 3}, {4, 5, 6}}, tf.Invalid)
	check(t, eval(t, tf.Reverse(x, []int{1}), nil), tf.Float32, []int{2, 3}, []float64{3, 2, 1, 6, 5, 4})
	check(t, eval(t, tf.Reverse(x, []int{0}), nil), tf.Float32, []int{2, 3}, []float64{4, 5, 6, 1, 2, 3})
	check(t, eval(t, tf.Reverse(x, []int{-1, 0}), nil), tf.Float32, []int{2, 3}, []float64{6, 5, 4, 3, 2, 1})
	check(t, eval(t, tf.Reverse(x, nil), nil), tf.Float32, []int{2, 3}, []float64{1, 2, 3, 4, 5, 6})

	tests := []struct {
		shape, axes []int
	}{
		{[]int{5}, []int{0}},
		{[]int{}, nil},
		{[]int{0, 3}, []int{1}},
		{[]int{2, 3, 4}, []int{1}},
		{[]int{2, 3, 4}, []int{0, 2}},
		{[]int{2, 3, 4}, []int{2, 1, 0}},
		{[]int{3, 1, 4, 2}, []int{-2}},
		{[]int{3, 2, 4, 2}, []int{1, 3}},
	}
	for _, tc := range tests {
		for _, dt := range allDTypes {
			t.Run(fmt.Sprintf("%v/%v/%s", tc.shape, tc.axes, dt), func(t *testing.T) {
				newGraph(t)
				xd := iotaDense(tc.shape, dt, 1)
				y := tf.Reverse(tf.Constant(xd, tf.Invalid), tc.axes)
				shapeIs(t, y, tf.Shape(tc.shape))
				check(t, eval(t, y, nil), dt, tc.shape, refReverse(flat(xd), tc.shape, tc.axes))
			})
		}
	}
}

func TestReverseErrorsAndShapes(t *testing.T) {
	newGraph(t)
	x := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3, tf.None})
	shapeIs(t, tf.Reverse(x, []int{1, -1}), tf.Shape{tf.None, 3, tf.None})
	if s := tf.Reverse(tf.Placeholder(tf.Float32, nil), []int{4}).Shape(); s != nil {
		t.Errorf("unknown rank: shape %v, want unknown", s)
	}
	aWantErr(t, tf.Reverse(x, []int{3}).Err(), "tf.ReverseV2", "axis 3 is out of range [-3, 3)", "array_ops_reverse_test.go")
	aWantErr(t, tf.Reverse(x, []int{-4}).Err(), "axis -4 is out of range")
	aWantErr(t, tf.Reverse(x, []int{1, -2}).Err(), "axis [1 -2] names axis 1 more than once")
	aWantErr(t, tf.Reverse(x, []int{0}, tf.Axis(1)).Err(), "tf.Reverse", "option axis")

	// Unknown rank: checked at Run time.
	newGraph(t)
	u := tf.Placeholder(tf.Int32, nil)
	y := tf.Reverse(u, []int{1})
	check(t, eval(t, y, session.Feed{u: [][]int32{{1, 2}, {3, 4}}}), tf.Int32, []int{2, 2}, []float64{2, 1, 4, 3})
	aWantErr(t, runErr(y, session.Feed{u: []int32{1, 2}}), "axis 1 is out of range [-1, 1)")
}

func TestReverseSequence(t *testing.T) {
	// Worked by hand: TF's documented example, seq_axis 1, batch_axis 0.
	newGraph(t)
	x := tf.Constant([][]float32{{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}}, tf.Invalid)
	check(t, eval(t, tf.ReverseSequence(x, []int64{2, 4, 0}, 1), nil), tf.Float32, []int{3, 4},
		[]float64{2, 1, 3, 4, 8, 7, 6, 5, 9, 10, 11, 12})
	check(t, eval(t, tf.ReverseSequence(x, []int{1, 3, 2, 0}, 0, tf.BatchAxis(1)), nil), tf.Float32, []int{3, 4},
		[]float64{1, 10, 7, 4, 5, 6, 3, 8, 9, 2, 11, 12})

	tests := []struct {
		shape       []int
		seq, batch  int
		lens        []int
		lenIsInt64  bool
		description string
	}{
		{[]int{3, 5}, 1, 0, []int{5, 0, 3}, false, "batch-major matrix"},
		{[]int{2, 4, 3}, 1, 0, []int{4, 2}, true, "batch-major RNN inputs"},
		{[]int{4, 2, 3}, 0, 1, []int{1, 4}, false, "time-major RNN inputs"},
		{[]int{2, 3, 4, 2}, 2, 1, []int{4, 0, 3}, true, "seq after batch, trailing axis"},
		{[]int{3, 2, 2, 2}, 0, 3, []int{3, 2}, false, "batch last"},
		{[]int{0, 3}, 1, 0, []int{}, false, "empty batch"},
	}
	for _, tc := range tests {
		for _, dt := range allDTypes {
			t.Run(fmt.Sprintf("%s/%s", tc.description, dt), func(t *testing.T) {
				newGraph(t)
				xd := iotaDense(tc.shape, dt, 1)
				var lens any = tc.lens
				if tc.lenIsInt64 {
					l := make([]int64, len(tc.lens))
					for i, v := range tc.lens {
						l[i] = int64(v)
					}
					lens = tf.Constant(l, tf.Int64)
				}
				y := tf.ReverseSequence(tf.Constant(xd, tf.Invalid), lens, tc.seq, tf.BatchAxis(tc.batch))
				shapeIs(t, y, tf.Shape(tc.shape))
				check(t, eval(t, y, nil), dt, tc.shape, refReverseSequence(flat(xd), tc.shape, tc.seq, tc.batch, tc.lens))
			})
		}
	}
}

func TestReverseSequenceErrorsAndShapes(t *testing.T) {
	newGraph(t)
	x := tf.Placeholder(tf.Float32, tf.Shape{tf.None, tf.None, 3})
	l := tf.Placeholder(tf.Int32, tf.Shape{4})
	shapeIs(t, tf.ReverseSequence(x, l, 1), tf.Shape{4, tf.None, 3})
	shapeIs(t, tf.ReverseSequence(x, tf.Placeholder(tf.Int64, tf.Shape{tf.None}), 0, tf.BatchAxis(1)), tf.Shape{tf.None, tf.None, 3})
	if s := tf.ReverseSequence(tf.Placeholder(tf.Float32, nil), l, 1).Shape(); s != nil {
		t.Errorf("unknown rank: shape %v, want unknown", s)
	}
	aWantErr(t, tf.ReverseSequence(x, l, 1, tf.BatchAxis(1)).Err(), "tf.ReverseSequence", "seq_axis and batch_axis are both 1", "array_ops_reverse_test.go")
	aWantErr(t, tf.ReverseSequence(x, l, 3).Err(), "seq_axis is 3, the input has rank 3")
	aWantErr(t, tf.ReverseSequence(x, l, 1, tf.BatchAxis(5)).Err(), "batch_axis is 5, the input has rank 3")
	aWantErr(t, tf.ReverseSequence(x, l, -1).Err(), "seq_axis is -1", "no negative axes")
	aWantErr(t, tf.ReverseSequence(x, tf.Placeholder(tf.Float32, tf.Shape{4}), 1).Err(), "seq_lengths have dtype float32; want int32 or int64")
	aWantErr(t, tf.ReverseSequence(x, tf.Placeholder(tf.Int32, tf.Shape{4, 1}), 1).Err(), "seq_lengths have shape [4,1]; want a vector")
	aWantErr(t, tf.ReverseSequence(tf.Placeholder(tf.Float32, tf.Shape{3, 5}), l, 1).Err(), "seq_lengths hold 4 lengths but the input's batch axis 0 has 3 entries")
	aWantErr(t, tf.ReverseSequence(x, l, 1, tf.Axis(1)).Err(), "tf.ReverseSequence", "option axis")

	// At Run time, as TF: a length longer than the axis, a negative one,
	// a length vector not of the batch's size.
	newGraph(t)
	x = tf.Placeholder(tf.Float32, tf.Shape{tf.None, tf.None})
	lens := tf.Placeholder(tf.Int32, tf.Shape{tf.None})
	y := tf.ReverseSequence(x, lens, 1)
	xs := [][]float32{{1, 2, 3}, {4, 5, 6}}
	check(t, eval(t, y, session.Feed{x: xs, lens: []int32{3, 2}}), tf.Float32, []int{2, 3}, []float64{3, 2, 1, 5, 4, 6})
	aWantErr(t, runErr(y, session.Feed{x: xs, lens: []int32{3, 4}}), "seq_lengths[1] = 4 is not in [0, 3]", "array_ops_reverse_test.go")
	aWantErr(t, runErr(y, session.Feed{x: xs, lens: []int32{-1, 0}}), "seq_lengths[0] = -1 is not in [0, 3]")
	aWantErr(t, runErr(y, session.Feed{x: xs, lens: []int32{3}}), "seq_lengths hold 1 lengths but the input's batch axis 0 has 2 entries")
	// The session still works.
	check(t, eval(t, y, session.Feed{x: xs, lens: []int32{0, 1}}), tf.Float32, []int{2, 3}, []float64{1, 2, 3, 4, 5, 6})
}

func TestReverseGradients(t *testing.T) {
	n := tf.None
	runGradCases(t, []gradCase{
		{"Reverse axis 1", []tf.Shape{sh(n, 4, 3)}, [][]int{{2, 4, 3}}, func(xs []*tf.Tensor) *tf.Tensor { return tf.Reverse(xs[0], []int{1}) }},
		{"Reverse axes 0,-1", []tf.Shape{sh(2, 3)}, [][]int{{2, 3}}, func(xs []*tf.Tensor) *tf.Tensor { return tf.Reverse(xs[0], []int{0, -1}) }},
		{"Reverse twice, squared", []tf.Shape{sh(3, 2)}, [][]int{{3, 2}}, func(xs []*tf.Tensor) *tf.Tensor {
			return tf.Mul(tf.Reverse(tf.Square(xs[0]), []int{0}), xs[0])
		}},
		{"ReverseSequence batch-major", []tf.Shape{sh(n, n, 2)}, [][]int{{3, 4, 2}}, func(xs []*tf.Tensor) *tf.Tensor {
			return tf.ReverseSequence(xs[0], []int{4, 1, 0}, 1)
		}},
		{"ReverseSequence time-major, times input", []tf.Shape{sh(3, 2, 2)}, [][]int{{3, 2, 2}}, func(xs []*tf.Tensor) *tf.Tensor {
			return tf.Mul(tf.ReverseSequence(xs[0], []int64{3, 2}, 0, tf.BatchAxis(1)), xs[0])
		}},
	})
}

// ReverseSequence gives no gradient to its lengths.
func TestReverseSequenceGradientLengths(t *testing.T) {
	newGraph(t)
	x := tf.Placeholder(tf.Float32, tf.Shape{2, 3})
	l := tf.Placeholder(tf.Int32, tf.Shape{2})
	gr, err := tf.Gradients([]*tf.Tensor{tf.ReverseSequence(x, l, 1)}, []any{x, l})
	if err != nil {
		t.Fatal(err)
	}
	if gr[0] == nil || gr[1] != nil {
		t.Errorf("gradients = %v; want one for input and nil for seq_lengths", gr)
	}
}

// A bidirectional RNN's backward direction reads each sequence from its
// last valid step back: tf.reverse_sequence on [batch, time, depth].
func ExampleReverseSequence() {
	g := tf.NewGraph()
	defer g.AsDefault()()
	x := tf.Constant([][][]float32{{{1}, {2}, {3}}, {{4}, {5}, {6}}}, tf.Float32)
	lengths := tf.Constant([]int32{3, 2}, tf.Int32)
	y := tf.ReverseSequence(x, lengths, 1, tf.BatchAxis(0))
	z := tf.Reverse(x, []int{1})
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	out := sess.MustRun([]*tf.Tensor{y, z}, nil)
	fmt.Println(out[0].Float64s())
	fmt.Println(out[1].Float64s())
	// Output:
	// [3 2 1 5 4 6]
	// [3 2 1 6 5 4]
}

// The GraphDef forms: TF's ReverseV2 with its axis as an int32 constant
// (empty for Reverse(x, nil)), TF's ReverseSequence with its attrs.
func TestReverseGraphDef(t *testing.T) {
	g := newGraph(t)
	x := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 4, 2}, tf.Name("x"))
	tf.Reverse(x, []int{1, -1}, tf.Name("rev"))
	tf.Reverse(x, nil, tf.Name("none"))
	tf.ReverseSequence(x, tf.Placeholder(tf.Int64, tf.Shape{tf.None}, tf.Name("lens")), 1, tf.Name("revseq"))
	tf.ReverseSequence(x, []int32{1, 2, 3, 4}, 0, tf.BatchAxis(1), tf.Name("revseq_tm"))
	gd, err := g.AsGraphDef()
	if err != nil {
		t.Fatal(err)
	}
	text := gd.String()
	for _, want := range []string{
		"name: \"rev\"\n  op: \"ReverseV2\"\n  input: \"x\"\n  input: \"rev/axis\"",
		"name: \"none\"\n  op: \"ReverseV2\"",
		"name: \"revseq\"\n  op: \"ReverseSequence\"\n  input: \"x\"\n  input: \"lens\"",
		"key: \"Tlen\"\n    value {\n      type: DT_INT64",
		"key: \"Tlen\"\n    value {\n      type: DT_INT32",
		"key: \"seq_dim\"\n    value {\n      i: 1",
		"key: \"batch_dim\"\n    value {\n      i: 1",
		"key: \"Tidx\"\n    value {\n      type: DT_INT32",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("GraphDef lacks %q:\n%s", want, text)
		}
	}
}
