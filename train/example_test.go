package train_test

import (
	"fmt"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

// Minimize (w*x - y)^2 for x = 1, y = 2 from w = 0 with Adam. By hand: the
// first step moves w by lr*g/|g| = 0.1 (bias correction makes the first
// step the learning rate); the second by 0.0998.
func ExampleAdamOptimizer_Minimize() {
	tf.ResetDefaultGraph()
	w := tf.NewVariable(float32(0), tf.Name("w"))
	loss := tf.Square(tf.Sub(tf.Mul(w, 1.0), 2.0))
	trainingOp := train.NewAdamOptimizer(0.1).Minimize(loss)
	init := tf.GlobalVariablesInitializer() // after Minimize: it initializes the slots too

	sess := session.New()
	defer sess.Close()
	sess.MustRun(init, nil)
	for step := 0; step < 2; step++ {
		vals := sess.MustRun([]tf.Fetch{loss, trainingOp}, nil)
		fmt.Printf("loss before step %d: %.2f, w after: %.4f\n", step, vals[0].Float64s()[0], sess.MustEval(w, nil).Float64s()[0])
	}
	for _, v := range tf.GlobalVariables() {
		fmt.Println(v.Name())
	}
	// Output:
	// loss before step 0: 4.00, w after: 0.1000
	// loss before step 1: 3.61, w after: 0.1998
	// w
	// beta1_power
	// beta2_power
	// w/Adam
	// w/Adam_1
}
