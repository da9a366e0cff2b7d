package tf_test

import (
	"fmt"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// One-hot labels for a softmax, and the indices of the rows of a batch fed
// at run time: tf.range(tf.shape(X)[0]) is tf.Range of the batch
// dimension, known once X is fed.
func ExampleOneHot() {
	g := tf.NewGraph()
	defer g.AsDefault()()
	y := tf.Placeholder(tf.Int32, tf.Shape{tf.None})
	X := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3})
	labels := tf.OneHot(y, 3)
	rows := tf.Range(tf.Index(tf.ShapeOf(X), "0"))
	fmt.Println(labels)
	fmt.Println(rows)
	sess := session.New()
	out := sess.MustRun([]*tf.Tensor{labels, rows}, session.Feed{y: []int32{2, 0, 1, 2}, X: [][]float32{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {0, 0, 0}}})
	fmt.Println(out[0])
	fmt.Println(out[1])
	// Output:
	// Tensor("OneHot:0", shape=(?, 3), dtype=float32)
	// Tensor("range:0", shape=(?,), dtype=int32)
	// [[0. 0. 1.]
	//  [1. 0. 0.]
	//  [0. 1. 0.]
	//  [0. 0. 1.]]
	// [0 1 2 3]
}

// A mask of the steps within each sequence's length, and a matrix padded
// as TF's documentation pads it.
func ExamplePad() {
	g := tf.NewGraph()
	defer g.AsDefault()()
	mask := tf.SequenceMask([]int32{1, 3, 2}, tf.Maxlen(4), tf.WithDType(tf.Float32))
	t := tf.Constant([][]int32{{1, 2, 3}, {4, 5, 6}}, tf.Int32)
	padded := tf.Pad(t, [][]int{{1, 1}, {2, 2}}, tf.Mode("REFLECT"))
	sess := session.New()
	out := sess.MustRun([]*tf.Tensor{mask, padded}, nil)
	fmt.Println(out[0])
	fmt.Println(out[1])
	// Output:
	// [[1. 0. 0. 0.]
	//  [1. 1. 1. 0.]
	//  [1. 1. 0. 0.]]
	// [[6 5 4 5 6 5 4]
	//  [3 2 1 2 3 2 1]
	//  [6 5 4 5 6 5 4]
	//  [3 2 1 2 3 2 1]]
}
