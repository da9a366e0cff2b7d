// Command dropout is the dropout section of Géron's chapter 14 (14.4, the
// notebook's "Dropout" cells): the time-series model of 14.3.2 with three
// stacked BasicRNNCells of 100 units, each behind a DropoutWrapper whose
// input keep probability is a tf.PlaceholderWithDefault of 1.0. Training
// feeds 0.5; testing feeds nothing, so the default 1.0 turns dropout off.
//
// It prints the training MSE every 100 iterations and the prediction on a
// new instance, as the notebook, and draws the prediction figure as a PNG
// file into -out when given.
//
//	go run ./examples/dropout [-iterations=1500] [-out=dir]
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"path/filepath"
	"time"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/examples/figure"
	ts "github.com/gorgoflow/gorgoflow/examples/timeseries"
	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

func main() {
	nIterations := flag.Int("iterations", 1500, "training iterations (batches of 50)")
	out := flag.String("out", "", "directory for the PNG figure (default: no figure)")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("dropout: ")

	tf.SetRandomSeed(42)
	rng := rand.New(rand.NewPCG(42, 42)) // np.random.seed(42)

	nInputs := 1
	nNeurons := 100
	nLayers := 3
	nSteps := 20
	nOutputs := 1

	X := placeholder.New(tf.Float32, tf.Shape{tf.None, nSteps, nInputs})
	y := placeholder.New(tf.Float32, tf.Shape{tf.None, nSteps, nOutputs})

	keepProb := tf.PlaceholderWithDefault(1.0, tf.Shape{})
	var cells []rnn.Cell
	for layer := 0; layer < nLayers; layer++ {
		cells = append(cells, rnn.NewBasicRNNCell(nNeurons))
	}
	var cellsDrop []rnn.Cell
	for _, cell := range cells {
		cellsDrop = append(cellsDrop, rnn.NewDropoutWrapper(cell, rnn.InputKeepProb(keepProb)))
	}
	multiLayerCell := rnn.NewMultiRNNCell(cellsDrop)
	rnnOutputs, _ := nn.DynamicRNN(multiLayerCell, X, rnn.DType(tf.Float32))

	learningRate := 0.01

	stackedRNNOutputs := tf.Reshape(rnnOutputs, []int{-1, nNeurons})
	stackedOutputs := layers.Dense(stackedRNNOutputs, nOutputs)
	outputs := tf.Reshape(stackedOutputs, []int{-1, nSteps, nOutputs})

	loss := tf.ReduceMean(tf.Square(tf.Sub(outputs, y)))
	optimizer := train.NewAdamOptimizer(learningRate)
	trainingOp := optimizer.Minimize(loss)

	init := tf.GlobalVariablesInitializer()

	batchSize := 50
	trainKeepProb := 0.5

	sess := session.New()
	defer sess.Close()
	sess.MustRun(init, nil)
	start := time.Now()
	for iteration := 0; iteration < *nIterations; iteration++ {
		XBatch, yBatch := ts.NextBatch(rng, batchSize, nSteps)
		vals, err := sess.Run([]tf.Fetch{trainingOp, loss},
			session.Feed{X: XBatch, y: yBatch, keepProb: trainKeepProb})
		if err != nil {
			log.Fatal(err)
		}
		if iteration%100 == 0 {
			fmt.Println(iteration, "Training MSE:", vals[1])
		}
	}
	log.Printf("trained %d iterations in %.1fs", *nIterations, time.Since(start).Seconds())

	// Testing: keep_prob is not fed, so its default 1.0 applies.
	tInstance := ts.Linspace(12.2, 12.2+ts.Resolution*float64(nSteps+1), nSteps+1)
	XNew := [][][]float32{ts.Column(ts.Values(tInstance[:nSteps]))}
	yPred := sess.MustRun(outputs, session.Feed{X: XNew})[0]
	fmt.Println(yPred)
	testLoss := sess.MustRun(loss, session.Feed{X: XNew, y: [][][]float32{ts.Column(ts.Values(tInstance[1:]))}})[0]
	fmt.Println("Test MSE on the new instance:", testLoss)

	if *out == "" {
		return
	}
	png, err := figure.Prediction(tInstance, yPred.Float64s())
	if err != nil {
		log.Fatal(err)
	}
	path := filepath.Join(*out, "dropout_time_series_pred_plot.png")
	if err := figure.WriteFile(path, png); err != nil {
		log.Fatal(err)
	}
	fmt.Println("wrote", path)
}
