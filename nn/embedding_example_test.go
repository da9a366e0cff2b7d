package nn_test

import (
	"fmt"

	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

// An embedding trained by gradient descent: the gradient of the lookup is
// sparse, so only the rows looked up (3 and 0) change.
func ExampleEmbeddingLookup() {
	g := tf.NewGraph()
	defer g.AsDefault()()
	embeddings := tf.NewVariable([][]float32{{0, 0}, {1, 1}, {2, 2}, {3, 3}}, tf.Name("embeddings"))
	ids := tf.Placeholder(tf.Int32, tf.Shape{tf.None})
	embed := nn.EmbeddingLookup(embeddings, ids)
	loss := tf.ReduceSum(embed)
	grads, _ := tf.Gradients([]*tf.Tensor{loss}, []any{embeddings})
	s := tf.IndexedSlicesOf(grads[0])
	step := train.NewGradientDescentOptimizer(0.5).Minimize(loss)

	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	feed := session.Feed{ids: []int32{3, 0, 3}}
	vals := sess.MustRun([]tf.Fetch{embed, s.Indices}, feed)
	fmt.Println("embed:", vals[0].Float64s())
	fmt.Println("gradient rows:", vals[1].Int32s())
	sess.MustRun(step, feed)
	fmt.Println("after one step:", sess.MustRun(embeddings, nil)[0].Float64s())
	// Output:
	// embed: [3 3 0 0 3 3]
	// gradient rows: [3 0 3]
	// after one step: [-0.5 -0.5 1 1 2 2 2 2]
}
