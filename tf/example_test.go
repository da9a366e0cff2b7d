package tf_test

import (
	"fmt"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// A dense layer: X·W + b, with b broadcast over the rows.
func ExampleMatMul() {
	g := tf.NewGraph()
	defer g.AsDefault()()
	X := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 2}, tf.Name("X"))
	W := tf.Constant([][]float32{{1, 2, 3}, {4, 5, 6}}, tf.Float32)
	b := tf.Constant([]float32{0.5, 0, -0.5}, tf.Float32)
	y := tf.Add(tf.MatMul(X, W), b)
	fmt.Println(y)
	sess := session.New()
	out := sess.MustRun(y, session.Feed{X: [][]float32{{1, 0}, {0, 1}, {1, 1}}})
	fmt.Println(out[0])
	// Output:
	// Tensor("Add:0", shape=(?, 3), dtype=float32)
	// [[1.5 2.  2.5]
	//  [4.5 5.  5.5]
	//  [5.5 7.  8.5]]
}

// Means over all elements, over rows (axis 0) and over columns keeping the
// reduced axis.
func ExampleReduceMean() {
	g := tf.NewGraph()
	defer g.AsDefault()()
	x := tf.Constant([][]float64{{1, 2, 3}, {4, 5, 6}}, tf.Float64)
	sess := session.New()
	out := sess.MustRun([]*tf.Tensor{
		tf.ReduceMean(x),
		tf.ReduceMean(x, tf.Axis(0)),
		tf.ReduceMean(x, tf.Axis(-1), tf.KeepDims(true)),
	}, nil)
	for _, o := range out {
		fmt.Println(o)
	}
	// Output:
	// 3.5
	// [2.5 3.5 4.5]
	// [[2.]
	//  [5.]]
}

// The gradient of sum(x²·w) with respect to x is 2·x·w; w does not depend
// on the placeholder u, whose gradient is nil.
func ExampleGradients() {
	g := tf.NewGraph()
	defer g.AsDefault()()
	x := tf.Placeholder(tf.Float64, tf.Shape{3})
	u := tf.Placeholder(tf.Float64, tf.Shape{3})
	w := tf.Constant([]float64{1, 10, 100}, tf.Float64)
	y := tf.ReduceSum(tf.Mul(tf.Square(x), w))
	grads, err := tf.Gradients([]*tf.Tensor{y}, []any{x, u})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(grads[1] == nil)
	sess := session.New()
	fmt.Println(sess.MustRun(grads[0], session.Feed{x: []float64{1, 2, 3}})[0])
	// Output:
	// true
	// [  2.  40. 600.]
}

// The chapter's machine-translation inputs: Y[:, :-1] and Y[:, 1:] in
// numpy's short form.
func ExampleIndex() {
	g := tf.NewGraph()
	defer g.AsDefault()()
	Y := tf.Constant([][]int32{{1, 2, 3, 4}, {5, 6, 7, 8}}, tf.Int32)
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	vals := sess.MustRun([]*tf.Tensor{tf.Index(Y, ":, :-1"), tf.Index(Y, ":, 1:"), tf.Index(Y, "-1, ::-2")}, nil)
	for _, v := range vals {
		fmt.Println(v)
	}
	// Output:
	// [[1 2 3]
	//  [5 6 7]]
	// [[2 3 4]
	//  [6 7 8]]
	// [8 6]
}
