package losses_test

import (
	"fmt"

	"github.com/gorgoflow/gorgoflow/losses"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// A regression loss, a weighted classification loss (the second example's
// weight is 0: TF's default reduction divides by the one non-zero weight),
// and their sum from the loss collection.
func ExampleMeanSquaredError() {
	g := tf.NewGraph()
	defer g.AsDefault()()
	outputs := tf.Constant([]float64{1.5, 2, 4}, tf.Float64)
	mse := losses.MeanSquaredError([]float64{1, 2, 3}, outputs)
	logits := tf.Constant([][]float64{{2, 0}, {0, 2}}, tf.Float64)
	xent := losses.SparseSoftmaxCrossEntropy([]int32{0, 0}, logits, tf.Weights([]float64{1, 0}))
	total := losses.GetTotalLoss()
	out := session.New().MustRun([]*tf.Tensor{mse, xent, total}, nil)
	fmt.Printf("%.4f %.4f %.4f\n", out[0].Float64s()[0], out[1].Float64s()[0], out[2].Float64s()[0])
	fmt.Println(mse.Op().Name(), total.Op().Name())
	// Output:
	// 0.4167 0.1269 0.5436
	// mean_squared_error/value total_loss
}
