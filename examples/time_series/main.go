// Command time_series is listings L9 and L10 of Géron's chapter 14 (14.3.2):
// an RNN of 100 ReLU units trained to predict the next value of the series
// t*sin(t)/3 + 2*sin(5t) from windows of 20 steps.
//
// By default each step's 100 outputs are projected to one value by an
// OutputProjectionWrapper (L9); -variant=stacked stacks all steps' outputs,
// applies one fully connected layer and unstacks them (L10).
//
// It prints the training MSE every 100 iterations and the prediction on a new
// instance, and draws Figure 14-7 (the series and a training instance) and
// Figure 14-9 (the instance, its target and the prediction) as PNG files, into -out or else a new temporary directory, printing where.
//
// With -save, it saves the trained model to that checkpoint prefix after
// training (the notebook's saver.save(sess, "./my_time_series_model")),
// which examples/creative_rnn -restore loads instead of training again.
//
//	go run ./examples/time_series [-variant=wrapper|stacked] [-iterations=1500] [-out=dir] [-save=prefix]
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
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
	variant := flag.String("variant", "wrapper", "output layer: wrapper (OutputProjectionWrapper, L9) or stacked (reshape, fully_connected, reshape, L10)")
	nIterations := flag.Int("iterations", 1500, "training iterations (batches of 50)")
	out := flag.String("out", "", "directory for the PNG figures (default: a new temporary directory)")
	save := flag.String("save", "", "checkpoint prefix to save the trained model to, e.g. ./my_time_series_model (default: not saved)")
	flag.Parse()
	log.SetFlags(0)
	if *variant != "wrapper" && *variant != "stacked" {
		log.Fatalf("-variant=%q: want wrapper or stacked", *variant)
	}

	tf.SetRandomSeed(42)
	rng := rand.New(rand.NewPCG(42, 42)) // np.random.seed(42)

	nSteps := 20
	nInputs := 1
	nNeurons := 100
	nOutputs := 1

	X := placeholder.New(tf.Float32, tf.Shape{tf.None, nSteps, nInputs}, placeholder.Name("X"))
	y := placeholder.New(tf.Float32, tf.Shape{tf.None, nSteps, nOutputs}, placeholder.Name("y"))

	var outputs *tf.Tensor
	if *variant == "wrapper" {
		cell := rnn.NewOutputProjectionWrapper(
			rnn.NewBasicRNNCell(nNeurons, rnn.Activation(tf.Relu)),
			nOutputs)
		outputs, _ = nn.DynamicRNN(cell, X, rnn.DType(tf.Float32))
	} else {
		cell := rnn.NewBasicRNNCell(nNeurons, rnn.Activation(tf.Relu))
		rnnOutputs, _ := nn.DynamicRNN(cell, X, rnn.DType(tf.Float32))
		stackedRNNOutputs := tf.Reshape(rnnOutputs, []int{-1, nNeurons})
		stackedOutputs := layers.FullyConnected(stackedRNNOutputs, nOutputs, layers.ActivationFn(nil))
		outputs = tf.Reshape(stackedOutputs, []int{-1, nSteps, nOutputs})
	}

	learningRate := 0.001

	loss := tf.ReduceMean(tf.Square(tf.Sub(outputs, y))) // MSE
	optimizer := train.NewAdamOptimizer(learningRate)
	trainingOp := optimizer.Minimize(loss)

	init := tf.GlobalVariablesInitializer()
	saver := train.NewSaver()

	batchSize := 50

	sess := session.New()
	defer sess.Close()
	sess.MustRun(init, nil)
	start := time.Now()
	for iteration := 0; iteration < *nIterations; iteration++ {
		XBatch, yBatch := ts.NextBatch(rng, batchSize, nSteps)
		sess.MustRun(trainingOp, session.Feed{X: XBatch, y: yBatch})
		if iteration%100 == 0 {
			mse, err := sess.Eval(loss, session.Feed{X: XBatch, y: yBatch})
			if err != nil {
				log.Fatal(err)
			}
			fmt.Println(iteration, "\tMSE:", mse)
		}
	}
	log.Printf("trained %d iterations in %.1fs", *nIterations, time.Since(start).Seconds())
	if *save != "" {
		if err := os.MkdirAll(filepath.Dir(*save), 0o755); err != nil {
			log.Fatal(err)
		}
		prefix, err := saver.Save(sess, *save)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("saved the model to", prefix)
	}

	// A new instance: 20 steps from t = 12.2, and its target one step later.
	tInstance := ts.Linspace(12.2, 12.2+ts.Resolution*float64(nSteps+1), nSteps+1)
	XNew := [][][]float32{ts.Column(ts.Values(tInstance[:nSteps]))}
	yPred := sess.MustRun(outputs, session.Feed{X: XNew})[0]
	fmt.Println(yPred)

	dir, err := figure.Dir(*out)
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range []struct {
		name string
		draw func() ([]byte, error)
	}{
		{"time_series_plot.png", func() ([]byte, error) { return figure.TimeSeries(tInstance) }},
		{"time_series_pred_plot.png", func() ([]byte, error) { return figure.Prediction(tInstance, yPred.Float64s()) }},
	} {
		png, err := f.draw()
		if err != nil {
			log.Fatal(err)
		}
		path := filepath.Join(dir, f.name)
		if err := figure.WriteFile(path, png); err != nil {
			log.Fatal(err)
		}
		fmt.Println("wrote", path)
	}
}
