package session_test

import (
	"testing"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// TestFeedValues feeds every kind of value the session takes and checks the
// value arrives converted to the placeholder's dtype, as numpy feeds do.
func TestFeedValues(t *testing.T) {
	newGraph(t)
	f32 := func(shape tf.Shape) *tf.Tensor { return placeholder.New(tf.Float32, shape) }
	tests := []struct {
		name  string
		ph    *tf.Tensor
		value any
		shape []int
		want  []float64
		dtype tf.DType
	}{
		{"[]float32", f32(tf.Shape{tf.None}), []float32{1, 2.5}, []int{2}, []float64{1, 2.5}, tf.Float32},
		{"[][]float32", f32(tf.Shape{tf.None, 2}), [][]float32{{1, 2}, {3, 4}, {5, 6}}, []int{3, 2}, []float64{1, 2, 3, 4, 5, 6}, tf.Float32},
		{"[][][]float32", f32(tf.Shape{tf.None, 2, 1}), [][][]float32{{{1}, {2}}, {{3}, {4}}}, []int{2, 2, 1}, []float64{1, 2, 3, 4}, tf.Float32},
		{"[][]float64 into float32", f32(tf.Shape{1, 2}), [][]float64{{0.5, -1}}, []int{1, 2}, []float64{0.5, -1}, tf.Float32},
		{"[]int into float32", f32(tf.Shape{3}), []int{1, 2, 3}, []int{3}, []float64{1, 2, 3}, tf.Float32},
		{"float64 literal into float32", f32(tf.Shape{}), 0.25, []int{}, []float64{0.25}, tf.Float32},
		{"int literal into float32", f32(tf.Shape{}), 3, []int{}, []float64{3}, tf.Float32},
		{"int literal into float64", placeholder.New(tf.Float64, tf.Shape{}), 7, []int{}, []float64{7}, tf.Float64},
		{"float64 literal into float64", placeholder.New(tf.Float64, nil), 1.0 / 3, []int{}, []float64{1.0 / 3}, tf.Float64},
		{"[]int32", placeholder.New(tf.Int32, tf.Shape{tf.None}), []int32{4, -5}, []int{2}, []float64{4, -5}, tf.Int32},
		{"[]int into int32", placeholder.New(tf.Int32, tf.Shape{tf.None}), []int{4, -5}, []int{2}, []float64{4, -5}, tf.Int32},
		{"int literal into int32", placeholder.New(tf.Int32, tf.Shape{}), 9, []int{}, []float64{9}, tf.Int32},
		{"float64 2.0 into int32", placeholder.New(tf.Int32, tf.Shape{}), 2.0, []int{}, []float64{2}, tf.Int32},
		{"int literal into int64", placeholder.New(tf.Int64, tf.Shape{}), 1 << 40, []int{}, []float64{1 << 40}, tf.Int64},
		{"*tensor.Dense", f32(tf.Shape{tf.None, 2}), tensor.New(tensor.WithShape(1, 2), tensor.WithBacking([]float32{7, 8})), []int{1, 2}, []float64{7, 8}, tf.Float32},
		{"float64 *tensor.Dense into float32", f32(tf.Shape{2}), tensor.New(tensor.WithShape(2), tensor.WithBacking([]float64{7, 8})), []int{2}, []float64{7, 8}, tf.Float32},
		{"*tf.Array", f32(tf.Shape{tf.None}), tf.NewArray(tensor.New(tensor.WithShape(3), tensor.WithBacking([]float32{1, 0, -1}))), []int{3}, []float64{1, 0, -1}, tf.Float32},
		{"unknown rank, matrix", f32(nil), [][]float32{{1}, {2}}, []int{2, 1}, []float64{1, 2}, tf.Float32},
		{"unknown rank, scalar", f32(nil), float32(5), []int{}, []float64{5}, tf.Float32},
		{"empty batch", f32(tf.Shape{tf.None}), []float32{}, []int{0}, nil, tf.Float32},
	}
	s := session.New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			Y := tf.Identity(tt.ph)
			got, err := s.Eval(Y, session.Feed{tt.ph: tt.value})
			if err != nil {
				t.Fatal(err)
			}
			if got.DType() != tt.dtype {
				t.Fatalf("dtype %s, want %s", got.DType(), tt.dtype)
			}
			checkArray(t, tt.name, got, tt.shape, tt.want, 0)
		})
	}
	// A bool placeholder takes bools.
	B := placeholder.New(tf.Bool, tf.Shape{tf.None})
	got, err := s.Eval(tf.Identity(B), session.Feed{B: []bool{true, false}})
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := got.Data().([]bool); !ok || len(d) != 2 || !d[0] || d[1] {
		t.Fatalf("bool feed came back as %v", got)
	}
}

// TestFeedIntoOps checks fed values take part in computation after
// conversion: an int feed into a float placeholder multiplies as floats.
func TestFeedIntoOps(t *testing.T) {
	newGraph(t)
	a := placeholder.New(tf.Float32, tf.Shape{}, placeholder.Name("a"))
	X := placeholder.New(tf.Float32, tf.Shape{tf.None, 2}, placeholder.Name("X"))
	Y := tf.Mul(X, a)
	s := session.New()
	y, err := s.Eval(Y, session.Feed{a: 3, X: [][]int{{1, 2}, {-3, 4}}})
	if err != nil {
		t.Fatal(err)
	}
	checkArray(t, "Y", y, []int{2, 2}, []float64{3, 6, -9, 12}, 0)
	y, err = s.Eval(Y, session.Feed{a: 0.5, X: [][]float32{{1, 2}}})
	if err != nil {
		t.Fatal(err)
	}
	checkArray(t, "Y", y, []int{1, 2}, []float64{0.5, 1}, 0)
}

// TestControlDependencyOnFedPlaceholder: an op that must run after a
// placeholder's op (tf.Group of it, an optimizer waiting for fed gradients)
// runs when the placeholder is fed, as in TF, where the feed takes over
// the placeholder's control edges; unfed, the placeholder is missing.
func TestControlDependencyOnFedPlaceholder(t *testing.T) {
	newGraph(t)
	x := tf.Placeholder(tf.Float32, tf.Shape{2}, tf.Name("x"))
	v := tf.NewVariable([]float32{0, 0}, tf.Name("v"))
	after := tf.Group([]*tf.Operation{x.Op()}, tf.Name("after_x"))
	assign := tf.Group([]*tf.Operation{after, tf.Assign(v, x).Op()})
	sess := session.New()
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	if _, err := sess.Run(after, session.Feed{x: []float32{1, 2}}); err != nil {
		t.Fatalf("Run(group of fed x): %v", err)
	}
	if _, err := sess.Run(assign, session.Feed{x: []float32{3, 4}}); err != nil {
		t.Fatalf("Run(assign after group of fed x): %v", err)
	}
	if got := sess.MustEval(v, nil).Float64s(); got[0] != 3 || got[1] != 4 {
		t.Errorf("v = %v, want [3 4]", got)
	}
	_, err := sess.Run(after, nil)
	wantErr(t, err, "You must feed a value for placeholder tensor 'x'")
}
