package nn_test

import (
	"fmt"

	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// The two largest scores of each row and their classes, and the mean and
// variance of each column.
func ExampleTopK() {
	g := tf.NewGraph()
	defer g.AsDefault()()
	scores := tf.Constant([][]float32{{0.1, 0.6, 0.3}, {0.5, 0.2, 0.5}}, tf.Float32)
	values, indices := nn.TopK(scores, 2)
	mean, variance := nn.Moments(scores, []int{0})
	out := session.New().MustRun([]*tf.Tensor{values, indices, mean, variance}, nil)
	for _, o := range out {
		fmt.Println(o)
	}
	// Output:
	// [[0.6 0.3]
	//  [0.5 0.5]]
	// [[1 2]
	//  [0 2]]
	// [0.3 0.4 0.4]
	// [0.04       0.04000001 0.01      ]
}
