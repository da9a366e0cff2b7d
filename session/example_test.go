package session_test

import (
	"fmt"

	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// Run with a feed dict: sess.run([Y, s], feed_dict={X: x}).
func ExampleSession_Run() {
	g := tf.NewGraph()
	defer g.AsDefault()()

	X := placeholder.New(tf.Float32, tf.Shape{tf.None, 2}, placeholder.Name("X"))
	W := tf.NewVariable([][]float32{{1, 0}, {2, -1}}, tf.Name("W"))
	Y := tf.MatMul(X, W)
	total := tf.ReduceSum(Y)
	init := tf.GlobalVariablesInitializer()

	sess := session.New()
	defer sess.Close()
	if _, err := sess.Run(init, nil); err != nil {
		fmt.Println(err)
		return
	}
	vals, err := sess.Run([]tf.Fetch{Y, total}, session.Feed{X: [][]float32{{1, 1}, {0, 3}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(vals[0])
	fmt.Println(vals[1])

	// A missing feed is an error, worded as TF's; the session goes on working.
	_, err = sess.Run(Y, nil)
	fmt.Println(err)
	// Output:
	// [[ 3. -1.]
	//  [ 6. -3.]]
	// 5.0
	// session.Run: You must feed a value for placeholder tensor 'X' with dtype float and shape [?,2]
}

// Eval is t.eval(feed_dict=...): the value of one tensor.
func ExampleSession_Eval() {
	g := tf.NewGraph()
	defer g.AsDefault()()

	a := placeholder.New(tf.Float32, tf.Shape{}, placeholder.Name("a"))
	X := placeholder.New(tf.Int32, tf.Shape{tf.None}, placeholder.Name("X"))
	y := tf.Mul(tf.Cast(X, tf.Float32), a)

	sess := session.New()
	defer sess.Close()
	// Go numbers and slices are converted to the placeholders' dtypes.
	v, err := sess.Eval(y, session.Feed{a: 0.5, X: []int{1, 2, 3}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v)
	// Output:
	// [0.5 1.  1.5]
}

// A graph built with a None batch dimension runs batches of any size in one
// session, and every run uses the same variables.
func ExampleSession_Run_batchSize() {
	g := tf.NewGraph()
	defer g.AsDefault()()

	X := placeholder.New(tf.Float32, tf.Shape{tf.None, 3}, placeholder.Name("X"))
	b := tf.NewVariable([]float32{1, 2, 3}, tf.Name("b"))
	Y := tf.Add(X, b)
	mean := tf.ReduceMean(Y)
	setB := tf.Assign(b, []float32{10, 20, 30})

	sess := session.New()
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	for _, n := range []int{1, 4, 10000} {
		if n == 10000 {
			sess.MustRun(setB, nil) // seen by the 10,000-row run
		}
		x := make([][]float32, n)
		for i := range x {
			x[i] = []float32{1, 1, 1}
		}
		vals, err := sess.Run([]tf.Fetch{Y, mean}, session.Feed{X: x})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(vals[0].Shape(), vals[1])
	}
	// Output:
	// (1, 3) 3.0
	// (4, 3) 3.0
	// (10000, 3) 21.0
}
