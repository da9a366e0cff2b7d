package tf_test

import (
	"fmt"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// Rounding halves to even, Python's // and %, and a log-sum-exp that does
// not overflow.
func ExampleReduceLogSumExp() {
	g := tf.NewGraph()
	defer g.AsDefault()()
	x := tf.Constant([]float64{-2.5, -0.5, 0.5, 1.5, 2.5}, tf.Float64)
	i := tf.Constant([]int32{7, -7}, tf.Int32)
	big := tf.Constant([][]float64{{1000, 1000}, {0, 0}}, tf.Float64)
	sess := session.New()
	out := sess.MustRun([]*tf.Tensor{tf.Round(x), tf.FloorDiv(i, 2), tf.FloorMod(i, 2), tf.ReduceLogSumExp(big, tf.Axis(1))}, nil)
	for _, o := range out {
		fmt.Println(o)
	}
	// Output:
	// [-2. -0.  0.  2.  2.]
	// [ 3 -4]
	// [1 1]
	// [1.00069315e+03 6.93147181e-01]
}
